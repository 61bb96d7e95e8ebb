"""Who is calling: password and API-key checks that end in a
:class:`~entegrator.core.context.Caller`.

Passwords are hashed with scrypt (``hashlib.scrypt``, per-user random salt; the cost is in
:class:`~entegrator.core.config.AuthSettings` and stored with the hash, so raising it later
keeps old hashes verifiable): ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``. After
``max_failed_logins`` wrong passwords in a row an account is locked for ``lockout_seconds``;
a successful login resets the count. Every attempt — success, failure, lock — is audited,
and a failed attempt's audit row and counter are committed even though the call raises.
An unknown user name costs the same scrypt work as a wrong password.

API keys are random 256-bit secrets, so a fast hash is enough to store them (see
:mod:`entegrator.core.credentials`); callers present ``<key id>.<secret>``.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from entegrator.core.config import AuthSettings
from entegrator.core.context import Caller
from entegrator.core.credentials import hash_secret, split_token
from entegrator.core.permissions import Role
from entegrator.errors import PermissionDenied
from entegrator.store import audit
from entegrator.store.audit import Actor, ActorKind
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.db import Database
from entegrator.store.domain import api_credentials, taxpayers, users
from entegrator.store.tenancy import TenantScope, all_tenants
from entegrator.types import Secret

__all__ = [
    "AccountLocked",
    "AuthenticationFailed",
    "RequestOrigin",
    "authenticate_api_key",
    "authenticate_user",
    "hash_password",
    "needs_rehash",
    "verify_password",
]

_SCHEME = "scrypt"
_SALT_BYTES = 16
_KEY_BYTES = 32
_TOUCH_EVERY = dt.timedelta(minutes=1)


class AuthenticationFailed(PermissionDenied):
    """Wrong user name, password or API key (the message never says which)."""


class AccountLocked(AuthenticationFailed):
    """Too many failed logins; the account opens again at ``locked_until``."""

    def __init__(self, message: str, *, locked_until: dt.datetime) -> None:
        super().__init__(message)
        self.locked_until = locked_until


@dataclass(frozen=True, slots=True)
class RequestOrigin:
    """Where a login comes from: the face (``portal``, ``soap``, ``api``, ``cli``) and address."""

    channel: str
    ip: str | None = None
    request_id: str | None = None


def hash_password(password: str | Secret, settings: AuthSettings) -> str:
    """A salted scrypt hash of ``password`` in the self-describing format above."""
    salt = secrets.token_bytes(_SALT_BYTES)
    n, r, p = settings.scrypt_n, settings.scrypt_r, settings.scrypt_p
    digest = _scrypt(_text(password), salt, n, r, p)
    return "$".join((_SCHEME, str(n), str(r), str(p), _b64(salt), _b64(digest)))


def verify_password(password: str | Secret, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (constant-time compare); False if malformed."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != _SCHEME:
            return False
        expected = base64.b64decode(digest, validate=True)
        actual = _scrypt(_text(password), base64.b64decode(salt, validate=True),
                         int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str, settings: AuthSettings) -> bool:
    """True when ``stored`` was made with other cost parameters than ``settings``."""
    parts = stored.split("$")
    wanted = [_SCHEME, str(settings.scrypt_n), str(settings.scrypt_r), str(settings.scrypt_p)]
    return parts[:4] != wanted


def authenticate_user(
    db: Database,
    username: str,
    password: str | Secret,
    origin: RequestOrigin,
    *,
    settings: AuthSettings,
    clock: Clock = SYSTEM_CLOCK,
) -> Caller:
    """Check a portal/SOAP login and return the caller; raise AuthenticationFailed.

    Locked, inactive and unknown accounts and wrong passwords all fail with the same message
    (:class:`AccountLocked` names the unlock time only to the account's holder, i.e. after a
    correct user name *and* a lock in place).
    """
    name = username.strip().lower()
    failure: AuthenticationFailed | None = None
    with db.transaction() as conn:
        row = conn.execute(all_tenants(
            select(users, taxpayers.c.active.label("taxpayer_active"))
            .select_from(users.join(taxpayers, taxpayers.c.id == users.c.tenant_id))
            .where(users.c.username == name)
        )).first()
        now = clock.now()
        if row is None:
            verify_password(password, _dummy_hash(settings))  # same work as a real check
            raise AuthenticationFailed("Kullanıcı adı ya da parola hatalı")
        actor = Actor(ActorKind.USER, name, origin.channel, origin.ip, origin.request_id)
        scope = TenantScope(conn, row.tenant_id)
        if row.locked_until is not None and row.locked_until > now:
            audit.record(conn, actor, "user.login_refused", tenant_id=row.tenant_id,
                         object_type="user", object_id=row.id,
                         details={"reason": "locked"}, clock=clock)
            failure = AccountLocked(
                f"Hesap çok sayıda hatalı giriş nedeniyle {row.locked_until:%Y-%m-%d %H:%M} "
                "UTC'ye kadar kilitli", locked_until=row.locked_until)
        elif not verify_password(password, row.password_hash) or not (
            row.active and row.taxpayer_active
        ):
            failed = row.failed_logins + 1
            values: dict[str, object] = {"failed_logins": failed}
            if failed >= settings.max_failed_logins:
                values["locked_until"] = now + dt.timedelta(seconds=settings.lockout_seconds)
                values["failed_logins"] = 0
            scope.execute(scope.update(users).where(users.c.id == row.id).values(values))
            audit.record(conn, actor, "user.login_failed", tenant_id=row.tenant_id,
                         object_type="user", object_id=row.id,
                         details={"failed_logins": failed, "locked": "locked_until" in values},
                         clock=clock)
            failure = AuthenticationFailed("Kullanıcı adı ya da parola hatalı")
        else:
            values = {"failed_logins": 0, "locked_until": None, "last_login_at": now}
            if needs_rehash(row.password_hash, settings):
                values["password_hash"] = hash_password(password, settings)
            scope.execute(scope.update(users).where(users.c.id == row.id).values(values))
            audit.record(conn, actor, "user.login", tenant_id=row.tenant_id,
                         object_type="user", object_id=row.id, clock=clock)
    if failure is not None:
        raise failure
    return Caller(tenant_id=row.tenant_id, actor=actor, role=Role(row.role))


def authenticate_api_key(
    db: Database, token: str, origin: RequestOrigin, *, clock: Clock = SYSTEM_CLOCK
) -> Caller:
    """Check an API token ``<key id>.<secret>`` and return the caller it stands for.

    ``last_used_at`` is refreshed at most once a minute, so API calls do not each take the
    database's write lock.
    """
    key_id, secret = split_token(token)
    with db.transaction(read_only=True) as conn:
        row = conn.execute(all_tenants(
            select(api_credentials, taxpayers.c.active.label("taxpayer_active"))
            .select_from(api_credentials.join(
                taxpayers, taxpayers.c.id == api_credentials.c.tenant_id))
            .where(api_credentials.c.key_id == key_id)
        )).first()
    valid = row is not None and hmac.compare_digest(hash_secret(secret), row.secret_hash)
    if row is None or not valid or row.revoked_at is not None or not row.taxpayer_active:
        raise AuthenticationFailed("API anahtarı geçersiz")
    now = clock.now()
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_EVERY:
        with db.transaction() as conn:
            scope = TenantScope(conn, row.tenant_id)
            scope.execute(scope.update(api_credentials)
                          .where(api_credentials.c.id == row.id).values(last_used_at=now))
    actor = Actor(ActorKind.API_CLIENT, key_id, origin.channel, origin.ip, origin.request_id)
    return Caller(tenant_id=row.tenant_id, actor=actor, role=Role(row.role))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=256 * 1024 * 1024, dklen=_KEY_BYTES)


def _text(password: str | Secret) -> str:
    return password.reveal() if isinstance(password, Secret) else password


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@functools.lru_cache(maxsize=4)
def _dummy_hash(settings: AuthSettings) -> str:
    return hash_password(secrets.token_urlsafe(12), settings)
