"""The ASGI assembly of the ERP-facing faces: REST (``/api/v1``), the SOAP dialects, OpenAPI.

:func:`api_app` builds one FastAPI application for an
:class:`~entegrator.core.wiring.Integrator`: the REST routers (:mod:`entegrator.api.rest`),
the SOAP routes of :mod:`entegrator.api.soap` when that face is installed, RFC 9457 error
handlers, ``/openapi.json`` (with security schemes and examples) and the protection
middleware (request ids, body limit, one audit row per REST call). :func:`api_routes` is the
face factory ``entegrator serve`` lists in ``entegrator.cli.serve.FACES``: the app mounted
at the root *behind* the GİB-facing EFatura route and ``/healthz`` that
:func:`entegrator.core.server.create_app` puts first — so one process, one port serves GİB and
the ERPs (docs/decisions/api-rest-app.md). :func:`integrator_app` is that whole assembly.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount

from entegrator import __version__
from entegrator.api.protection import CallAudit, Protection, ProtectionMiddleware
from entegrator.api.rest import PREFIX, RestContext, rest_router
from entegrator.api.rest.auth import AccessTokens, Authenticator, new_token_key
from entegrator.api.rest.models import INVOICE_EXAMPLE, BatchRequest, SendItem
from entegrator.api.rest.problems import MEDIA_TYPE as PROBLEM_TYPE
from entegrator.api.rest.problems import install_handlers
from entegrator.api.settings import TOKEN_KEY_SECRET, ApiSettings
from entegrator.api.soap.routes import soap_routes
from entegrator.core.server import create_app
from entegrator.core.wiring import Integrator
from entegrator.errors import ConfigurationError

__all__ = ["api_app", "api_routes", "api_settings", "integrator_app"]

log = logging.getLogger("entegrator.api")

TOKEN_PATH: Final = f"{PREFIX}/oauth/token"
_DESCRIPTION: Final = """\
entegrator — e-Fatura özel entegratör REST API'si.

* Kimlik: `X-API-Key: <anahtar kimliği>.<gizli>` ya da `Authorization: ApiKey …`; veya
  `POST /api/v1/oauth/token` (client credentials) ile alınan `Authorization: Bearer …`.
  Her kimlik bilgisi tek bir mükellefe ve tek bir role bağlıdır.
* Hatalar RFC 9457 problem ayrıntısıdır (`application/problem+json`): `code`, varsa GİB
  durum kodu `gib_code` ve İzibiz uyumlu `izibiz_code` taşır.
* Gönderim `Idempotency-Key` başlığını kabul eder: aynı anahtar ve aynı içerik ilk sonucu
  döndürür.
* Listeler imleçle sayfalanır: yanıttaki `next_cursor` değerini `cursor` olarak gönderin.
"""


def api_settings(integrator: Integrator, base: ApiSettings | None = None) -> ApiSettings:
    """``base`` (defaults) with the access-token key from the secret store, if one is set."""
    from dataclasses import replace

    settings = base or ApiSettings()
    if settings.token_key is not None:
        return settings
    try:
        key = integrator.config.signing.secrets.resolve(TOKEN_KEY_SECRET)
    except ConfigurationError:
        return settings
    return replace(settings, token_key=key)


def api_app(integrator: Integrator, settings: ApiSettings | None = None, *,
            soap: bool = True) -> FastAPI:
    """The ERP-facing FastAPI application for ``integrator`` (module docstring); ``soap``
    adds the İzibiz/EDM SOAP services, sharing the protection and the audit buffer."""
    settings = api_settings(integrator, settings)
    if settings.token_key is None:
        log.warning("ENTEGRATOR_SECRET_%s tanımlı değil: erişim belirteçleri yalnız bu "
                    "süreçte geçerli", TOKEN_KEY_SECRET)
        key = new_token_key()
    else:
        key = settings.token_key.reveal().encode("utf-8")
        if len(key) < 32:
            raise ConfigurationError(f"{TOKEN_KEY_SECRET} en az 32 bayt olmalı")
    protection = Protection(settings)
    authenticator = Authenticator(integrator, settings, protection,
                                  AccessTokens(key, settings.token_ttl))
    ctx = RestContext(integrator, settings, protection, authenticator)
    app = FastAPI(
        title="entegrator API", version=__version__, description=_DESCRIPTION,
        openapi_url="/openapi.json" if settings.openapi else None, docs_url=None,
        redoc_url=None,
    )
    install_handlers(app)
    app.include_router(rest_router(ctx))
    audit = CallAudit(integrator.db, integrator.clock,
                      flush_interval=settings.audit_flush_interval)
    if soap:
        app.router.routes.extend(soap_routes(integrator, protection=protection, audit=audit))
    app.add_middleware(ProtectionMiddleware, settings=settings, audit=audit,
                       prefix=PREFIX + "/")
    app.state.audit = audit
    app.state.protection = protection
    app.state.context = ctx
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def api_routes(integrator: Integrator) -> Sequence[BaseRoute]:
    """The face factory for ``entegrator serve``: the API app mounted at the root."""
    return [Mount("", app=api_app(integrator))]


def integrator_app(integrator: Integrator, settings: ApiSettings | None = None) -> Starlette:
    """What ``entegrator serve`` serves: GİB's EFatura route, ``/healthz`` and the API."""
    return create_app(integrator, faces=[Mount("", app=api_app(integrator, settings))])


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description,
                         routes=app.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for model in (SendItem, BatchRequest):
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(body.pop("$defs", {}))
        schemas[model.__name__] = body
    components["securitySchemes"] = {
        "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                   "description": "<anahtar kimliği>.<gizli>"},
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "oauth2": {"type": "oauth2", "flows": {"clientCredentials": {
            "tokenUrl": TOKEN_PATH, "scopes": {}}}},
    }
    example = {"invoice": INVOICE_EXAMPLE, "client_reference": "ERP-000123"}
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            _problem_content(operation.get("responses", {}))
            if path != TOKEN_PATH:
                operation["security"] = [{"apiKey": []}, {"bearer": []}, {"oauth2": []}]
            content = operation.get("requestBody", {}).get("content", {})
            json_body = content.get("application/json", {})
            if json_body.get("schema", {}).get("$ref", "").endswith("/SendItem"):
                json_body["example"] = example
    app.openapi_schema = schema
    return schema


def _problem_content(responses: dict[str, Any]) -> None:
    """Error responses are ``application/problem+json`` bodies of the Problem schema."""
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    for status, response in responses.items():
        if status.isdigit() and int(status) >= 400:
            response["content"] = {PROBLEM_TYPE: problem}
