"""Putting jobs on the queue, inside the caller's transaction, and managing them.

:func:`enqueue` writes the job row with the caller's connection, so the job exists if and
only if the state change that causes it commits: a process dying between "invoice stored"
and "send job queued" loses and doubles nothing. A ``dedupe_key`` makes enqueueing idempotent:
a second job with the same key is not created (whatever the first one's state), and its id
is returned instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from entegrator.errors import NotFound
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.dialect import insert_for
from entegrator.store.jobs.tables import JobState, jobs

__all__ = [
    "Job",
    "NewJob",
    "cancel",
    "count_by_state",
    "enqueue",
    "enqueue_many",
    "get_job",
    "purge_finished",
    "retry_dead",
]


@dataclass(frozen=True, slots=True)
class NewJob:
    """A job to enqueue with :func:`enqueue_many`."""

    kind: str
    payload: Mapping[str, Any]
    run_at: datetime | None = None
    destination: str | None = None
    dedupe_key: str | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """A snapshot of one job row."""

    id: int
    kind: str
    payload: dict[str, Any]
    destination: str | None
    dedupe_key: str | None
    state: JobState
    attempts: int
    run_at: datetime
    locked_by: str | None
    locked_until: datetime | None
    last_error: str | None
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None


def _row(job: NewJob, now: datetime) -> dict[str, Any]:
    if not job.kind or len(job.kind) > 100:
        raise ValueError(f"invalid job kind {job.kind!r}")
    return {
        "kind": job.kind,
        "payload": dict(job.payload),
        "destination": job.destination,
        "dedupe_key": job.dedupe_key,
        "state": JobState.PENDING.value,
        "attempts": 0,
        "run_at": job.run_at or now,
        "created_at": now,
        "updated_at": now,
    }


def enqueue(
    conn: Connection,
    kind: str,
    payload: Mapping[str, Any],
    *,
    run_at: datetime | None = None,
    destination: str | None = None,
    dedupe_key: str | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> int:
    """Add a job in the caller's transaction; return its id.

    ``destination`` groups jobs under one circuit breaker (e.g. ``"gib"``); ``run_at``
    delays the job (default: due now). With ``dedupe_key`` an existing job with the same key
    is kept and its id returned.
    """
    values = _row(NewJob(kind, payload, run_at, destination, dedupe_key), clock.now())
    stmt = insert_for(conn, jobs).values(values)
    if dedupe_key is not None:
        stmt = stmt.on_conflict_do_nothing(index_elements=["dedupe_key"])
    new_id = conn.execute(stmt.returning(jobs.c.id)).scalar_one_or_none()
    if new_id is not None:
        return int(new_id)
    existing = conn.execute(select(jobs.c.id).where(jobs.c.dedupe_key == dedupe_key)).scalar_one()
    return int(existing)


def enqueue_many(
    conn: Connection, new_jobs: Iterable[NewJob], *, clock: Clock = SYSTEM_CLOCK
) -> int:
    """Add many jobs in one statement (caller's transaction); return how many were new."""
    now = clock.now()
    rows = [_row(job, now) for job in new_jobs]
    if not rows:
        return 0
    stmt = insert_for(conn, jobs).on_conflict_do_nothing(index_elements=["dedupe_key"])
    result = conn.execute(stmt.returning(jobs.c.id), rows)
    return len(result.all())


def get_job(conn: Connection, job_id: int) -> Job:
    """The job ``job_id``; raises NotFound."""
    row = conn.execute(select(jobs).where(jobs.c.id == job_id)).first()
    if row is None:
        raise NotFound(f"iş bulunamadı: {job_id}")
    values = row._asdict()
    values["state"] = JobState(values["state"])
    return Job(**values)


def cancel(conn: Connection, job_id: int, *, clock: Clock = SYSTEM_CLOCK) -> bool:
    """Cancel a pending job; False when it is not pending (running, finished or missing)."""
    now = clock.now()
    result = conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.state == JobState.PENDING.value)
        .values(state=JobState.CANCELLED.value, finished_at=now, updated_at=now)
    )
    return result.rowcount == 1


def retry_dead(conn: Connection, job_id: int, *, clock: Clock = SYSTEM_CLOCK) -> bool:
    """Give a parked (dead) job a fresh set of attempts, due now; False when not dead."""
    now = clock.now()
    result = conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.state == JobState.DEAD.value)
        .values(
            state=JobState.PENDING.value, attempts=0, run_at=now, finished_at=None, updated_at=now
        )
    )
    return result.rowcount == 1


def purge_finished(conn: Connection, *, before: datetime) -> int:
    """Delete done and cancelled jobs finished before ``before``; return how many."""
    result = conn.execute(
        delete(jobs).where(
            jobs.c.state.in_([JobState.DONE.value, JobState.CANCELLED.value]),
            jobs.c.finished_at < before,
        )
    )
    return result.rowcount


def count_by_state(conn: Connection) -> dict[JobState, int]:
    """How many jobs are in each state (every state present, zero included)."""
    counts = dict.fromkeys(JobState, 0)
    for state, count in conn.execute(select(jobs.c.state, func.count()).group_by(jobs.c.state)):
        counts[JobState(state)] = count
    return counts
