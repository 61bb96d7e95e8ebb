"""Errors of the SOAP faces and their translation into the integrators' error codes.

Handlers raise core's errors (:mod:`entegrator.core.errors`, :mod:`entegrator.errors`) or the
face errors below; :func:`classify` turns any exception into an :class:`ErrorInfo` — code,
Turkish short and long text, and whether the client is to blame — using a dialect's
:class:`CodeTable` (İzibiz's codes, integrator-api.md §6; EDM's 2005 for a failed login and
its "Aktif session bulunamadı" text, §3.3). Another taxpayer's document is ``NotFound``
(10008), exactly like a document that does not exist. Unexpected exceptions become 10001
(or -1 "retry later" for retryable errors) without their internals; the log has the rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from entegrator.api.protection import Throttled
from entegrator.core.auth import AccountLocked, AuthenticationFailed
from entegrator.core.errors import (
    DeadlineExpired,
    DuplicateDocument,
    InvalidState,
    NotRegisteredUser,
    ProfileRuleViolation,
)
from entegrator.core.sessions import SessionInvalid
from entegrator.errors import (
    DocumentError,
    EntegratorError,
    InvalidIdentifier,
    NotFound,
    PermissionDenied,
)
from entegrator.validation import DocumentInvalid

__all__ = [
    "EDM_CODES",
    "IZIBIZ_CODES",
    "OIB_CODES",
    "AlreadyDone",
    "BadRequest",
    "CodeTable",
    "ErrorInfo",
    "NotZip",
    "SoapFaceError",
    "TooLarge",
    "Unsupported",
    "classify",
]

log = logging.getLogger("entegrator.api.soap")


class SoapFaceError(EntegratorError):
    """An error found by the SOAP face itself (before or around core)."""


class BadRequest(SoapFaceError, DocumentError):
    """The request is missing something or holds a value that cannot be read (10013)."""


class TooLarge(SoapFaceError):
    """More documents or bytes than one request may carry (10010: 100 documents / 5 MB)."""


class NotZip(SoapFaceError):
    """``COMPRESSED`` is Y but CONTENT is neither a zip nor an XML document (10007)."""


class Unsupported(SoapFaceError):
    """The operation exists in the contract but this integrator does not offer it (10015)."""


class AlreadyDone(SoapFaceError):
    """The action was already taken (answering an invoice twice, 10011)."""


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """What the client is told: code, short and long Turkish text, who is to blame."""

    code: int
    short: str
    long: str | None = None
    client: bool = True


@dataclass(frozen=True, slots=True)
class CodeTable:
    """A dialect's error codes (and the texts that clients match on)."""

    login_failed: int
    login_failed_text: str
    session: int
    session_text: str
    not_authorised: int = 10006
    not_found: int = 10008
    duplicate: int = 10009
    too_large: int = 10010
    not_zip: int = 10007
    invalid: int = 10013
    schematron: int = 10003
    already_done: int = 10011
    unsupported: int = 10015
    throttled: int = 10018
    unexpected: int = 10001
    retry_later: int = -1


#: İzibiz's codes (integrator-api.md §6): 10002/10004 make clients log in again.
IZIBIZ_CODES = CodeTable(
    login_failed=10002, login_failed_text="Oturum oluşturulamadı",
    session=10004, session_text="Geçersiz oturum",
)
#: İzibiz's legacy EFaturaOIB: its clients read 2005 as "already registered / answered" and
#: parse ``UUID:…, ID:…`` out of the short text (§6).
OIB_CODES = CodeTable(
    login_failed=10002, login_failed_text="Oturum oluşturulamadı",
    session=10004, session_text="Geçersiz oturum", duplicate=2005, already_done=2005,
)
#: EDM: 2005 "Kullanıcı Bulunamadı!" for bad credentials; session expiry is recognised by its
#: text. EDM publishes no other codes, so the rest follow İzibiz's table.
EDM_CODES = CodeTable(
    login_failed=2005, login_failed_text="Kullanıcı Bulunamadı!",
    session=10004, session_text="Aktif session bulunamadı",
)


def classify(exc: BaseException, table: CodeTable) -> ErrorInfo:
    """The error the client sees for ``exc`` (see the module docstring)."""
    text = _message(exc)
    if isinstance(exc, SessionInvalid):
        return ErrorInfo(table.session, table.session_text, text)
    if isinstance(exc, Throttled):
        return ErrorInfo(table.throttled, "Çok fazla istek; bir süre sonra yeniden deneyin",
                         f"{text} ({exc.retry_after:.0f} sn sonra)")
    if isinstance(exc, AccountLocked):
        return ErrorInfo(table.login_failed, table.login_failed_text, text)
    if isinstance(exc, AuthenticationFailed):
        return ErrorInfo(table.login_failed, table.login_failed_text,
                         "Kullanıcı adı ya da parola hatalı")
    if isinstance(exc, PermissionDenied):
        return ErrorInfo(table.not_authorised, "Bu işlem için yetkiniz yok", text)
    if isinstance(exc, NotFound):
        return ErrorInfo(table.not_found, "Kriterlere uyan kayıt bulunamadı", text)
    if isinstance(exc, DuplicateDocument):
        return ErrorInfo(table.duplicate, _duplicate_text(exc), text)
    if isinstance(exc, AlreadyDone):
        return ErrorInfo(table.already_done, text)
    if isinstance(exc, TooLarge):
        return ErrorInfo(table.too_large, "İstek çok büyük (en çok 5 MB ya da 100 belge)", text)
    if isinstance(exc, NotZip):
        return ErrorInfo(table.not_zip, "İçerik ZIP olmalı (COMPRESSED=Y)", text)
    if isinstance(exc, Unsupported):
        return ErrorInfo(table.unsupported, "Bu servis desteklenmiyor", text)
    if isinstance(exc, DocumentInvalid):
        return ErrorInfo(table.schematron, "Belge doğrulamadan geçmedi", text)
    if isinstance(exc, DocumentError | InvalidIdentifier | NotRegisteredUser | InvalidState
                  | DeadlineExpired | ProfileRuleViolation):
        return ErrorInfo(table.invalid, "Geçersiz istek", text)
    if isinstance(exc, EntegratorError) and exc.retryable:
        log.warning("retryable error in a SOAP call", exc_info=exc)
        return ErrorInfo(table.retry_later, "Geçici bir hata oluştu; daha sonra yeniden deneyin",
                         None, client=False)
    log.error("unexpected error in a SOAP call", exc_info=exc)
    return ErrorInfo(table.unexpected, "Beklenmeyen bir sistem hatası oluştu", None,
                     client=False)


def _message(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    notes = getattr(exc, "__notes__", None)
    return f"{message} ({'; '.join(notes)})" if notes else str(message)


def _duplicate_text(exc: DuplicateDocument) -> str:
    # Clients split this text on ':' and ',' to learn which document already exists.
    return (f"Belge daha önce gönderilmiş/kaydedilmiş: UUID:{exc.ettn or ''}, "
            f"ID:{exc.number or ''}")
