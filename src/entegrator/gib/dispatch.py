"""Answer one EFatura request: decode the SOAP body, check it, call the receiver port, encode.

This is the SOAP half of :mod:`entegrator.gib.server`, free of HTTP and asyncio so it can run in a
worker thread and be tested directly. The checks GİB performs synchronously on every
``sendDocument`` (gib-protocol.md §8 item 2) happen here, before the port sees anything:
``fileName`` must be ``<UUID>.zip`` (fault 2006) and ``hash`` must equal the MD5 of the bytes
(fault 2000). The port's typed errors become EFaturaFault codes; any other exception becomes
2005 SISTEM HATASI. The answer uses the request's SOAP version and, for MTOM requests, MTOM
packaging (WCF MTOM clients refuse plain answers).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from entegrator.envelope import md5_hex
from entegrator.errors import EntegratorError, NotFound
from entegrator.gib.contract import (
    GET_APPLICATION_RESPONSE,
    SEND_DOCUMENT,
    hashes_equal,
    is_valid_file_name,
)
from entegrator.gib.errors import (
    FaultAction,
    GibFault,
    HashMismatch,
    InvalidFileName,
    MalformedMessage,
    MessageTooLarge,
    SystemFault,
    UnknownEnvelope,
    UnsupportedMediaType,
)
from entegrator.gib.messages import (
    APP_RESP_REQUEST,
    DOCUMENT_REQUEST,
    AppRespRequest,
    AppRespResponse,
    DocumentRequest,
    DocumentResponse,
    FaultDetail,
)
from entegrator.gib.mtom import parse_media_type
from entegrator.gib.ports import Caller, DocumentReceiver
from entegrator.gib.soap import Fault, SoapMessage, SoapVersion, fault_element, read_message
from entegrator.gib.soap import write_message as _write
from entegrator.gib.transport import Reply
from entegrator.ubl.identifiers import ettn

__all__ = ["EFaturaService", "Handled", "fault_reply"]

log = logging.getLogger("entegrator.gib.server")
_T = TypeVar("_T")



@dataclass(frozen=True, slots=True)
class Handled:
    """The HTTP answer to one request, plus what the log and the exchange hook need."""

    reply: Reply
    method: str | None = None
    subject: str | None = None
    fault_code: int | None = None


def fault_reply(reason: str, *, status: int, version: SoapVersion = SoapVersion.V12,
                sender: bool = True, detail: FaultDetail | None = None,
                mtom: bool = False) -> Reply:
    """A SOAP fault as an HTTP reply."""
    element = fault_element(version, Fault(
        reason=reason, sender=sender,
        detail=detail.to_element() if detail is not None else None))
    body, content_type = _write(element, version, mtom=mtom)
    return Reply(status, {"content-type": content_type}, body)


class EFaturaService:
    """Turns request bytes into reply bytes for one :class:`DocumentReceiver`."""

    def __init__(self, receiver: DocumentReceiver, *, max_xml_bytes: int) -> None:
        self._receiver = receiver
        self._max_xml_bytes = max_xml_bytes

    def handle(self, body: bytes, content_type: str | None, *, soap_action: str | None,
               caller: Caller) -> Handled:
        """Answer one POSTed body. Never raises: every failure becomes a SOAP fault."""
        try:
            message = read_message(body, content_type, soap_action=soap_action,
                                   max_bytes=self._max_xml_bytes)
        except MalformedMessage as exc:
            return Handled(fault_reply(exc.message, status=_status_for(exc),
                                       version=_guess_version(content_type)))
        method: str | None = None
        subject: str | None = None
        try:
            if message.payload.tag == DOCUMENT_REQUEST:
                method = SEND_DOCUMENT
                request = DocumentRequest.from_element(message.payload, message.attachments)
                subject = request.file_name
                answer = self._send_document(request, caller).to_element()
            elif message.payload.tag == APP_RESP_REQUEST:
                method = GET_APPLICATION_RESPONSE
                query = AppRespRequest.from_element(message.payload)
                subject = query.instance_identifier
                answer = self._application_response(query, caller).to_element()
            else:
                raise MalformedMessage(f"bilinmeyen işlem: {message.payload.tag!r}")
        except MalformedMessage as exc:
            return Handled(self._fault(message, exc.message, sender=True), method, subject)
        except GibFault as fault:
            log.info("%s %s: EFaturaFault %s (%s)", method, subject, fault.code, caller.address)
            return Handled(self._efatura_fault(message, fault), method, subject, fault.code)
        body_out, content_type_out = _write(answer, message.version, mtom=message.mtom)
        return Handled(Reply(200, {"content-type": content_type_out}, body_out), method, subject)

    def _send_document(self, request: DocumentRequest, caller: Caller) -> DocumentResponse:
        file_name, data = request.file_name, request.data
        if not is_valid_file_name(file_name):
            raise InvalidFileName()
        if data is None:
            raise MalformedMessage("documentRequest/binaryData yok")
        computed = md5_hex(data)
        if not hashes_equal(request.hash, computed):
            raise HashMismatch()
        result = self._call(
            lambda: self._receiver.receive(file_name, data, computed, caller=caller))
        log.info("%s %s alındı (%d bayt, %s)", SEND_DOCUMENT, file_name, len(data),
                 caller.address)
        # Echo the MD5 in the sender's letter case: some clients compare case-sensitively.
        returned = computed.upper() if (request.hash or "").strip().isupper() else computed
        return DocumentResponse(msg=result.message, hash=returned)

    def _application_response(self, query: AppRespRequest, caller: Caller) -> AppRespResponse:
        instance_id = (query.instance_identifier or "").strip()
        if not ettn.is_valid(instance_id):
            raise UnknownEnvelope()
        xml = self._call(lambda: self._receiver.application_response(instance_id, caller=caller))
        try:
            text = xml.decode("utf-8")
        except (UnicodeDecodeError, AttributeError) as exc:
            log.error("application_response(%s) UTF-8 bayt döndürmedi", instance_id)
            raise SystemFault() from exc
        return AppRespResponse(application_response=text)

    @staticmethod
    def _call(thunk: Callable[[], _T]) -> _T:
        try:
            return thunk()
        except GibFault:
            raise
        except NotFound as exc:
            raise UnknownEnvelope() from exc
        except Exception as exc:
            level = logging.WARNING if isinstance(exc, EntegratorError) else logging.ERROR
            log.log(level, "alıcı port hatası; 2005 SISTEM HATASI dönülüyor", exc_info=True)
            raise SystemFault() from exc

    @staticmethod
    def _fault(message: SoapMessage, reason: str, *, sender: bool) -> Reply:
        return fault_reply(reason, status=500, version=message.version, sender=sender,
                           mtom=message.mtom)

    @staticmethod
    def _efatura_fault(message: SoapMessage, fault: GibFault) -> Reply:
        return fault_reply(fault.msg, status=500, version=message.version,
                           sender=fault.action is not FaultAction.RETRY_LATER,
                           detail=FaultDetail(fault.code, fault.msg), mtom=message.mtom)


def _status_for(exc: MalformedMessage) -> int:
    if isinstance(exc, MessageTooLarge):
        return 413
    if isinstance(exc, UnsupportedMediaType):
        return 415
    return 500


def _guess_version(content_type: str | None) -> SoapVersion:
    try:
        media = parse_media_type(content_type)
    except UnsupportedMediaType:
        return SoapVersion.V12
    inner = media.param("start-info") or media.param("type") or media.value
    return SoapVersion.for_media_type(inner)
