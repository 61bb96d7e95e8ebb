"""Audit log: who did what, when, from where — append-only, written in the caller's transaction.

Every state change and every user or API action is recorded with :func:`record` inside the
same transaction as the change itself, so a change without its audit row (or the reverse)
cannot be committed. The database refuses UPDATE and DELETE on ``audit_log`` (PostgreSQL:
trigger function, also on TRUNCATE; SQLite: triggers raising ``ABORT``); those triggers are
created by the migrations, which are the only way the schema is built.

``tenant_id`` is optional (operator and system events have none); rows that have one are
read through a :class:`~entegrator.store.tenancy.TenantScope` like any tenant data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Column, Connection, Index, String, Table, insert

from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.schema import BigId, Json, UtcDateTime, id_column, metadata
from entegrator.store.tenancy import TENANT_INFO_KEY, TenantScope, all_tenants

__all__ = ["Actor", "ActorKind", "AuditEntry", "audit_log", "entries", "record"]


class ActorKind(StrEnum):
    """Who acted: a portal user, an API client (ERP) or entegrator itself."""

    USER = "user"
    API_CLIENT = "api_client"
    SYSTEM = "system"


audit_log = Table(
    "audit_log",
    metadata,
    id_column(),
    Column("at", UtcDateTime, nullable=False),
    Column("tenant_id", BigId, nullable=True),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_id", String(200), nullable=True),
    Column("channel", String(32), nullable=False),
    Column("ip", String(45), nullable=True),
    Column("request_id", String(64), nullable=True),
    Column("action", String(100), nullable=False),
    Column("object_type", String(100), nullable=True),
    Column("object_id", String(200), nullable=True),
    Column("details", Json, nullable=True),
    CheckConstraint("actor_kind IN ('user', 'api_client', 'system')", name="actor_kind"),
    Index("ix_audit_log_tenant_id_at", "tenant_id", "at"),
    Index("ix_audit_log_object_type_object_id", "object_type", "object_id"),
    info={TENANT_INFO_KEY: "tenant_id"},
)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts and from where; the face builds one per request and passes it down.

    ``channel`` names the entry point (``portal``, ``api``, ``soap``, ``mail``, ``cli``,
    ``worker``, ``system``); ``ip`` is the client address when there is one.
    """

    kind: ActorKind
    id: str | None
    channel: str
    ip: str | None = None
    request_id: str | None = None

    @classmethod
    def system(cls, component: str) -> Actor:
        """entegrator itself, e.g. ``Actor.system("worker")``."""
        return cls(ActorKind.SYSTEM, component, channel="system")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audit row as read back."""

    id: int
    at: datetime
    tenant_id: int | None
    actor: Actor
    action: str
    object_type: str | None
    object_id: str | None
    details: dict[str, Any] | None


def record(
    conn: Connection,
    actor: Actor,
    action: str,
    *,
    tenant_id: int | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    details: Mapping[str, Any] | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> int:
    """Append one audit row in the caller's transaction; return its id.

    ``action`` is a stable dotted name such as ``invoice.send`` or ``user.login``.
    """
    if not action:
        raise ValueError("audit action must not be empty")
    values = {
        "at": clock.now(),
        "actor_kind": actor.kind.value,
        "actor_id": actor.id,
        "channel": actor.channel,
        "ip": actor.ip,
        "request_id": actor.request_id,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id),
        "details": dict(details) if details is not None else None,
    }
    if tenant_id is None:
        stmt = all_tenants(insert(audit_log).values(tenant_id=None))
    else:
        stmt = TenantScope(conn, tenant_id).insert(audit_log)
    row_id: int = conn.execute(stmt.values(values).returning(audit_log.c.id)).scalar_one()
    return row_id


def entries(
    scope: TenantScope, *, limit: int = 100, before_id: int | None = None
) -> list[AuditEntry]:
    """The tenant's newest audit entries, newest first (page with ``before_id``)."""
    stmt = scope.select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if before_id is not None:
        stmt = stmt.where(audit_log.c.id < before_id)
    return [
        AuditEntry(
            id=row.id,
            at=row.at,
            tenant_id=row.tenant_id,
            actor=Actor(
                ActorKind(row.actor_kind), row.actor_id, row.channel, row.ip, row.request_id
            ),
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            details=row.details,
        )
        for row in scope.conn.execute(stmt)
    ]
