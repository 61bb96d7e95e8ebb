"""Tests of entegrator.store.jobs.breaker: open, half-open probe, close — shared through the DB."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from entegrator.errors import DocumentError, TransportError
from entegrator.store import Database, FakeClock
from entegrator.store.jobs import (
    BreakerPolicy,
    BreakerState,
    JobContext,
    JobState,
    RetryPolicy,
    Worker,
    breaker_status,
    count_by_state,
    enqueue,
    reset_breaker,
)

MakeWorker = Callable[..., Worker]
POLICY = BreakerPolicy(failure_threshold=3, cooldown=60)
RETRY = RetryPolicy(base_delay=1, jitter=0)


def _add(db: Database, clock: FakeClock, n: int = 1, destination: str | None = "gib") -> list[int]:
    with db.transaction() as conn:
        return [enqueue(conn, "k", {}, destination=destination, clock=clock) for _ in range(n)]


def _status(db: Database, destination: str = "gib") -> tuple[BreakerState, int]:
    with db.transaction(read_only=True) as conn:
        status = breaker_status(conn, destination)
    return status.state, status.failures


class Gib:
    """A fake GİB that is up or down; counts the calls that reach it (other destinations pass)."""

    def __init__(self) -> None:
        self.up = False
        self.calls = 0

    def __call__(self, ctx: JobContext) -> None:
        if ctx.job.destination != "gib":
            return
        self.calls += 1
        if not self.up:
            raise TransportError("GİB yanıt vermiyor")


def _open_breaker(db: Database, clock: FakeClock, make_worker: MakeWorker, gib: Gib) -> Worker:
    _add(db, clock, 5)
    worker = make_worker({"k": gib}, breaker=POLICY, retry=RETRY)
    worker.run_until_idle()
    return worker


def test_breaker_opens_after_threshold_failures(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    gib = Gib()
    _open_breaker(db, clock, make_worker, gib)
    assert gib.calls == 3  # the other two jobs of the batch were given back untried
    assert _status(db) == (BreakerState.OPEN, 3)
    with db.transaction(read_only=True) as conn:
        status = breaker_status(conn, "gib")
        assert count_by_state(conn)[JobState.PENDING] == 5
    assert status.open_until == clock.now() + timedelta(seconds=60)


def test_open_breaker_holds_back_only_its_destination(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    gib = Gib()
    worker = _open_breaker(db, clock, make_worker, gib)
    other = _add(db, clock, 1, destination="mail") + _add(db, clock, 1, destination=None)
    clock.advance(30)
    assert worker.run_until_idle() == 2
    assert gib.calls == 3
    with db.transaction(read_only=True) as conn:
        assert count_by_state(conn)[JobState.DONE] == len(other)


def test_after_cooldown_exactly_one_probe_runs(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    gib = Gib()
    worker = _open_breaker(db, clock, make_worker, gib)
    states_during_probe: list[tuple[BreakerState, int]] = []

    def probe(ctx: JobContext) -> None:
        states_during_probe.append(_status(db))
        gib(ctx)

    prober = make_worker({"k": probe}, breaker=POLICY, retry=RETRY, batch_size=50)
    clock.advance(60)
    assert prober.run_once() == 1
    assert states_during_probe == [(BreakerState.HALF_OPEN, 3)]
    assert worker.run_until_idle() == 0  # still open: the probe failed
    assert _status(db) == (BreakerState.OPEN, 4)


def test_successful_probe_closes_the_breaker(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    gib = Gib()
    worker = _open_breaker(db, clock, make_worker, gib)
    gib.up = True
    clock.advance(60)
    assert worker.run_once() == 1  # the probe
    assert _status(db) == (BreakerState.CLOSED, 0)
    assert worker.run_until_idle() == 4
    with db.transaction(read_only=True) as conn:
        assert count_by_state(conn)[JobState.DONE] == 5


def test_failed_probe_reopens_for_another_cooldown(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    gib = Gib()
    worker = _open_breaker(db, clock, make_worker, gib)
    clock.advance(60)
    worker.run_once()
    with db.transaction(read_only=True) as conn:
        status = breaker_status(conn, "gib")
    assert status.state is BreakerState.OPEN
    assert status.open_until == clock.now() + timedelta(seconds=60)
    clock.advance(59)
    assert worker.run_until_idle() == 0
    clock.advance(1)
    assert worker.run_once() == 1


def test_probe_of_a_dead_worker_is_taken_over(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    gib = Gib()
    _open_breaker(db, clock, make_worker, gib)
    clock.advance(60)
    dead = make_worker({"k": gib}, breaker=POLICY, retry=RETRY, lease=30)
    assert len(dead._claim().jobs) == 1  # wins the probe, then dies
    gib.up = True
    survivor = make_worker({"k": gib}, breaker=POLICY, retry=RETRY, lease=30)
    assert survivor.run_until_idle() == 0  # the probe is still held
    clock.advance(31)
    survivor.reap()
    assert survivor.run_once() == 1  # a new probe
    assert _status(db) == (BreakerState.CLOSED, 0)


def test_success_resets_the_failure_count(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    gib = Gib()
    _add(db, clock, 2)
    worker = make_worker({"k": gib}, breaker=POLICY, retry=RETRY)
    worker.run_until_idle()
    assert _status(db) == (BreakerState.CLOSED, 2)
    gib.up = True
    clock.advance(1)
    worker.run_until_idle()
    assert _status(db) == (BreakerState.CLOSED, 0)


def test_failures_from_several_workers_add_up(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    gib = Gib()
    _add(db, clock, 3)
    workers = [make_worker({"k": gib}, breaker=POLICY, retry=RETRY, batch_size=1) for _ in range(3)]
    for worker in workers:
        worker.run_once()
    assert _status(db) == (BreakerState.OPEN, 3)


def test_document_errors_do_not_trip_the_breaker(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    def rejected(ctx: JobContext) -> None:
        raise DocumentError("GİB belgeyi reddetti")

    _add(db, clock, 5)
    make_worker({"k": rejected}, breaker=POLICY).run_until_idle()
    assert _status(db) == (BreakerState.CLOSED, 0)


def test_threshold_of_one_opens_on_first_failure(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    _add(db, clock, 2)
    gib = Gib()
    make_worker(
        {"k": gib}, breaker=BreakerPolicy(failure_threshold=1), retry=RETRY
    ).run_until_idle()
    assert gib.calls == 1
    assert _status(db) == (BreakerState.OPEN, 1)


def test_reset_breaker_closes_it_by_hand(
    db: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    gib = Gib()
    worker = _open_breaker(db, clock, make_worker, gib)
    with db.transaction() as conn:
        reset_breaker(conn, "gib", now=clock.now())
    gib.up = True
    clock.advance(1)
    assert worker.run_until_idle() == 5


def test_unknown_destination_is_closed(db: Database) -> None:
    assert _status(db, "never-seen") == (BreakerState.CLOSED, 0)
