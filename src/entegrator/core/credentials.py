"""API credentials: machine access for a taxpayer's ERP (API keys, OAuth2 clients).

:func:`create_api_key` returns the key id and the secret once; only ``sha256(secret)`` is
stored. The secret is 256 random bits, so a fast hash cannot be brute-forced and checking a
key per request stays cheap (a slow password hash would cost ~50 ms per API call); the
comparison is constant-time. Clients present ``<key id>.<secret>`` (:func:`split_token`).
Revoked keys stay in the table for the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from entegrator.core.context import Caller
from entegrator.core.permissions import Permission, Role
from entegrator.errors import NotFound, PermissionDenied
from entegrator.store import audit
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.domain import api_credentials
from entegrator.types import Secret

__all__ = [
    "ApiCredential",
    "NewApiKey",
    "create_api_key",
    "hash_secret",
    "list_credentials",
    "revoke_credential",
    "split_token",
]

KEY_PREFIX = "ek_"
_KINDS = ("api_key", "oauth_client")


@dataclass(frozen=True, slots=True)
class ApiCredential:
    """One credential (never its secret)."""

    id: int
    tenant_id: int
    kind: str
    key_id: str
    role: Role
    label: str | None
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class NewApiKey:
    """A freshly made credential: show ``token`` to its owner once; it is not kept."""

    credential: ApiCredential
    secret: Secret

    @property
    def token(self) -> Secret:
        """What the client sends: ``<key id>.<secret>``."""
        return Secret(f"{self.credential.key_id}.{self.secret.reveal()}")


def hash_secret(secret: str | Secret) -> str:
    """The stored form of an API secret: ``sha256$<hex>``."""
    value = secret.reveal() if isinstance(secret, Secret) else secret
    return "sha256$" + hashlib.sha256(value.encode("utf-8")).hexdigest()


def split_token(token: str | Secret) -> tuple[str, str]:
    """``(key id, secret)`` of a presented token; PermissionDenied when malformed."""
    value = (token.reveal() if isinstance(token, Secret) else token).strip()
    key_id, dot, secret = value.partition(".")
    if not dot or not key_id.startswith(KEY_PREFIX) or not secret:
        raise PermissionDenied("API anahtarı geçersiz")
    return key_id, secret


def create_api_key(
    conn: Connection,
    caller: Caller,
    *,
    role: Role = Role.API,
    label: str | None = None,
    kind: str = "api_key",
    clock: Clock = SYSTEM_CLOCK,
) -> NewApiKey:
    """Create a credential for the caller's taxpayer; audited. The secret is returned once."""
    caller.require(Permission.MANAGE)
    if kind not in _KINDS:
        raise ValueError(f"unknown credential kind {kind!r}")
    role = Role(role)
    key_id = KEY_PREFIX + secrets.token_hex(12)
    secret = secrets.token_urlsafe(32)
    scope = caller.scope(conn)
    row_id = scope.execute(scope.insert(api_credentials).values(
        kind=kind, key_id=key_id, secret_hash=hash_secret(secret), role=role.value,
        label=label, created_at=clock.now(),
    ).returning(api_credentials.c.id)).scalar_one()
    audit.record(conn, caller.actor, "credential.create", tenant_id=caller.tenant_id,
                 object_type="api_credential", object_id=row_id,
                 details={"key_id": key_id, "role": role.value, "kind": kind, "label": label},
                 clock=clock)
    return NewApiKey(_credential(scope.get(api_credentials, row_id)), Secret(secret))


def list_credentials(conn: Connection, caller: Caller) -> list[ApiCredential]:
    """The caller's taxpayer's credentials, newest first."""
    caller.require(Permission.MANAGE)
    scope = caller.scope(conn)
    stmt = scope.select(api_credentials).order_by(api_credentials.c.id.desc())
    return [_credential(row) for row in scope.execute(stmt)]


def revoke_credential(
    conn: Connection, caller: Caller, key_id: str, *, clock: Clock = SYSTEM_CLOCK
) -> ApiCredential:
    """Revoke the caller's taxpayer's credential ``key_id`` (NotFound for anyone else's)."""
    caller.require(Permission.MANAGE)
    scope = caller.scope(conn)
    row = scope.execute(scope.select(api_credentials)
                        .where(api_credentials.c.key_id == key_id)).first()
    if row is None:
        raise NotFound(f"API anahtarı bulunamadı: {key_id}")
    if row.revoked_at is None:
        scope.execute(scope.update(api_credentials).where(api_credentials.c.id == row.id)
                      .values(revoked_at=clock.now()))
        audit.record(conn, caller.actor, "credential.revoke", tenant_id=caller.tenant_id,
                     object_type="api_credential", object_id=row.id,
                     details={"key_id": key_id}, clock=clock)
    return _credential(scope.get(api_credentials, row.id))


def _credential(row: Any) -> ApiCredential:
    return ApiCredential(
        id=row.id, tenant_id=row.tenant_id, kind=row.kind, key_id=row.key_id,
        role=Role(row.role), label=row.label, created_at=row.created_at,
        last_used_at=row.last_used_at, revoked_at=row.revoked_at,
    )
