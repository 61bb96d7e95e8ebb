"""Helpers of outbound's tests: GİB user-list rows, job runs, reading documents back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select

from entegrator.core import tenants
from entegrator.core.outbound import register
from entegrator.core.wiring import Integrator
from entegrator.store.domain import (
    document_events,
    documents,
    envelope_items,
    envelopes,
    gib_user_aliases,
    gib_users,
)
from entegrator.store.jobs import HandlerRegistry, Worker, WorkerConfig, jobs
from entegrator.store.tenancy import TenantScope, all_tenants
from tests.core.support import CorePki, PartySpec, SeededTaxpayer, add_taxpayer

__all__ = [
    "add_issuer",
    "document",
    "envelope_rows",
    "events_of",
    "job_rows",
    "outbound_worker",
    "register_gib_user",
]


def add_issuer(integrator: Integrator, pki: CorePki, party: PartySpec,
               series: str) -> SeededTaxpayer:
    """``party`` as a taxpayer numbering from ``series`` by default, in GİB's user list."""
    seeded = add_taxpayer(integrator, pki, party)
    with integrator.db.transaction() as conn:
        tenants.update_taxpayer(conn, seeded.caller, default_series=series,
                                clock=integrator.clock)
    register_gib_user(integrator, party.vkn, party.title, gb=[party.gb], pk=[party.pk])
    return seeded


def register_gib_user(
    integrator: Integrator, vkn: str, title: str, *, gb: Sequence[str] = (),
    pk: Sequence[str] = (), closed_pk: Sequence[str] = (),
) -> None:
    """Put a user and its aliases into GİB's user list as the integrator imported it."""
    now = integrator.clock.now()
    with integrator.db.transaction() as conn:
        conn.execute(insert(gib_users).values(
            identifier=vkn, title=title, title_search=title.casefold(), type="OZEL",
            updated_at=now))
        rows: list[dict[str, Any]] = []
        for role, aliases, deleted in (("GB", gb, None), ("PK", pk, None),
                                       ("PK", closed_pk, now)):
            rows.extend(
                {"identifier": vkn, "role": role, "document_type": "Invoice", "alias": alias,
                 "created_at": now, "deleted_at": deleted}
                for alias in aliases
            )
        if rows:
            conn.execute(insert(gib_user_aliases), rows)


def outbound_worker(integrator: Integrator, **config: Any) -> Worker:
    """A worker running only outbound's job kinds."""
    registry = HandlerRegistry()
    register(registry, integrator)
    return Worker(integrator.db, registry, WorkerConfig(poll_interval=0.0, **config),
                  clock=integrator.clock)


def document(integrator: Integrator, tenant_id: int, document_id: int) -> Any:
    """The ``documents`` row."""
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, tenant_id)
        return scope.get(documents, document_id)


def events_of(integrator: Integrator, tenant_id: int, document_id: int) -> list[str]:
    """The states in the document's history, oldest first."""
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, tenant_id)
        return list(scope.execute(
            scope.select(document_events, document_events.c.state)
            .where(document_events.c.document_id == document_id)
            .order_by(document_events.c.id)
        ).scalars())


def job_rows(integrator: Integrator, kind: str) -> list[Any]:
    """The job rows of ``kind``, oldest first."""
    with integrator.db.transaction(read_only=True) as conn:
        return list(conn.execute(select(jobs).where(jobs.c.kind == kind).order_by(jobs.c.id)))


def envelope_rows(integrator: Integrator) -> list[Any]:
    """Every OUT envelope row with its document count, oldest first."""
    with integrator.db.transaction(read_only=True) as conn:
        return list(conn.execute(all_tenants(
            select(envelopes, select(func.count()).where(
                envelope_items.c.envelope_id == envelopes.c.id).scalar_subquery().label("items"))
            .where(envelopes.c.direction == "OUT").order_by(envelopes.c.id))))
