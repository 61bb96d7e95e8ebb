"""The worker's statements on the ``jobs`` table: reap, claim, renew, finish, release.

A claim stamps the jobs it takes with a *claim token* (``locked_by``: worker id plus a
per-claim counter) and a lease (``locked_until``). Every later write by that worker is
conditional on the token and on ``state = 'running'``: once a lease expired and the job was
handed to someone else, the late worker's write matches no row — that is how a slow or
partitioned worker finds out (and how ``JobContext.transaction`` turns it into a rollback).

PostgreSQL: candidates are picked with ``FOR UPDATE SKIP LOCKED`` so concurrent workers take
disjoint batches without waiting on each other. SQLite: the claim runs under
``BEGIN IMMEDIATE``, so claims are serialised and equally disjoint.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, or_, select, update

from entegrator.store.jobs.breaker import blocked_destinations
from entegrator.store.jobs.tables import JobState, jobs

__all__ = ["ClaimedJob"]

_j = jobs.c
_PENDING = JobState.PENDING.value
_RUNNING = JobState.RUNNING.value
_ERROR_LIMIT = 4000


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """A job as handed to a handler."""

    id: int
    kind: str
    payload: dict[str, Any]
    destination: str | None
    dedupe_key: str | None
    attempt: int
    run_at: datetime
    created_at: datetime


def reap_expired(conn: Connection, *, now: datetime) -> int:
    """Return jobs whose lease ran out (their worker died or hung) to ``pending``."""
    expired = (
        select(_j.id)
        .where(_j.state == _RUNNING, _j.locked_until < now)
        .with_for_update(skip_locked=True)
    )
    result = conn.execute(
        update(jobs)
        .where(_j.id.in_(expired.scalar_subquery()))
        .values(
            state=_PENDING,
            locked_by=None,
            locked_until=None,
            last_error="kilit süresi doldu: işçi yanıt vermedi",
            updated_at=now,
        )
    )
    return result.rowcount


def claim(
    conn: Connection,
    *,
    token: str,
    kinds: Sequence[str],
    limit: int,
    now: datetime,
    lease_until: datetime,
    destination: str | None = None,
) -> list[ClaimedJob]:
    """Take up to ``limit`` due jobs of ``kinds``, oldest first.

    Without ``destination``, jobs behind an open or probing breaker are skipped; with it,
    only that destination's jobs are taken (the half-open probe).
    """
    due = select(_j.id).where(_j.state == _PENDING, _j.run_at <= now, _j.kind.in_(kinds))
    if destination is None:
        due = due.where(
            or_(_j.destination.is_(None), _j.destination.not_in(blocked_destinations()))
        )
    else:
        due = due.where(_j.destination == destination)
    due = due.order_by(_j.run_at, _j.id).limit(limit).with_for_update(skip_locked=True)
    stmt = (
        update(jobs)
        .where(_j.id.in_(due.scalar_subquery()))
        .values(
            state=_RUNNING,
            attempts=_j.attempts + 1,
            locked_by=token,
            locked_until=lease_until,
            updated_at=now,
        )
        .returning(
            _j.id,
            _j.kind,
            _j.payload,
            _j.destination,
            _j.dedupe_key,
            _j.attempts,
            _j.run_at,
            _j.created_at,
        )
    )
    claimed = [ClaimedJob(*row) for row in conn.execute(stmt)]
    claimed.sort(key=lambda job: (job.run_at, job.id))
    return claimed


def renew(
    conn: Connection, ids: Sequence[int], *, token: str, lease_until: datetime, now: datetime
) -> set[int]:
    """Extend the lease of ``ids`` still held under ``token``; return the ids still held."""
    if not ids:
        return set()
    result = conn.execute(
        update(jobs)
        .where(_j.id.in_(ids), _j.locked_by == token, _j.state == _RUNNING)
        .values(locked_until=lease_until, updated_at=now)
        .returning(_j.id)
    )
    return set(result.scalars())


def complete(conn: Connection, ids: Sequence[int], *, token: str, now: datetime) -> int:
    """Mark ``ids`` done (only those still held under ``token``); return how many."""
    if not ids:
        return 0
    result = conn.execute(
        update(jobs)
        .where(_j.id.in_(ids), _j.locked_by == token, _j.state == _RUNNING)
        .values(
            state=JobState.DONE.value,
            locked_by=None,
            locked_until=None,
            finished_at=now,
            updated_at=now,
        )
    )
    return result.rowcount


def reschedule(
    conn: Connection, items: Sequence[tuple[int, datetime]], *, token: str, now: datetime
) -> int:
    """Put ``(id, run_at)`` jobs back to pending with attempts reset (a successful run).

    Returns how many were still held under ``token``.
    """
    if not items:
        return 0
    stmt = (
        update(jobs)
        .where(_j.id == bindparam("job_id"), _j.locked_by == token, _j.state == _RUNNING)
        .values(
            state=_PENDING,
            attempts=0,
            run_at=bindparam("next_run"),
            locked_by=None,
            locked_until=None,
            updated_at=now,
        )
    )
    result = conn.execute(stmt, [{"job_id": i, "next_run": at} for i, at in items])
    return result.rowcount


def fail(
    conn: Connection,
    job_id: int,
    *,
    token: str,
    now: datetime,
    error: str,
    retry_at: datetime | None,
) -> bool:
    """Record a failed run: pending again at ``retry_at``, or dead when it is None."""
    values: dict[str, Any] = {
        "locked_by": None,
        "locked_until": None,
        "last_error": error[:_ERROR_LIMIT],
        "updated_at": now,
    }
    if retry_at is None:
        values.update(state=JobState.DEAD.value, finished_at=now)
    else:
        values.update(state=_PENDING, run_at=retry_at)
    result = conn.execute(
        update(jobs)
        .where(_j.id == job_id, _j.locked_by == token, _j.state == _RUNNING)
        .values(**values)
    )
    return result.rowcount == 1


def release(conn: Connection, ids: Sequence[int], *, token: str, now: datetime) -> int:
    """Give claimed but unstarted jobs back (shutdown, breaker opened); the claim is undone."""
    if not ids:
        return 0
    result = conn.execute(
        update(jobs)
        .where(_j.id.in_(ids), _j.locked_by == token, _j.state == _RUNNING)
        .values(
            state=_PENDING,
            attempts=_j.attempts - 1,
            locked_by=None,
            locked_until=None,
            updated_at=now,
        )
    )
    return result.rowcount
