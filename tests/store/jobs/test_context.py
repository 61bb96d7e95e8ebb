"""Tests of entegrator.store.jobs.context: effects and completion in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa

from entegrator.store import Database, FakeClock
from entegrator.store.jobs import JobContext, JobState, RetryPolicy, Worker, enqueue, get_job

MakeWorker = Callable[..., Worker]

_md = sa.MetaData()
effects = sa.Table(
    "effects", _md, sa.Column("job_id", sa.Integer), sa.Column("note", sa.String(20))
)


@pytest.fixture
def with_effects(db: Database) -> Database:
    _md.create_all(db.engine)
    return db


def _effects(db: Database) -> list[tuple[int, str]]:
    with db.transaction(read_only=True) as conn:
        return [tuple(r) for r in conn.execute(sa.select(effects).order_by(effects.c.note))]


def _add(db: Database, clock: FakeClock) -> int:
    with db.transaction() as conn:
        return enqueue(conn, "k", {}, clock=clock)


def _state(db: Database, job_id: int) -> tuple[JobState, int]:
    with db.transaction(read_only=True) as conn:
        job = get_job(conn, job_id)
    return job.state, job.attempts


def test_transaction_commits_effects_and_completion_together(
    with_effects: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(with_effects, clock)
    seen_inside: list[JobState] = []

    def handler(ctx: JobContext) -> None:
        with ctx.transaction() as conn:
            conn.execute(sa.insert(effects).values(job_id=ctx.id, note="sent"))
        seen_inside.append(_state(with_effects, ctx.id)[0])

    make_worker({"k": handler}).run_until_idle()
    assert seen_inside == [JobState.DONE]  # finished at the commit, before the handler returned
    assert _effects(with_effects) == [(job_id, "sent")]
    assert _state(with_effects, job_id) == (JobState.DONE, 1)


def test_error_inside_transaction_rolls_back_effects_and_retries(
    with_effects: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(with_effects, clock)

    def handler(ctx: JobContext) -> None:
        with ctx.transaction() as conn:
            conn.execute(sa.insert(effects).values(job_id=ctx.id, note=f"try{ctx.attempt}"))
            if ctx.attempt == 1:
                raise RuntimeError("crash before commit")

    worker = make_worker({"k": handler}, retry=RetryPolicy(base_delay=1, jitter=0))
    worker.run_until_idle()
    clock.advance(1)
    worker.run_until_idle()
    assert _effects(with_effects) == [(job_id, "try2")]
    assert _state(with_effects, job_id) == (JobState.DONE, 2)


def test_lost_lease_rolls_back_the_late_workers_effects(
    with_effects: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(with_effects, clock)
    rescuer = make_worker({"k": lambda ctx: _write(ctx, "rescuer")}, lease=30)

    def stalled(ctx: JobContext) -> None:
        # This worker hangs past its lease; meanwhile another one takes the job over.
        clock.advance(31)
        rescuer.reap()
        rescuer.run_until_idle()
        _write(ctx, "stalled")

    make_worker({"k": stalled}, lease=30).run_until_idle()
    assert _effects(with_effects) == [(job_id, "rescuer")]
    assert _state(with_effects, job_id) == (JobState.DONE, 2)


def _write(ctx: JobContext, note: str) -> None:
    with ctx.transaction() as conn:
        conn.execute(sa.insert(effects).values(job_id=ctx.id, note=note))


def test_reschedule_inside_transaction_commits_with_the_effects(
    with_effects: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(with_effects, clock)

    def poll(ctx: JobContext) -> None:
        with ctx.transaction() as conn:
            conn.execute(sa.insert(effects).values(job_id=ctx.id, note="status 1200"))
            ctx.reschedule(delay=300)

    make_worker({"k": poll}).run_until_idle()
    with with_effects.transaction(read_only=True) as conn:
        job = get_job(conn, job_id)
    assert (job.state, job.attempts, job.run_at) == (
        JobState.PENDING,
        0,
        clock.now() + timedelta(seconds=300),
    )
    assert _effects(with_effects) == [(job_id, "status 1200")]


def test_transaction_cannot_finish_a_job_twice(
    with_effects: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    _add(with_effects, clock)
    errors: list[Exception] = []

    def twice(ctx: JobContext) -> None:
        _write(ctx, "once")
        try:
            _write(ctx, "twice")
        except RuntimeError as exc:
            errors.append(exc)

    make_worker({"k": twice}).run_until_idle()
    assert len(errors) == 1
    assert [note for _, note in _effects(with_effects)] == ["once"]


def test_error_after_commit_leaves_the_job_done(
    with_effects: Database, clock: FakeClock, make_worker: MakeWorker
) -> None:
    job_id = _add(with_effects, clock)

    def handler(ctx: JobContext) -> None:
        _write(ctx, "done")
        raise RuntimeError("after the commit")

    make_worker({"k": handler}).run_until_idle()
    assert _state(with_effects, job_id) == (JobState.DONE, 1)
    assert len(_effects(with_effects)) == 1
