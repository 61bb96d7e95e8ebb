"""The admin API's plumbing: access control, JSON in and out, errors to HTTP statuses.

Every admin endpoint is a plain function ``(params, query, body) -> JSON value`` run in a
worker thread (it touches the database). Access: callers from loopback only unless
``admin_remote`` is set, and — when ``admin_token`` is configured — the header
``Authorization: Bearer <token>``. Errors: unknown objects 404, bad input 400, a user-list
conflict 409; the body is ``{"hata": "<Turkish message>"}``.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any, Final

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from entegrator.errors import ConfigurationError, DocumentError, InvalidIdentifier, NotFound
from entegrator.simulator.config import SimulatorConfig
from entegrator.simulator.errors import AliasConflict

__all__ = ["AdminHandler", "admin_route", "field", "optional"]

log = logging.getLogger("entegrator.simulator")

#: ``(path parameters, query parameters, JSON body or None) -> JSON-ready result``.
AdminHandler = Callable[[Mapping[str, Any], Mapping[str, str], Any], Any]
_MAX_BODY: Final = 1024 * 1024


def field(body: Any, name: str, kind: type = str) -> Any:
    """A required field of a JSON object body (``ValueError`` if missing or mistyped)."""
    if not isinstance(body, dict) or name not in body:
        raise ValueError(f"'{name}' alanı gerekli")
    return _typed(body[name], name, kind)


def optional(body: Any, name: str, kind: type = str, default: Any = None) -> Any:
    """An optional field of a JSON object body."""
    if not isinstance(body, dict) or body.get(name) is None:
        return default
    return _typed(body[name], name, kind)


def _typed(value: Any, name: str, kind: type) -> Any:
    if kind is int and isinstance(value, bool):
        raise ValueError(f"'{name}' bir tam sayı olmalı")
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind):
        raise ValueError(f"'{name}' alanının türü {kind.__name__} olmalı")
    return value


def _denied(config: SimulatorConfig, request: Request) -> Response | None:
    peer = request.client.host if request.client else ""
    try:
        local = ipaddress.ip_address(peer).is_loopback
    except ValueError:
        local = False
    if not (local or config.admin_remote):
        return JSONResponse({"hata": "yönetim arayüzü yalnız yerel adresten"}, status_code=403)
    token = config.admin_token
    if token is not None:
        given = request.headers.get("authorization", "")
        expected = f"Bearer {token.reveal()}"
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return JSONResponse({"hata": "yönetim anahtarı geçersiz"}, status_code=401)
    return None


def _status(exc: Exception) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, AliasConflict):
        return 409
    return 400


async def _body(request: Request) -> Any:
    if request.method not in ("POST", "PUT"):
        return None
    raw = await request.body()
    if len(raw) > _MAX_BODY:
        raise ValueError("istek gövdesi çok büyük")
    if not raw.strip():
        return {}
    return json.loads(raw)


def admin_route(config: SimulatorConfig, path: str, method: str, handler: AdminHandler,
                *, status: int = 200) -> Route:
    """One admin endpoint (see the module docstring)."""

    async def endpoint(request: Request) -> Response:
        denied = _denied(config, request)
        if denied is not None:
            return denied
        try:
            body = await _body(request)
            result = await anyio.to_thread.run_sync(
                handler, dict(request.path_params), dict(request.query_params), body)
        except (NotFound, AliasConflict, ConfigurationError, InvalidIdentifier, DocumentError,
                ValueError) as exc:
            message = exc.message if hasattr(exc, "message") else str(exc)
            return JSONResponse({"hata": message}, status_code=_status(exc))
        if isinstance(result, Response):
            return result
        return JSONResponse(result, status_code=status)

    return Route(path, endpoint, methods=[method], name=f"admin {method} {path}")
