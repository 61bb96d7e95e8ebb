"""Who is calling the REST API: API keys, OAuth2 client-credentials access tokens.

A request names its credential one of three ways:

* ``X-API-Key: <key id>.<secret>`` or ``Authorization: ApiKey <key id>.<secret>`` — an API
  credential of :mod:`entegrator.core.credentials`, checked by
  :func:`entegrator.core.auth.authenticate_api_key`. A checked key is trusted for
  ``auth_cache_seconds`` without another database read (revocation takes that long).
* ``Authorization: Bearer <access token>`` — a token from ``POST /api/v1/oauth/token``
  (RFC 6749 §4.4, client id = key id, client secret = secret): a JWT-shaped HS256 token
  (``sub`` key id, ``tid`` taxpayer, ``role``, ``exp``) valid ``token_ttl`` seconds. Tokens are
  stateless: revoking the credential stops new tokens; issued ones run out within the TTL.

Each credential belongs to ONE taxpayer and carries ONE role; the resulting
:class:`~entegrator.core.context.Caller` is what every route hands to core. Failures count
against the client address (brute-force lockout), successes against the credential's rate.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Final

import anyio.to_thread
from fastapi import Request

from entegrator.api.protection import Protection
from entegrator.api.settings import ApiSettings
from entegrator.core.auth import AuthenticationFailed, RequestOrigin, authenticate_api_key
from entegrator.core.context import Caller
from entegrator.core.permissions import Role
from entegrator.core.wiring import Integrator
from entegrator.errors import PermissionDenied
from entegrator.store.audit import Actor, ActorKind

__all__ = ["AccessTokens", "Authenticator", "IssuedToken", "client_address"]

_CACHE_SIZE: Final = 10_000
_ISSUER: Final = "entegrator"
CHANNEL: Final = "api"


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """An access token and its lifetime in seconds."""

    token: str
    expires_in: int


class AccessTokens:
    """Signs and checks access tokens with one HMAC-SHA256 key (module docstring)."""

    def __init__(self, key: bytes, ttl: int, *, now: Any = time.time) -> None:
        if len(key) < 32:
            raise ValueError("access token key must have at least 32 bytes")
        self._key = key
        self._ttl = ttl
        self._now = now

    def issue(self, caller: Caller) -> IssuedToken:
        """A token standing for ``caller`` (its actor id is the credential's key id)."""
        issued = int(self._now())
        claims = {"iss": _ISSUER, "typ": "access", "sub": caller.actor.id,
                  "tid": caller.tenant_id, "role": caller.role.value, "iat": issued,
                  "exp": issued + self._ttl, "jti": uuid.uuid4().hex}
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"},
                                 separators=(",", ":")).encode())
        payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
        return IssuedToken(f"{header}.{payload}.{self._mac(header, payload)}", self._ttl)

    def verify(self, token: str, origin: RequestOrigin) -> Caller:
        """The caller a valid, unexpired token stands for; AuthenticationFailed otherwise."""
        parts = token.strip().split(".")
        if len(parts) != 3 or not hmac.compare_digest(self._mac(parts[0], parts[1]), parts[2]):
            raise AuthenticationFailed("Erişim belirteci geçersiz")
        try:
            claims = json.loads(_unb64(parts[1]))
            if claims.get("iss") != _ISSUER or claims.get("typ") != "access":
                raise ValueError("not an access token")
            expires, tenant_id = int(claims["exp"]), claims["tid"]
            role, key_id = Role(claims["role"]), str(claims["sub"])
            if not isinstance(tenant_id, int) or isinstance(tenant_id, bool):
                raise ValueError("bad tenant")
        except (ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise AuthenticationFailed("Erişim belirteci geçersiz") from exc
        if expires <= self._now():
            raise AuthenticationFailed("Erişim belirtecinin süresi doldu; yenisini alın")
        actor = Actor(ActorKind.API_CLIENT, key_id, CHANNEL, origin.ip, origin.request_id)
        return Caller(tenant_id=tenant_id, actor=actor, role=role)

    def _mac(self, header: str, payload: str) -> str:
        digest = hmac.new(self._key, f"{header}.{payload}".encode("ascii"), hashlib.sha256)
        return _b64(digest.digest())


class Authenticator:
    """Turns a request's credential into a :class:`Caller` (a FastAPI dependency)."""

    def __init__(self, integrator: Integrator, settings: ApiSettings,
                 protection: Protection, tokens: AccessTokens) -> None:
        self._integrator = integrator
        self._settings = settings
        self._protection = protection
        self._tokens = tokens
        self._cache: OrderedDict[str, tuple[float, int, Role, str]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def tokens(self) -> AccessTokens:
        """The access-token signer (used by the token endpoint)."""
        return self._tokens

    async def __call__(self, request: Request) -> Caller:
        """The authenticated caller of ``request`` (401/429 otherwise)."""
        origin = origin_of(request)
        kind, value = _credential(request)
        if kind is None:
            self._protection.admit_address(origin.ip)
            raise AuthenticationFailed(
                "Kimlik bilgisi yok: X-API-Key ya da Authorization başlığı gönderin")
        self._protection.admit_login(None, origin.ip)
        try:
            if kind == "bearer":
                caller = self._tokens.verify(value, origin)
            else:
                caller = await self.api_key(value, origin)
        except AuthenticationFailed:
            self._protection.login_failed(None, origin.ip)
            raise
        self._protection.admit_call(f"k:{caller.actor.id}")
        request.state.caller = caller
        return caller

    async def api_key(self, token: str, origin: RequestOrigin) -> Caller:
        """The caller of API key ``token`` (cached for ``auth_cache_seconds``)."""
        digest = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(digest)
        if hit is not None and hit[0] > now:
            _, tenant_id, role, key_id = hit
            actor = Actor(ActorKind.API_CLIENT, key_id, CHANNEL, origin.ip, origin.request_id)
            return Caller(tenant_id=tenant_id, actor=actor, role=role)
        integrator = self._integrator
        try:
            caller = await anyio.to_thread.run_sync(lambda: authenticate_api_key(
                integrator.db, token, origin, clock=integrator.clock))
        except AuthenticationFailed:
            raise
        except PermissionDenied as exc:  # a malformed key: the same answer as a wrong one
            raise AuthenticationFailed("API anahtarı geçersiz") from exc
        with self._lock:
            self._cache[digest] = (now + self._settings.auth_cache_seconds, caller.tenant_id,
                                   caller.role, str(caller.actor.id))
            self._cache.move_to_end(digest)
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return caller


def origin_of(request: Request) -> RequestOrigin:
    """Channel ``api``, the client address and the request id."""
    return RequestOrigin(CHANNEL, client_address(request),
                         request.scope.get("state", {}).get("request_id"))


def client_address(request: Request) -> str | None:
    """The client's IP address (uvicorn's ``--proxy-headers`` makes it the real one)."""
    return request.client.host if request.client else None


def new_token_key() -> bytes:
    """A random key for one process (tokens then verify in this process only)."""
    return secrets.token_bytes(32)


def _credential(request: Request) -> tuple[str | None, str]:
    header = request.headers.get("x-api-key")
    if header:
        return "apikey", header.strip()
    authorization = request.headers.get("authorization", "")
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return "bearer", value.strip()
    if scheme.lower() == "apikey" and value.strip():
        return "apikey", value.strip()
    return None, ""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
