"""Durable jobs: enqueue inside the caller's transaction, run by workers with leases, backoff
and per-destination circuit breakers (SQLite and PostgreSQL). See docs/decisions/store-jobs.md.
"""

from __future__ import annotations

from entegrator.store.jobs.breaker import BreakerStatus, breaker_status, reset_breaker
from entegrator.store.jobs.claims import ClaimedJob
from entegrator.store.jobs.context import JobContext
from entegrator.store.jobs.policy import BreakerPolicy, RetryPolicy, WorkerConfig
from entegrator.store.jobs.queue import (
    Job,
    NewJob,
    cancel,
    count_by_state,
    enqueue,
    enqueue_many,
    get_job,
    purge_finished,
    retry_dead,
)
from entegrator.store.jobs.registry import Handler, HandlerRegistry, JobHandler
from entegrator.store.jobs.tables import BreakerState, JobState, job_breakers, jobs
from entegrator.store.jobs.worker import Worker, stop_on_signals

__all__ = [
    "BreakerPolicy",
    "BreakerState",
    "BreakerStatus",
    "ClaimedJob",
    "Handler",
    "HandlerRegistry",
    "Job",
    "JobContext",
    "JobHandler",
    "JobState",
    "NewJob",
    "RetryPolicy",
    "Worker",
    "WorkerConfig",
    "breaker_status",
    "cancel",
    "count_by_state",
    "enqueue",
    "enqueue_many",
    "get_job",
    "job_breakers",
    "jobs",
    "purge_finished",
    "reset_breaker",
    "retry_dead",
    "stop_on_signals",
]
