"""One SOAP endpoint over HTTP: service description on GET, calls on POST.

``GET <path>?wsdl`` / ``?singleWsdl`` / ``?xsd=N`` serve :mod:`.wsdl`'s documents. A POST is
refused at the HTTP level before parsing when it is compressed (415) or larger than
``max_body_bytes`` (413, checked on Content-Length and while reading). The body is then
answered in a worker thread (:meth:`Endpoint.answer`): the envelope is read by
:func:`entegrator.gib.soap.read_message` (SOAP 1.1 or 1.2, plain or MTOM, through the one safe
XML parser), the operation is the local name of the first Body child (integrator-api.md
§8.1; the SOAPAction and the request's namespace are not trusted). Login passes the
address rate and the brute-force limits of :class:`entegrator.api.protection.Protection`
before the password is checked; every other operation needs a live session
(:mod:`entegrator.core.sessions`) and passes the per-credential rate limit. The answer uses
the request's SOAP version. Errors follow the dialect's :class:`~.dialect.ErrorStyle`;
nothing escapes as a bare 500. Every call, refused or not, leaves one audit row (``api.call``
with ``face=soap``, the operation and the result code) through the API's
:class:`~entegrator.api.protection.CallAudit`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import anyio
import anyio.to_thread
from lxml import etree
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from entegrator.api.protection import CallRecord
from entegrator.api.soap import xmlread
from entegrator.api.soap.call import Call, RequestHeader, SoapServices
from entegrator.api.soap.dialect import Dialect, ErrorStyle, Operation
from entegrator.api.soap.errors import BadRequest, ErrorInfo, TooLarge, Unsupported
from entegrator.api.soap.wsdl import schema_document, wsdl_document
from entegrator.api.soap.xmlwrite import add, element
from entegrator.core.auth import AuthenticationFailed, RequestOrigin
from entegrator.core.sessions import Session, SessionInvalid
from entegrator.gib.errors import MalformedMessage, MessageTooLarge, UnsupportedMediaType
from entegrator.gib.mtom import parse_media_type
from entegrator.gib.server import read_limited_body
from entegrator.gib.soap import Fault, SoapVersion, fault_element, read_message, write_message
from entegrator.store.audit import Actor, ActorKind

__all__ = ["Answer", "Endpoint"]

log = logging.getLogger("entegrator.api.soap")

CHANNEL = "soap"


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: status, content type, body."""

    status: int
    content_type: str
    body: bytes


class Endpoint:
    """Serves one :class:`Dialect` (see the module docstring)."""

    def __init__(self, dialect: Dialect, services: SoapServices) -> None:
        self.dialect = dialect
        self.services = services
        self._limiter: anyio.CapacityLimiter | None = None

    async def handle(self, request: Request) -> Response:
        """The Starlette endpoint."""
        if request.method == "GET":
            return self._describe(request)
        peer = request.client.host if request.client else None
        try:
            if request.headers.get("content-encoding", "identity").lower() != "identity":
                raise UnsupportedMediaType("sıkıştırılmış istek gövdesi desteklenmiyor")
            body = await read_limited_body(request, self.services.settings.max_body_bytes)
        except MalformedMessage as exc:
            version = _guess_version(request.headers.get("content-type"))
            status = 413 if isinstance(exc, MessageTooLarge) else 415
            code = TooLarge(exc.message) if status == 413 else BadRequest(exc.message)
            answer = self._fault(version, self.dialect.error_codes(code), None, None,
                                 status=status)
            return _response(answer)
        if self._limiter is None:  # made in the event loop it belongs to
            self._limiter = anyio.CapacityLimiter(self.services.settings.worker_threads)
        answer = await anyio.to_thread.run_sync(
            lambda: self._answer_safely(body, request.headers.get("content-type"), peer),
            limiter=self._limiter)
        return _response(answer)

    def _answer_safely(self, body: bytes, content_type: str | None,
                       peer: str | None) -> Answer:
        try:
            return self.answer(body, content_type, peer)
        except Exception as exc:  # a bug in rendering or auditing: still a SOAP answer
            log.exception("SOAP endpoint %s failed outside an operation", self.dialect.id)
            info = self.dialect.error_codes(exc)
            return self._fault(_guess_version(content_type), info, None, None)

    def answer(self, body: bytes, content_type: str | None, peer: str | None) -> Answer:
        """Answer one POSTed body (no HTTP, no asyncio: tests and benches call it directly)."""
        started = time.monotonic()
        txn_id = self.services.next_txn_id()
        origin = RequestOrigin(CHANNEL, peer, str(txn_id))
        try:
            message = read_message(body, content_type, max_bytes=self.services.settings
                                   .max_body_bytes)
        except MalformedMessage as exc:
            info = self.dialect.error_codes(BadRequest(exc.message))
            self._log(None, None, origin, code=info.code, started=started, error=None)
            return self._fault(_guess_version(content_type), info, txn_id, None)
        version, payload = message.version, message.payload
        header = RequestHeader.read(payload)
        operation = self.dialect.operation(xmlread.local_name(payload))
        if operation is None:
            info = self.dialect.error_codes(Unsupported(
                f"{xmlread.local_name(payload)} işlemi bu serviste yok"))
            self._log(None, None, origin, code=info.code, started=started, error=None)
            return self._fault(version, info, txn_id, header.client_txn_id)
        call = Call(self.services, self.dialect, operation, payload, header, origin, txn_id)
        try:
            children = self._run(call)
        except Exception as exc:  # every failure becomes the dialect's error answer
            info = self.dialect.error_codes(exc)
            self._log(call, operation, origin, code=info.code, started=started, error=exc)
            if self.dialect.errors is ErrorStyle.BODY and operation.error_in_body:
                return self._reply(version, operation, [self._error_type(info, call)])
            return self._fault(version, info, txn_id, header.client_txn_id)
        self._log(call, operation, origin, code=0, started=started, error=None)
        return self._reply(version, operation, children)

    # -- the call ------------------------------------------------------------------------

    def _run(self, call: Call) -> list[etree._Element]:
        operation, services = call.operation, self.services
        if operation.credentials:
            username = xmlread.require(call.request, "USER_NAME")
            call.subject = username
            services.protection.admit_address(call.origin.ip)
            services.protection.admit_login(username, call.origin.ip)
        elif operation.needs_session:
            call.session = self._session(call.header)
            services.protection.admit_call(
                f"soap:{call.session.tenant_id}:{call.session.username}")
        try:
            return operation.handler(call)
        except AuthenticationFailed as exc:
            if operation.credentials and not isinstance(exc, SessionInvalid):
                services.protection.login_failed(call.subject, call.origin.ip)
            raise

    def _session(self, header: RequestHeader) -> Session:
        if header.session_id is None:
            raise SessionInvalid("SESSION_ID verilmedi; önce Login ile oturum açın")
        return self.services.sessions.validate(header.session_id)

    # -- rendering -----------------------------------------------------------------------

    def _reply(self, version: SoapVersion, operation: Operation,
               children: list[etree._Element]) -> Answer:
        root = etree.Element(self.dialect.qname(operation.response),
                             nsmap={self.dialect.prefix: self.dialect.namespace})
        root.extend(children)
        body, content_type = write_message(root, version)
        return Answer(200, content_type, body)

    def _error_type(self, info: ErrorInfo, call: Call) -> etree._Element:
        block = element("ERROR_TYPE")
        _fill_error(block, info, call.txn_id, call.header.client_txn_id)
        return block

    def _fault(self, version: SoapVersion, info: ErrorInfo, txn_id: int | None,
               client_txn_id: str | None, *, status: int = 500) -> Answer:
        detail = etree.Element(self.dialect.qname(self.dialect.description.fault_element),
                               nsmap={self.dialect.prefix: self.dialect.namespace})
        _fill_error(detail, info, txn_id or 0, client_txn_id)
        fault = fault_element(version, Fault(reason=info.short, sender=info.client,
                                             detail=detail))
        body, content_type = write_message(fault, version)
        return Answer(status, content_type, body)

    # -- HTTP ----------------------------------------------------------------------------

    def _describe(self, request: Request) -> Response:
        keys = {key.lower(): value for key, value in request.query_params.items()}
        url = self._endpoint_url(request)
        if "wsdl" in keys:
            body = wsdl_document(self.dialect, url)
        elif "singlewsdl" in keys:
            body = wsdl_document(self.dialect, url, inline=True)
        elif "xsd" in keys and keys["xsd"].isdigit():
            found = schema_document(self.dialect, int(keys["xsd"]), url)
            if found is None:
                return PlainTextResponse("şema bulunamadı", status_code=404)
            body = found
        else:
            return PlainTextResponse(
                f"{self.dialect.description.service}: SOAP istekleri POST ile gönderilir; "
                "servis tanımı için ?wsdl", status_code=400)
        return Response(body, media_type="text/xml; charset=utf-8")

    def _endpoint_url(self, request: Request) -> str:
        public = self.services.settings.public_url
        if public:
            return public.rstrip("/") + request.url.path
        return str(request.url.replace(query="", fragment=""))

    def _log(self, call: Call | None, operation: Operation | None, origin: RequestOrigin,
             *, code: int, started: float, error: BaseException | None) -> None:
        session = call.session if call is not None else None
        if session is not None:
            actor = session.caller(origin).actor
        else:
            who = call.subject if call is not None and operation is not None and \
                operation.credentials else None
            actor = Actor(ActorKind.USER, who, origin.channel, origin.ip, origin.request_id)
        details: dict[str, object] = {
            "face": "soap", "dialect": self.dialect.id,
            "operation": operation.name if operation is not None else None,
            "code": code, "ms": round((time.monotonic() - started) * 1000, 1)}
        if call is not None and call.subject:
            details["subject"] = call.subject[:200]
        if call is not None and call.header.application_name:
            details["application"] = call.header.application_name[:100]
        if error is not None:
            details["error"] = type(error).__name__
        audit = self.services.audit
        if audit.add(CallRecord(actor, session.tenant_id if session is not None else None,
                                details)):
            audit.flush(wait=False)


def _fill_error(block: etree._Element, info: ErrorInfo, txn_id: int,
                client_txn_id: str | None) -> None:
    add(block, "INTL_TXN_ID", txn_id)
    add(block, "CLIENT_TXN_ID", client_txn_id)
    add(block, "ERROR_CODE", info.code)
    add(block, "ERROR_SHORT_DES", info.short)
    add(block, "ERROR_LONG_DES", info.long)


def _guess_version(content_type: str | None) -> SoapVersion:
    try:
        media = parse_media_type(content_type)
    except UnsupportedMediaType:
        return SoapVersion.V11
    inner = media.param("start-info") or media.param("type") or media.value
    return SoapVersion.for_media_type(inner)


def _response(answer: Answer) -> Response:
    return Response(answer.body, status_code=answer.status,
                    headers={"content-type": answer.content_type})
