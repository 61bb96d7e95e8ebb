"""Tables of the durable job queue: ``jobs`` and the per-destination circuit breakers.

Job life cycle (``state``)::

    pending ──claim──> running ──ok────────> done
       ^                  │ ──reschedule────> pending (run_at later, attempts reset)
       │                  │ ──retryable err─> pending (run_at + backoff), dead when none left
       │                  │ ──other error───> dead
       └──lease expired───┘ (worker gone; another worker runs it again)
    pending ──cancel──> cancelled            dead ──retry_dead──> pending
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Index, Integer, String, Table, Text, text

from entegrator.store.schema import Json, UtcDateTime, id_column, metadata

__all__ = ["BreakerState", "JobState", "job_breakers", "jobs"]


class JobState(StrEnum):
    """Where a job is in its life cycle."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    DEAD = "dead"
    CANCELLED = "cancelled"


class BreakerState(StrEnum):
    """State of a destination's circuit breaker."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


_PENDING = text("state = 'pending'")
_RUNNING = text("state = 'running'")

jobs = Table(
    "jobs",
    metadata,
    id_column(),
    Column("kind", String(100), nullable=False),
    Column("payload", Json, nullable=False),
    Column("destination", String(200), nullable=True),
    Column("dedupe_key", String(200), nullable=True, unique=True),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("run_at", UtcDateTime, nullable=False),
    Column("locked_by", String(120), nullable=True),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime, nullable=True),
    CheckConstraint("state IN ('pending', 'running', 'done', 'dead', 'cancelled')", name="state"),
    Index("ix_jobs_due", "run_at", "id", postgresql_where=_PENDING, sqlite_where=_PENDING),
    Index("ix_jobs_lease", "locked_until", postgresql_where=_RUNNING, sqlite_where=_RUNNING),
    Index(
        "ix_jobs_destination_due",
        "destination",
        "run_at",
        postgresql_where=_PENDING,
        sqlite_where=_PENDING,
    ),
)

job_breakers = Table(
    "job_breakers",
    metadata,
    Column("destination", String(200), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("failures", Integer, nullable=False),
    Column("open_until", UtcDateTime, nullable=True),
    Column("probe_until", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("state IN ('closed', 'open', 'half_open')", name="state"),
)
