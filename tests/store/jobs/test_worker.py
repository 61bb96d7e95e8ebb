"""Tests of entegrator.store.jobs.worker: every job state transition, backoff, leases, stop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from entegrator.errors import DocumentError, TransportError
from entegrator.store import Database, FakeClock
from entegrator.store.jobs import (
    HandlerRegistry,
    Job,
    JobContext,
    JobState,
    RetryPolicy,
    Worker,
    enqueue,
    get_job,
)

MakeWorker = Callable[..., Worker]


def _add(db: Database, clock: FakeClock, kind: str = "k", **kwargs: Any) -> int:
    with db.transaction() as conn:
        return enqueue(conn, kind, kwargs.pop("payload", {}), clock=clock, **kwargs)


def _job(db: Database, job_id: int) -> Job:
    with db.transaction(read_only=True) as conn:
        return get_job(conn, job_id)


def _ok(ctx: JobContext) -> None:
    return None


def _transport_down(ctx: JobContext) -> None:
    raise TransportError("GİB'e bağlanılamadı")


def test_successful_job_is_done(db: Database, clock: FakeClock, make_worker: MakeWorker) -> None:
    job_id = _add(db, clock)
    assert make_worker({"k": _ok}).run_until_idle() == 1
    job = _job(db, job_id)
    assert (job.state, job.attempts, job.finished_at, job.locked_by) == (
        JobState.DONE,
        1,
        clock.now(),
        None,
    )


def test_handler_sees_payload_and_attempt(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    seen: list[tuple[dict[str, Any], int]] = []
    _add(db, clock, payload={"invoice": 5})
    make_worker({"k": lambda ctx: seen.append((ctx.payload, ctx.attempt))}).run_until_idle()
    assert seen == [({"invoice": 5}, 1)]


def test_running_job_is_leased_to_the_worker(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(db, clock)
    observed: list[Job] = []
    worker = make_worker({"k": lambda ctx: observed.append(_job(db, ctx.id))}, lease=30)
    worker.run_until_idle()
    (running,) = observed
    assert running.state is JobState.RUNNING
    assert running.locked_by is not None and running.locked_by.startswith(worker.worker_id)
    assert running.locked_until == clock.now() + timedelta(seconds=30)
    assert _job(db, job_id).state is JobState.DONE


def test_retryable_failure_is_retried_after_backoff(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(db, clock)
    make_worker({"k": _transport_down}, retry=RetryPolicy(base_delay=5, jitter=0)).run_until_idle()
    job = _job(db, job_id)
    assert (job.state, job.attempts) == (JobState.PENDING, 1)
    assert job.run_at == clock.now() + timedelta(seconds=5)
    assert job.last_error == "TransportError: GİB'e bağlanılamadı"


def test_backoff_grows_exponentially_with_the_fake_clock(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(db, clock)
    runs: list[float] = []
    start = clock.now()

    def flaky(ctx: JobContext) -> None:
        runs.append((clock.now() - start).total_seconds())
        if ctx.attempt < 4:
            raise TransportError("geçici hata")

    worker = make_worker({"k": flaky}, retry=RetryPolicy(base_delay=10, factor=3, jitter=0))
    for _ in range(200):  # one simulated second per round
        worker.run_once()
        clock.advance(1)
    assert runs == [0, 10, 40, 130]  # waits of 10, 30, 90 seconds
    assert _job(db, job_id).state is JobState.DONE


def test_job_is_not_run_before_its_retry_time(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(db, clock)
    worker = make_worker({"k": _transport_down}, retry=RetryPolicy(base_delay=60, jitter=0))
    worker.run_until_idle()
    clock.advance(59)
    assert worker.run_until_idle() == 0
    clock.advance(1)
    assert worker.run_until_idle() == 1
    assert _job(db, job_id).attempts == 2


def test_retryable_failure_is_parked_after_max_attempts(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(db, clock)
    worker = make_worker(
        {"k": _transport_down}, retry=RetryPolicy(max_attempts=3, base_delay=1, jitter=0)
    )
    for _ in range(10):
        worker.run_until_idle()
        clock.advance(10)
    job = _job(db, job_id)
    assert (job.state, job.attempts) == (JobState.DEAD, 3)
    assert job.finished_at is not None


def test_non_retryable_failure_is_parked_at_once(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    def bad_document(ctx: JobContext) -> None:
        raise DocumentError("UBL şemaya uymuyor")

    job_id = _add(db, clock)
    make_worker({"k": bad_document}).run_until_idle()
    job = _job(db, job_id)
    assert (job.state, job.attempts) == (JobState.DEAD, 1)
    assert job.last_error == "DocumentError: UBL şemaya uymuyor"


def test_unexpected_exception_is_retried(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    def bug(ctx: JobContext) -> None:
        raise KeyError("oops")

    job_id = _add(db, clock)
    make_worker({"k": bug}).run_until_idle()
    job = _job(db, job_id)
    assert (job.state, job.attempts) == (JobState.PENDING, 1)
    assert job.last_error is not None and job.last_error.startswith("KeyError")


def test_reschedule_puts_the_job_back_with_attempts_reset(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    calls: list[int] = []

    def poll(ctx: JobContext) -> None:
        calls.append(ctx.attempt)
        if len(calls) == 1:
            raise TransportError("zaman aşımı")
        if len(calls) < 4:
            ctx.reschedule(delay=600)

    job_id = _add(db, clock)
    worker = make_worker({"k": poll}, retry=RetryPolicy(base_delay=1, jitter=0))
    worker.run_until_idle()
    clock.advance(1)
    worker.run_until_idle()
    job = _job(db, job_id)
    assert (job.state, job.attempts, job.run_at) == (
        JobState.PENDING,
        0,
        clock.now() + timedelta(seconds=600),
    )
    for _ in range(2):
        clock.advance(600)
        worker.run_until_idle()
    assert calls == [1, 2, 1, 1]
    assert _job(db, job_id).state is JobState.DONE


def test_reschedule_needs_exactly_one_of_delay_and_at(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    errors: list[Exception] = []

    def handler(ctx: JobContext) -> None:
        for kwargs in ({}, {"delay": 1, "at": clock.now()}):
            try:
                ctx.reschedule(**kwargs)  # type: ignore[arg-type]
            except ValueError as exc:
                errors.append(exc)

    _add(db, clock)
    make_worker({"k": handler}).run_until_idle()
    assert len(errors) == 2


def test_worker_claims_only_registered_kinds(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    mine, other = _add(db, clock, "mine"), _add(db, clock, "other")
    make_worker({"mine": _ok}).run_until_idle()
    assert (_job(db, mine).state, _job(db, other).state) == (JobState.DONE, JobState.PENDING)


def test_jobs_run_oldest_first(db: Database, clock: FakeClock, make_worker: MakeWorker) -> None:
    order: list[int] = []
    late = _add(db, clock, run_at=clock.now() - timedelta(seconds=1))
    early = _add(db, clock, run_at=clock.now() - timedelta(seconds=5))
    make_worker({"k": lambda ctx: order.append(ctx.id)}).run_until_idle()
    assert order == [early, late]


def test_expired_lease_makes_the_job_run_again(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(db, clock)
    crashed = make_worker({"k": _ok}, lease=30)
    claimed = crashed._claim()  # claimed, then the process "dies" without finishing
    assert [j.id for j in claimed.jobs] == [job_id]
    rescuer = make_worker({"k": _ok}, lease=30)
    assert rescuer.run_until_idle() == 0  # still leased
    clock.advance(31)
    assert rescuer.reap() == 1
    assert rescuer.run_until_idle() == 1
    job = _job(db, job_id)
    assert (job.state, job.attempts) == (JobState.DONE, 2)


def test_job_whose_lease_keeps_expiring_is_parked(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(db, clock)
    ran: list[int] = []
    retry = RetryPolicy(max_attempts=2, jitter=0)
    for _ in range(2):  # two workers die holding the job
        make_worker({"k": _ok}, lease=30, retry=retry)._claim()
        clock.advance(31)
        make_worker({"k": _ok}, retry=retry).reap()
    make_worker({"k": lambda ctx: ran.append(ctx.id)}, retry=retry).run_until_idle()
    job = _job(db, job_id)
    assert ran == []
    assert (job.state, job.attempts) == (JobState.DEAD, 3)
    assert job.last_error is not None and "deneme hakkı doldu" in job.last_error


def test_worker_renews_the_lease_of_a_long_batch(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    ids = [_add(db, clock) for _ in range(3)]

    def slow(ctx: JobContext) -> None:
        clock.advance(20)  # each job takes 20 s of a 30 s lease

    worker = make_worker({"k": slow}, lease=30)
    other = make_worker({"k": _ok}, lease=30)
    worker.run_until_idle()
    assert other.reap() == 0
    assert [_job(db, i).state for i in ids] == [JobState.DONE] * 3
    assert [_job(db, i).attempts for i in ids] == [1, 1, 1]


def test_stop_gives_unstarted_jobs_back(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    ids = [_add(db, clock) for _ in range(5)]
    holder: list[Any] = []

    def first_then_stop(ctx: JobContext) -> None:
        holder[0].stop()

    worker = make_worker({"k": first_then_stop}, batch_size=5)
    holder.append(worker)
    assert worker.run_until_idle() == 5  # claimed five, ran one
    states = [(_job(db, i).state, _job(db, i).attempts) for i in ids]
    assert states == [(JobState.DONE, 1)] + [(JobState.PENDING, 0)] * 4


def test_run_returns_after_stop(db: Database, clock: FakeClock, make_worker: MakeWorker) -> None:
    _add(db, clock)
    holder: list[Any] = []
    worker = make_worker({"k": lambda ctx: holder[0].stop()}, poll_interval=1)
    holder.append(worker)
    worker.run()  # returns because the handler stopped it
    assert holder[0] is worker


def test_worker_needs_a_handler() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Worker(None, HandlerRegistry())  # type: ignore[arg-type]
