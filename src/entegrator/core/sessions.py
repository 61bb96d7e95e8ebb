"""Login sessions: open one on login, check it on every call, revoke it on logout.

The faces that speak "login, then pass a session id" — the İzibiz and EDM SOAP services
(integrator-api.md §4.1) and later the portal — share this service. A session id is a
JWT-shaped token ``base64url(header).base64url(payload).base64url(HMAC-SHA256)`` (RFC 7519
layout, ``alg`` HS256): İzibiz's clients split it on ``.`` and read ``exp`` (§3.1), so the
payload carries ``exp``/``iat`` (seconds since the epoch), ``jti`` (the row in ``sessions``)
and ``tid`` (the taxpayer). Sessions last :attr:`SessionSettings.ttl` (8 hours, as İzibiz's).

The ``sessions`` row is the authority: :meth:`Sessions.validate` checks the signature (a
forged or damaged token never reaches the database), the expiry, and then the row — not
revoked, its user still active, its taxpayer still active — and takes the user's *current*
role. A validated session is remembered in-process for ``cache_seconds`` (documented state,
so a busy ERP does not cost a query per call); :meth:`Sessions.revoke` forgets it at once in
this process, other processes notice within ``cache_seconds``.

The HMAC keys live in ``session_keys`` (created on first use, shared by every process): they
only pre-filter tokens, since every accepted token must also name a live row, so keeping
them in the database gives nothing a database reader could not do anyway.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import and_, insert, select

from entegrator.core.auth import AuthenticationFailed, RequestOrigin, authenticate_user
from entegrator.core.config import AuthSettings
from entegrator.core.context import Caller
from entegrator.core.permissions import Role
from entegrator.store import audit
from entegrator.store.audit import Actor, ActorKind
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.db import Database
from entegrator.store.domain import session_keys, sessions, taxpayers, users
from entegrator.store.tenancy import TenantScope, all_tenants
from entegrator.types import Secret

__all__ = [
    "Session",
    "SessionExpired",
    "SessionInvalid",
    "SessionSettings",
    "Sessions",
    "token_claims",
]

_HEADER_TYPE: Final = "JWT"
_ALGORITHM: Final = "HS256"
_ISSUER: Final = "entegrator"


class SessionInvalid(AuthenticationFailed):
    """The session id is malformed, forged, unknown, revoked, or its user is no longer active."""


class SessionExpired(SessionInvalid):
    """The session's lifetime is over: log in again."""


@dataclass(frozen=True, slots=True)
class SessionSettings:
    """How long a session lives and how long a process trusts a checked one without a query."""

    ttl: dt.timedelta = dt.timedelta(hours=8)
    cache_seconds: float = 5.0
    cache_size: int = 10_000

    def __post_init__(self) -> None:
        if self.ttl <= dt.timedelta(0) or self.cache_seconds < 0 or self.cache_size < 1:
            raise ValueError("session ttl must be positive and the cache settings non-negative")


@dataclass(frozen=True, slots=True)
class Session:
    """An open session: its token (the ``SESSION_ID`` handed to the client) and whose it is."""

    token: str
    session_id: str
    tenant_id: int
    username: str
    role: Role
    created_at: dt.datetime
    expires_at: dt.datetime

    def caller(self, origin: RequestOrigin) -> Caller:
        """The caller this session stands for, for one request from ``origin``."""
        actor = Actor(ActorKind.USER, self.username, origin.channel, origin.ip, origin.request_id)
        return Caller(tenant_id=self.tenant_id, actor=actor, role=self.role)


class Sessions:
    """Opens, checks and revokes sessions on one database (see the module docstring)."""

    def __init__(self, db: Database, *, auth: AuthSettings, clock: Clock = SYSTEM_CLOCK,
                 settings: SessionSettings | None = None) -> None:
        self._db = db
        self._auth = auth
        self._clock = clock
        self._settings = settings or SessionSettings()
        self._keys: dict[str, bytes] = {}
        self._signing_kid: str | None = None
        self._cache: OrderedDict[str, tuple[float, Session]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def settings(self) -> SessionSettings:
        """The lifetime and cache settings."""
        return self._settings

    def login(self, username: str, password: str | Secret, origin: RequestOrigin) -> Session:
        """Check the user's password (lockout and audit by :mod:`entegrator.core.auth`) and
        open a session; raises :class:`~entegrator.core.auth.AuthenticationFailed`."""
        caller = authenticate_user(self._db, username, password, origin, settings=self._auth,
                                   clock=self._clock)
        return self.open(caller, origin)

    def open(self, caller: Caller, origin: RequestOrigin) -> Session:
        """Open a session for an authenticated user ``caller`` (its actor id is the user name)."""
        username = caller.actor.id or ""
        now = self._clock.now().replace(microsecond=0)
        expires = now + self._settings.ttl
        jti = secrets.token_hex(16)
        kid, key = self._signing_key()
        token = _sign(kid, key, {"iss": _ISSUER, "sub": username, "jti": jti,
                                 "tid": caller.tenant_id, "iat": int(now.timestamp()),
                                 "exp": int(expires.timestamp())})
        with self._db.transaction() as conn:
            scope = TenantScope(conn, caller.tenant_id)
            scope.execute(scope.insert(sessions).values(
                session_id=jti, username=username, channel=origin.channel, ip=origin.ip,
                created_at=now, expires_at=expires))
            audit.record(conn, caller.actor, "session.open", tenant_id=caller.tenant_id,
                         object_type="session", object_id=jti, clock=self._clock)
        return Session(token, jti, caller.tenant_id, username, caller.role, now, expires)

    def validate(self, token: str) -> Session:
        """The live session ``token`` names; raises SessionInvalid or SessionExpired."""
        claims = self._verified_claims(token)
        now = self._clock.now()
        if claims["exp"] <= now.timestamp():
            self._forget(token)
            raise SessionExpired("Oturumun süresi doldu; yeniden giriş yapın")
        cached = self._cached(token)
        if cached is not None:
            return cached
        session = self._load(token, claims, now)
        with self._lock:
            self._cache[token] = (time.monotonic() + self._settings.cache_seconds, session)
            self._cache.move_to_end(token)
            while len(self._cache) > self._settings.cache_size:
                self._cache.popitem(last=False)
        return session

    def revoke(self, token: str, actor: Actor | None = None) -> Session:
        """End the session ``token`` (logout); raises SessionInvalid if it is not live."""
        session = self.validate(token)
        self._forget(token)
        now = self._clock.now()
        with self._db.transaction() as conn:
            scope = TenantScope(conn, session.tenant_id)
            scope.execute(scope.update(sessions).where(
                sessions.c.session_id == session.session_id, sessions.c.revoked_at.is_(None))
                .values(revoked_at=now))
            who = actor or Actor(ActorKind.USER, session.username, "system")
            audit.record(conn, who, "session.close", tenant_id=session.tenant_id,
                         object_type="session", object_id=session.session_id, clock=self._clock)
        return session

    def purge(self, *, before: dt.datetime) -> int:
        """Delete sessions that expired before ``before`` (housekeeping); return how many."""
        with self._db.transaction() as conn:
            result = conn.execute(all_tenants(
                sessions.delete().where(sessions.c.expires_at < before)))
        return int(result.rowcount)

    # -- internals ------------------------------------------------------------------------

    def _verified_claims(self, token: str) -> dict[str, Any]:
        try:
            header_part, payload_part, signature_part = token.strip().split(".")
            header = json.loads(_unb64(header_part))
            kid = header["kid"]
            if header.get("alg") != _ALGORITHM or not isinstance(kid, str):
                raise ValueError(header)
            key = self._verifying_key(kid)
            expected = hmac.new(key, f"{header_part}.{payload_part}".encode("ascii"),
                                hashlib.sha256).digest()
            if not hmac.compare_digest(expected, _unb64(signature_part)):
                raise ValueError("signature")
            claims = json.loads(_unb64(payload_part))
            if not (isinstance(claims.get("jti"), str) and isinstance(claims.get("tid"), int)
                    and isinstance(claims.get("exp"), int)):
                raise ValueError(claims)
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeError,
                binascii.Error) as exc:
            raise SessionInvalid("Geçersiz oturum; yeniden giriş yapın") from exc
        result: dict[str, Any] = claims
        return result

    def _cached(self, token: str) -> Session | None:
        with self._lock:
            entry = self._cache.get(token)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                del self._cache[token]
                return None
            self._cache.move_to_end(token)
            return entry[1]

    def _forget(self, token: str) -> None:
        with self._lock:
            self._cache.pop(token, None)

    def _load(self, token: str, claims: dict[str, Any], now: dt.datetime) -> Session:
        s, u, t = sessions.c, users.c, taxpayers.c
        with self._db.transaction(read_only=True) as conn:
            scope = TenantScope(conn, claims["tid"])
            joined = sessions.join(users, and_(u.username == s.username,
                                               scope.criteria(users))).join(
                taxpayers, t.id == s.tenant_id)
            row = scope.execute(
                select(s.username, s.created_at, s.expires_at, s.revoked_at, u.role, u.active,
                       t.active.label("taxpayer_active"))
                .select_from(joined)
                .where(scope.criteria(sessions), s.session_id == claims["jti"])
            ).first()
        if row is None or row.revoked_at is not None or not (row.active and row.taxpayer_active):
            raise SessionInvalid("Oturum bulunamadı ya da kapatılmış; yeniden giriş yapın")
        if row.expires_at <= now:
            raise SessionExpired("Oturumun süresi doldu; yeniden giriş yapın")
        return Session(token, claims["jti"], claims["tid"], row.username, Role(row.role),
                       row.created_at, row.expires_at)

    def _signing_key(self) -> tuple[str, bytes]:
        if self._signing_kid is not None:
            return self._signing_kid, self._keys[self._signing_kid]
        with self._db.transaction() as conn:
            row = conn.execute(select(session_keys.c.key_id, session_keys.c.secret)
                               .order_by(session_keys.c.id.desc()).limit(1)).first()
            if row is None:
                kid, secret = secrets.token_hex(8), secrets.token_hex(32)
                conn.execute(insert(session_keys).values(key_id=kid, secret=secret,
                                                         created_at=self._clock.now()))
            else:
                kid, secret = row.key_id, row.secret
        with self._lock:
            self._keys[kid] = bytes.fromhex(secret)
            self._signing_kid = kid
        return kid, self._keys[kid]

    def _verifying_key(self, kid: str) -> bytes:
        key = self._keys.get(kid)
        if key is not None:
            return key
        with self._db.transaction(read_only=True) as conn:
            secret = conn.execute(select(session_keys.c.secret)
                                  .where(session_keys.c.key_id == kid)).scalar()
        if secret is None:
            raise ValueError(f"unknown session key {kid!r}")
        with self._lock:
            self._keys[kid] = bytes.fromhex(secret)
        return self._keys[kid]


def token_claims(token: str) -> dict[str, Any]:
    """The (unverified) payload of a session token, as a client would decode it."""
    return dict(json.loads(_unb64(token.split(".")[1])))


def _sign(kid: str, key: bytes, claims: dict[str, Any]) -> str:
    header = _b64(json.dumps({"alg": _ALGORITHM, "typ": _HEADER_TYPE, "kid": kid},
                             separators=(",", ":")).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(key, f"{header}.{payload}".encode("ascii"), hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
