"""Client of GİB's EFatura web service: ``sendDocument`` and ``getApplicationResponse``.

The same client talks to GİB Merkez (integrator → Merkez), to the simulator, and — from the
simulator — to an integrator's own endpoint (Merkez → integrator), since the contract is the
same in both directions (gib-protocol.md §1.2). It sends SOAP 1.2 with MTOM by default (Ek-3 §2)
and reads plain or MTOM answers in SOAP 1.1 or 1.2.

Outcomes: a result, an EFaturaFault as a typed :class:`~entegrator.gib.errors.GibFault` subclass
(``AlreadyReceived`` for 2001 means "already there: poll, do not resend"), a
:class:`~entegrator.errors.TransportError` when the network failed, or a
:class:`~entegrator.gib.errors.ProtocolError` when the answer makes no sense.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from lxml import etree

from entegrator.envelope import md5_hex
from entegrator.errors import TransportError
from entegrator.gib.contract import (
    GET_APPLICATION_RESPONSE,
    SEND_DOCUMENT,
    hashes_equal,
    is_valid_file_name,
)
from entegrator.gib.errors import (
    GibFault,
    InvalidFileName,
    MalformedMessage,
    RequestRejected,
    ReturnedHashMismatch,
    UnexpectedReply,
)
from entegrator.gib.messages import (
    AppRespRequest,
    AppRespResponse,
    DocumentRequest,
    DocumentResponse,
    FaultDetail,
)
from entegrator.gib.mtom import Attachment
from entegrator.gib.soap import SoapMessage, SoapVersion, read_fault, read_message, write_message
from entegrator.gib.transport import Exchange, ExchangeHook, Reply, Transport

__all__ = ["GibClient", "GibClientConfig", "SendResult"]

log = logging.getLogger("entegrator.gib.client")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class GibClientConfig:
    """Where and how to call: the service URL, SOAP version, MTOM on/off, reply size cap."""

    endpoint: str
    soap_version: SoapVersion = SoapVersion.V12
    mtom: bool = True
    max_reply_xml_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SendResult:
    """A successful sendDocument: the receiver's MD5 (equal to ours) and its message."""

    hash: str
    msg: str


class GibClient:
    """Calls the EFatura service at ``config.endpoint`` through ``transport``.

    ``on_exchange`` sees every raw request and reply (also failed ones); an exception it raises
    propagates to the caller. Thread-safe if the transport is.
    """

    def __init__(self, config: GibClientConfig, transport: Transport, *,
                 on_exchange: ExchangeHook | None = None) -> None:
        self._config = config
        self._transport = transport
        self._on_exchange = on_exchange

    def send_document(self, file_name: str, zip_bytes: bytes) -> SendResult:
        """Send one zipped envelope named ``<envelope UUID>.zip``; return the receiver's answer.

        Computes the MD5 itself and checks that the answer carries the same hash (any letter
        case), else raises :class:`~entegrator.gib.errors.ReturnedHashMismatch`.
        """
        if not is_valid_file_name(file_name):
            raise InvalidFileName(f"zarf dosya adı <UUID>.zip olmalı: {file_name!r}")
        digest = md5_hex(zip_bytes)
        payload, attachments = DocumentRequest(file_name, zip_bytes, digest).to_element(
            mtom=self._config.mtom)
        message = self._call(SEND_DOCUMENT, file_name, payload, attachments)
        answer = _read(lambda: DocumentResponse.from_element(message.payload))
        if answer.hash is None or not answer.hash.strip():
            raise UnexpectedReply("sendDocument yanıtında hash yok")
        if not hashes_equal(answer.hash, digest):
            raise ReturnedHashMismatch(
                f"{file_name}: karşı tarafın döndürdüğü özet ({answer.hash}) gönderilenle "
                f"({digest}) aynı değil", sent=digest, returned=answer.hash)
        return SendResult(hash=answer.hash.strip(), msg=answer.msg or "")

    def get_application_response(self, instance_id: str) -> bytes:
        """The SYSTEMENVELOPE XML (UTF-8 bytes) the other side holds for envelope ``instance_id``.

        Raises :class:`~entegrator.gib.errors.UnknownEnvelope` (2004) for an unknown UUID.
        """
        if not instance_id or not instance_id.strip():
            raise ValueError("instance_id boş olamaz")
        payload = AppRespRequest(instance_id.strip()).to_element()
        message = self._call(GET_APPLICATION_RESPONSE, instance_id, payload, {})
        answer = _read(lambda: AppRespResponse.from_element(message.payload))
        if not answer.application_response:
            raise UnexpectedReply(f"{instance_id}: getApplicationResponse yanıtı boş")
        return answer.application_response.encode("utf-8")

    def _call(self, method: str, subject: str, payload: etree._Element,
              attachments: dict[str, Attachment]) -> SoapMessage:
        version = self._config.soap_version
        body, content_type = write_message(payload, version, mtom=self._config.mtom,
                                           action=method, attachments=attachments)
        headers = {"content-type": content_type}
        if version is SoapVersion.V11:
            headers["soapaction"] = f'"{method}"'
        url = self._config.endpoint
        started, started_at = time.monotonic(), datetime.now(UTC)
        reply: Reply | None = None
        error: Exception | None = None
        try:
            reply = self._transport.post(url, body, headers)
        except TransportError as exc:
            error = exc
            raise
        finally:
            elapsed = time.monotonic() - started
            log.info("GİB %s %s -> %s (%.0f ms)", method, subject,
                     reply.status if reply else f"hata: {error}", elapsed * 1000)
            if self._on_exchange is not None:
                self._on_exchange(Exchange(
                    direction="out", method=method, subject=subject, url=url,
                    request_headers=headers, request_body=body, reply=reply,
                    started_at=started_at, elapsed=elapsed, error=error))
        return self._answer(method, reply)

    def _answer(self, method: str, reply: Reply) -> SoapMessage:
        try:
            message = read_message(reply.body, reply.content_type,
                                   max_bytes=self._config.max_reply_xml_bytes)
        except MalformedMessage as exc:
            if reply.status >= 400:
                raise TransportError(f"GİB {method}: HTTP {reply.status} ({exc.message})",
                                     status=reply.status) from exc
            raise UnexpectedReply(f"GİB {method} yanıtı okunamadı: {exc.message}",
                                  status=reply.status) from exc
        fault = read_fault(message)
        if fault is None:
            if reply.status != 200:
                raise TransportError(f"GİB {method}: HTTP {reply.status}", status=reply.status)
            return message
        detail = FaultDetail.from_element(fault.detail)
        if detail is not None:
            raise GibFault.for_code(detail.code, detail.msg or None)
        if fault.sender:
            raise RequestRejected(f"GİB {method} isteği reddetti: {fault.reason}",
                                  reason=fault.reason, status=reply.status)
        raise UnexpectedReply(f"GİB {method} hata döndü: {fault.reason}", status=reply.status)


def _read(reader: Callable[[], _T]) -> _T:
    try:
        return reader()
    except MalformedMessage as exc:
        raise UnexpectedReply(f"GİB yanıtı beklenen biçimde değil: {exc.message}") from exc
