"""Errors as RFC 9457 problem details (``application/problem+json``), from ONE table.

:data:`PROBLEMS` maps an error type to its HTTP status, Turkish title, stable ``code`` (the
last part of the problem ``type`` URI, ``urn:entegrator:problem:<code>``), the İzibiz error
code an ERP already knows (integrator-api.md §6) and, where GİB has a code for the same
situation, GİB's status code (gib-protocol §5.2: 1163 an already registered invoice, 1181
no such address). The most specific type in an exception's MRO wins; an error that carries
its own ``gib_code`` (validation 1150/1160, signatures 1161–1177) reports that one.

Extra members: ``code``, ``gib_code``, ``izibiz_code``, ``request_id``, ``errors`` (every
finding or field problem: ``path``, ``message``, ``rule``), ``state`` (InvalidState).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from entegrator.api.protection import Throttled
from entegrator.core.auth import AuthenticationFailed
from entegrator.core.errors import (
    DeadlineExpired,
    DuplicateDocument,
    InvalidState,
    NotRegisteredUser,
    ProfileRuleViolation,
)
from entegrator.core.tenants import AlreadyExists
from entegrator.core.webhooks import DestinationRefused
from entegrator.errors import (
    ConfigurationError,
    DocumentError,
    EntegratorError,
    InvalidIdentifier,
    NotFound,
    PermissionDenied,
    TransportError,
)
from entegrator.render.errors import RenderError
from entegrator.store.archive.errors import (
    ArchiveError,
    ContentCorrupted,
    DocumentNotArchived,
    ImportRejected,
    RetentionViolation,
)
from entegrator.store.errors import StoreError, TenantScopeViolation
from entegrator.ubl import InvoiceInvalid
from entegrator.ubl.xml import XmlError
from entegrator.validation import DocumentInvalid

__all__ = [
    "MEDIA_TYPE",
    "PROBLEMS",
    "Problem",
    "ProblemKind",
    "install_handlers",
    "problem_for",
    "problem_response",
]

log = logging.getLogger("entegrator.api.rest")

MEDIA_TYPE: Final = "application/problem+json"
TYPE_PREFIX: Final = "urn:entegrator:problem:"


@dataclass(frozen=True, slots=True)
class ProblemKind:
    """One row of the table: how an error type is answered."""

    status: int
    title: str
    code: str
    izibiz_code: int | None = None
    gib_code: int | None = None


#: Error type → answer. Order does not matter: the most specific class in the MRO wins.
PROBLEMS: Final[dict[type[BaseException], ProblemKind]] = {
    Throttled: ProblemKind(429, "Çok fazla istek", "rate-limited", 10018),
    AuthenticationFailed: ProblemKind(401, "Kimlik doğrulanamadı", "unauthorized", 10004),
    PermissionDenied: ProblemKind(403, "Bu işlem için yetkiniz yok", "forbidden", 10006),
    NotFound: ProblemKind(404, "Bulunamadı", "not-found", 10008),
    AlreadyExists: ProblemKind(409, "Kayıt zaten var", "already-exists", 10011),
    DuplicateDocument: ProblemKind(409, "Belge daha önce gönderilmiş", "duplicate-document",
                                   10009, 1163),
    InvalidState: ProblemKind(409, "Belgenin durumu bu işleme uygun değil", "invalid-state",
                              10013),
    DeadlineExpired: ProblemKind(409, "Yanıt süresi (8 gün) doldu", "deadline-expired", 10013),
    NotRegisteredUser: ProblemKind(422, "Alıcı e-Fatura kayıtlı kullanıcısı değil",
                                   "not-registered-user", 10013, 1181),
    ProfileRuleViolation: ProblemKind(422, "Senaryo ya da fatura tipi kuralına aykırı",
                                      "profile-rule", 10013),
    DocumentInvalid: ProblemKind(422, "Belge GİB doğrulamasından geçmedi", "document-invalid",
                                 10003),
    InvoiceInvalid: ProblemKind(422, "Fatura geçersiz", "invoice-invalid", 10013),
    InvalidIdentifier: ProblemKind(422, "Geçersiz kimlik numarası", "invalid-identifier",
                                   10013),
    DestinationRefused: ProblemKind(422, "Webhook adresi kabul edilmedi",
                                    "webhook-destination", 10013),
    RenderError: ProblemKind(422, "Belge görüntülenemedi", "render-failed", 10001),
    XmlError: ProblemKind(400, "XML okunamadı", "malformed-xml", 10013),
    DocumentError: ProblemKind(400, "Geçersiz istek", "bad-request", 10013),
    TransportError: ProblemKind(503, "Dış hizmete ulaşılamadı", "upstream-unavailable", -1),
    DocumentNotArchived: ProblemKind(404, "Arşivde bulunamadı", "not-found", 10008),
    RetentionViolation: ProblemKind(403, "Saklama süresi dolmadan silinemez", "retention",
                                    10006),
    ImportRejected: ProblemKind(422, "Belge arşive alınamadı", "import-rejected", 10013),
    ContentCorrupted: ProblemKind(500, "Arşiv içeriği doğrulanamadı", "archive-corrupted",
                                  10001),
    ArchiveError: ProblemKind(400, "Arşiv isteği geçersiz", "archive-request", 10013),
    TenantScopeViolation: ProblemKind(500, "Beklenmeyen sunucu hatası", "internal", 10001),
    StoreError: ProblemKind(503, "Veritabanı şu an yanıt vermiyor", "store-unavailable", -1),
    DataError: ProblemKind(400, "Geçersiz değer", "bad-value", 10013),
    OperationalError: ProblemKind(503, "Veritabanı şu an yanıt vermiyor", "store-unavailable",
                                  -1),
    PoolTimeout: ProblemKind(503, "Sunucu çok meşgul", "busy", -1),
    ConfigurationError: ProblemKind(500, "Sunucu yapılandırma hatası", "configuration", 10001),
    EntegratorError: ProblemKind(400, "İstek işlenemedi", "rejected", 10013),
    RequestValidationError: ProblemKind(422, "İstek geçersiz", "validation", 10013),
    Exception: ProblemKind(500, "Beklenmeyen sunucu hatası", "internal", 10001),
}


class ProblemItem(BaseModel):
    """One finding or field problem."""

    path: str | None = Field(None, description="Alan yolu ya da XPath")
    message: str
    rule: str | None = Field(None, description="Kural kimliği (GİB şematron, XSD, TR-…)")


class Problem(BaseModel):
    """RFC 9457 problem details with entegrator's members."""

    type: str = Field(examples=["urn:entegrator:problem:duplicate-document"])
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str = Field(description="Kalıcı hata kodu (type URI'nin son parçası)")
    gib_code: int | None = Field(None, description="GİB durum kodu (1000–1300), varsa")
    izibiz_code: int | None = Field(None, description="İzibiz/EDM uyumlu hata kodu")
    request_id: str | None = None
    state: str | None = Field(None, description="InvalidState: belgenin şimdiki durumu")
    errors: list[ProblemItem] | None = None
    error: str | None = Field(None, description="RFC 6749 hata kodu (yalnız belirteç ucu)")


def problem_for(exc: BaseException) -> ProblemKind:
    """The table row for ``exc`` (most specific class in its MRO)."""
    for cls in type(exc).__mro__:
        kind = PROBLEMS.get(cls)
        if kind is not None:
            return kind
    return PROBLEMS[Exception]


def problem_response(
    status: int, title: str, code: str, *, detail: str | None = None,
    instance: str | None = None, request_id: str | None = None,
    headers: dict[str, str] | None = None, **extra: Any,
) -> Response:
    """A ``application/problem+json`` response."""
    body = Problem(type=TYPE_PREFIX + code, title=title, status=status, detail=detail,
                   instance=instance, code=code, request_id=request_id, **extra)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status,
                        media_type=MEDIA_TYPE, headers=headers)


def install_handlers(app: FastAPI) -> None:
    """Answer every error of ``app`` with problem details."""
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _error)
    app.add_exception_handler(EntegratorError, _error)
    app.add_exception_handler(OperationalError, _error)
    app.add_exception_handler(DataError, _error)
    app.add_exception_handler(PoolTimeout, _error)
    app.add_exception_handler(Exception, _error)


_HTTP: Final[dict[int, tuple[str, str]]] = {
    400: ("Geçersiz istek", "bad-request"),
    404: ("Bulunamadı", "not-found"),
    405: ("Bu yöntem desteklenmiyor", "method-not-allowed"),
    406: ("İstenen biçim verilemiyor", "not-acceptable"),
    413: ("İstek gövdesi çok büyük", "too-large"),
    415: ("İçerik türü desteklenmiyor", "unsupported-media-type"),
    429: ("Çok fazla istek", "rate-limited"),
}


async def _http_error(request: Request, exc: HTTPException) -> Response:
    title, code = _HTTP.get(exc.status_code, ("HTTP hatası", f"http-{exc.status_code}"))
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(exc.status_code, title, code, detail=detail,
                            instance=request.url.path, request_id=_request_id(request),
                            headers=dict(exc.headers or {}))


async def _error(request: Request, exc: Exception) -> Response:
    kind = problem_for(exc)
    extra: dict[str, Any] = {}
    headers: dict[str, str] = {}
    if kind.status >= 500:
        log.error("API isteği başarısız: %s %s", request.method, request.url.path,
                  exc_info=exc)
        detail = None if kind.status == 500 else str(exc)
        if kind.status == 503:
            headers["Retry-After"] = "5"
    else:
        detail = getattr(exc, "message", None) or str(exc) or None
    gib_code = getattr(exc, "gib_code", None) or kind.gib_code
    if isinstance(exc, Throttled):
        headers["Retry-After"] = str(max(1, round(exc.retry_after)))
    if kind.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="entegrator", ApiKey realm="entegrator"'
    errors = _items(exc)
    if errors:
        extra["errors"] = errors
    if isinstance(exc, InvalidState):
        extra["state"] = exc.state
    if isinstance(exc, RequestValidationError):
        detail = "İstekteki alanlar beklenen biçimde değil"
    return problem_response(kind.status, kind.title, kind.code, detail=detail,
                            instance=request.url.path, request_id=_request_id(request),
                            headers=headers or None, gib_code=gib_code,
                            izibiz_code=kind.izibiz_code, **extra)


def _items(exc: Exception) -> list[ProblemItem]:
    if isinstance(exc, DocumentInvalid):
        return [ProblemItem(path=f.xpath, message=f.message, rule=f.rule)
                for f in exc.report.errors][:200]
    if isinstance(exc, InvoiceInvalid):
        return [ProblemItem(path=p.path or None, message=p.message) for p in exc.problems][:200]
    if isinstance(exc, RequestValidationError):
        return [ProblemItem(path=".".join(str(p) for p in e.get("loc", ())),
                            message=str(e.get("msg", ""))) for e in exc.errors()][:200]
    return []


def _request_id(request: Request) -> str | None:
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None
