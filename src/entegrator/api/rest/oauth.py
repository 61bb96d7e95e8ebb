"""``POST /api/v1/oauth/token`` (OAuth 2.0 client credentials, RFC 6749 §4.4) and
``GET /api/v1/me`` (who the credential is).

The client authenticates with HTTP Basic (``client_id:client_secret``, RFC 6749 §2.3.1) or
with ``client_id`` and ``client_secret`` in the form body; the id is an API credential's key
id, the secret its secret. The answer is ``{"access_token", "token_type": "Bearer",
"expires_in", "scope"}`` — the scope is the credential's role. Errors are problem details
that also carry RFC 6749's ``error`` member (``invalid_client``, ``unsupported_grant_type``,
``invalid_request``). Failed attempts count against the client address (brute force).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from entegrator.api.rest.auth import origin_of
from entegrator.api.rest.context import RestContext, call
from entegrator.api.rest.invoices import ERRORS
from entegrator.api.rest.problems import problem_response
from entegrator.core import tenants
from entegrator.core.auth import AuthenticationFailed
from entegrator.core.context import Caller
from entegrator.errors import PermissionDenied

__all__ = ["oauth_router"]

_FORM = "application/x-www-form-urlencoded"


class TokenResponse(BaseModel):
    """An access token (RFC 6749 §5.1)."""

    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    scope: str


class WhoAmI(BaseModel):
    """The taxpayer and role a credential acts for."""

    taxpayer_id: int
    vkn_tckn: str
    title: str
    role: str
    credential: str | None


def oauth_router(ctx: RestContext) -> APIRouter:
    """The token and identity routes over ``ctx``."""
    router = APIRouter(tags=["kimlik"], responses=ERRORS)
    integrator = ctx.integrator
    auth = Depends(ctx.authenticator)

    @router.post(
        "/oauth/token", response_model=TokenResponse,
        summary="Erişim belirteci al (OAuth2 client credentials)",
        openapi_extra={"requestBody": {"required": True, "content": {_FORM: {"schema": {
            "type": "object", "required": ["grant_type"],
            "properties": {
                "grant_type": {"type": "string", "enum": ["client_credentials"]},
                "client_id": {"type": "string", "maxLength": 100},
                "client_secret": {"type": "string", "maxLength": 200},
                "scope": {"type": "string", "maxLength": 100},
            }}}}}},
    )
    async def token(request: Request) -> Any:
        origin = origin_of(request)
        form = await _form(request)
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(request, 400, "unsupported_grant_type",
                                "Yalnız grant_type=client_credentials desteklenir")
        client_id, secret = _client(request, form)
        if not client_id or not secret:
            return _oauth_error(request, 401, "invalid_client",
                                "client_id ve client_secret gerekli (Basic ya da form)")
        ctx.protection.admit_login(None, origin.ip)
        try:
            caller = await ctx.authenticator.api_key(f"{client_id}.{secret}", origin)
        except (AuthenticationFailed, PermissionDenied):
            ctx.protection.login_failed(None, origin.ip)
            return _oauth_error(request, 401, "invalid_client", "İstemci doğrulanamadı")
        issued = ctx.authenticator.tokens.issue(caller)
        body = TokenResponse(access_token=issued.token, expires_in=issued.expires_in,
                             scope=caller.role.value)
        return JSONResponse(body.model_dump(), headers={"Cache-Control": "no-store",
                                                        "Pragma": "no-cache"})

    @router.get("/me", response_model=WhoAmI, summary="Kimlik bilgisinin mükellefi ve rolü")
    async def me(caller: Caller = auth) -> WhoAmI:
        def taxpayer() -> tenants.Taxpayer:
            with integrator.db.transaction(read_only=True) as conn:
                return tenants.get_taxpayer(conn, caller.tenant_id)

        found = await call(taxpayer)
        return WhoAmI(taxpayer_id=found.id, vkn_tckn=found.vkn_tckn, title=found.title,
                      role=caller.role.value, credential=caller.actor.id)

    return router


async def _form(request: Request) -> dict[str, str]:
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if kind != _FORM:
        return {}
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        return {}
    try:
        parsed = parse_qs(text, keep_blank_values=True, max_num_fields=20)
    except ValueError:  # more fields than any token request has
        return {}
    return {k: v[0] for k, v in parsed.items() if v}


def _client(request: Request, form: dict[str, str]) -> tuple[str, str]:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "basic" and value.strip():
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            return "", ""
        client_id, _, secret = decoded.partition(":")
        return client_id.strip(), secret
    return form.get("client_id", "").strip(), form.get("client_secret", "")


def _oauth_error(request: Request, status: int, error: str, detail: str) -> Any:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="entegrator"'
    return problem_response(status, "Belirteç verilemedi", error.replace("_", "-"),
                            detail=detail, instance=request.url.path,
                            request_id=request.scope.get("state", {}).get("request_id"),
                            headers=headers, error=error)
