"""Errors of the GİB EFatura web service, both directions (Ek-3 §8, gib-protocol.md §1.3).

:class:`GibFault` and its subclasses are the EFaturaFault codes 2000–2007. The same classes serve
both sides: :class:`~entegrator.gib.client.GibClient` raises them when the other side answers with
an EFaturaFault, and a :class:`~entegrator.gib.ports.DocumentReceiver` raises them so that
:mod:`entegrator.gib.server` answers with that fault. Each class states what the *sender* should
do next (:class:`FaultAction`) and whether the job runner may simply try again (``retryable``).

The other errors describe SOAP messages that cannot be read (:class:`MalformedMessage`) and
replies that make no sense (:class:`ProtocolError`). Network failures are
:class:`entegrator.errors.TransportError`.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import ClassVar

from entegrator.errors import DocumentError, EntegratorError, NotFound

__all__ = [
    "AlreadyReceived",
    "ArchiveFailure",
    "FaultAction",
    "FaultCode",
    "GibError",
    "GibFault",
    "HashMismatch",
    "InvalidFileName",
    "MalformedMessage",
    "MessageTooLarge",
    "ProtocolError",
    "QueueFailure",
    "RequestRejected",
    "ReturnedHashMismatch",
    "Suspended",
    "SystemFault",
    "UnexpectedReply",
    "UnknownEnvelope",
    "UnsupportedMediaType",
    "UserListError",
]


class FaultCode(IntEnum):
    """EFaturaFault codes (Ek-3 §8); :attr:`text` is GİB's own message for the code."""

    HASH_MISMATCH = 2000
    ALREADY_RECEIVED = 2001
    ARCHIVE_FAILURE = 2002
    QUEUE_FAILURE = 2003
    UNKNOWN_ENVELOPE = 2004
    SYSTEM_ERROR = 2005
    INVALID_FILE_NAME = 2006
    SUSPENDED = 2007

    @property
    def text(self) -> str:
        """GİB's message text for this code, as GİB writes it."""
        return _FAULT_TEXTS[self]


_FAULT_TEXTS = {
    FaultCode.HASH_MISMATCH: "OZET DEGERLER ESIT DEGIL",
    FaultCode.ALREADY_RECEIVED: "ZARF ID SISTEMDE MEVCUT",
    FaultCode.ARCHIVE_FAILURE: "ZARF ARSIVE EKLENEMEDI",
    FaultCode.QUEUE_FAILURE: "ZARF KUYRUGA EKLENEMEDI",
    FaultCode.UNKNOWN_ENVELOPE: "ZARF ID BULUNAMADI",
    FaultCode.SYSTEM_ERROR: "SISTEM HATASI",
    FaultCode.INVALID_FILE_NAME: "GECERSIZ ZARF ADI",
    FaultCode.SUSPENDED: (
        "PAKET GÖNDERMEYE VE SORGULAMAYA YETKİNİZ GEÇİCİ OLARAK KALDIRILMIŞTIR"
    ),
}


class FaultAction(Enum):
    """What the sender of the request should do after a fault."""

    RESEND = "resend"  # send the same envelope again (the bytes were damaged on the way)
    POLL = "poll"  # the envelope is already there: do not resend, poll its status
    RETRY_LATER = "retry-later"  # the other side failed: try again with backoff
    FIX_REQUEST = "fix-request"  # the request itself is wrong: retrying will not help
    STOP = "stop"  # sending/querying is suspended: an operator must act


class GibError(EntegratorError):
    """Base class of the errors of :mod:`entegrator.gib`."""


class GibFault(GibError):
    """An EFaturaFault: ``code`` (2000–2007) and ``msg`` (GİB's text unless given).

    Raise a subclass; :meth:`for_code` picks the subclass for a code received on the wire.
    """

    fault_code: ClassVar[int | None] = None
    action: ClassVar[FaultAction] = FaultAction.FIX_REQUEST

    def __init__(self, message: str | None = None, *, code: int | None = None,
                 msg: str | None = None) -> None:
        resolved = code if code is not None else self.fault_code
        if resolved is None:
            raise TypeError("GibFault needs a code")
        self.code = resolved
        self.msg = msg if msg is not None else _text_for(resolved)
        super().__init__(message or f"GİB hatası {resolved}: {self.msg}", gib_code=resolved)

    @staticmethod
    def for_code(code: int, msg: str | None = None) -> GibFault:
        """Return the typed fault for ``code`` (a plain :class:`GibFault` for unknown codes)."""
        cls = _BY_CODE.get(code)
        if cls is None:
            return GibFault(code=code, msg=msg)
        return cls(msg=msg)


def _text_for(code: int) -> str:
    try:
        return FaultCode(code).text
    except ValueError:
        return "BILINMEYEN HATA"


class HashMismatch(GibFault):
    """2000: the MD5 sent does not match the bytes received. Send the same envelope again."""

    fault_code = FaultCode.HASH_MISMATCH
    action = FaultAction.RESEND
    # Our client computes the hash from the very bytes it sends, so a mismatch means the
    # bytes changed on the way: sending again is the remedy.
    retryable = True


class AlreadyReceived(GibFault):
    """2001: this envelope UUID was received before. Not a failure: poll its status instead."""

    fault_code = FaultCode.ALREADY_RECEIVED
    action = FaultAction.POLL


class ArchiveFailure(GibFault):
    """2002: the receiver could not archive the envelope. Retry later."""

    fault_code = FaultCode.ARCHIVE_FAILURE
    action = FaultAction.RETRY_LATER
    retryable = True


class QueueFailure(GibFault):
    """2003: the receiver could not queue the envelope. Retry later."""

    fault_code = FaultCode.QUEUE_FAILURE
    action = FaultAction.RETRY_LATER
    retryable = True


class UnknownEnvelope(GibFault, NotFound):
    """2004: no envelope with that UUID (getApplicationResponse)."""

    fault_code = FaultCode.UNKNOWN_ENVELOPE
    action = FaultAction.FIX_REQUEST


class SystemFault(GibFault):
    """2005: a system error on the other side. Retry later."""

    fault_code = FaultCode.SYSTEM_ERROR
    action = FaultAction.RETRY_LATER
    retryable = True


class InvalidFileName(GibFault):
    """2006: ``fileName`` is not ``<envelope UUID>.zip``."""

    fault_code = FaultCode.INVALID_FILE_NAME
    action = FaultAction.FIX_REQUEST


class Suspended(GibFault):
    """2007: the right to send and query is temporarily withdrawn. An operator must act."""

    fault_code = FaultCode.SUSPENDED
    action = FaultAction.STOP


_BY_CODE: dict[int, type[GibFault]] = {
    cls.fault_code: cls
    for cls in (HashMismatch, AlreadyReceived, ArchiveFailure, QueueFailure, UnknownEnvelope,
                SystemFault, InvalidFileName, Suspended)
    if cls.fault_code is not None
}


class MalformedMessage(GibError, DocumentError):
    """An incoming HTTP body is not a readable SOAP message of this service."""


class MessageTooLarge(MalformedMessage):
    """The HTTP body (or a part of it) is larger than the configured limit."""


class UnsupportedMediaType(MalformedMessage):
    """The Content-Type is not SOAP 1.1, SOAP 1.2 or MTOM (multipart/related + XOP)."""


class ProtocolError(GibError):
    """The other side's reply breaks the EFatura contract."""


class UnexpectedReply(ProtocolError):
    """The reply is not a readable EFatura answer (or a fault without EFaturaFault detail).

    Retrying is harmless (a repeated sendDocument ends in 2001), so this is retryable.
    """

    retryable = True

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class RequestRejected(ProtocolError):
    """The other side refused our request as malformed (a SOAP Sender fault without
    EFaturaFault detail). Sending the same request again will not help."""

    def __init__(self, message: str, *, reason: str, status: int | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = status


class ReturnedHashMismatch(ProtocolError):
    """sendDocument succeeded but the hash in the answer is not the MD5 we sent.

    The envelope may be stored on the other side with damaged bytes: a human should look.
    """

    def __init__(self, message: str, *, sent: str, returned: str) -> None:
        super().__init__(message)
        self.sent = sent
        self.returned = returned


class UserListError(GibError, DocumentError):
    """A registered-user list file (zip or XML) cannot be read or is not what it claims to be."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message if line is None else f"{message} (satır {line})")
        self.line = line
