"""Tests of entegrator.store.jobs.queue: enqueue in the caller's transaction, dedupe, admin."""

from __future__ import annotations

from datetime import timedelta

import pytest

from entegrator.errors import NotFound
from entegrator.store import Database, FakeClock
from entegrator.store.jobs import (
    JobState,
    NewJob,
    cancel,
    count_by_state,
    enqueue,
    enqueue_many,
    get_job,
    purge_finished,
    retry_dead,
)
from entegrator.store.jobs.tables import jobs


def test_enqueue_creates_a_pending_job_due_now(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        job_id = enqueue(conn, "invoice.send", {"invoice": 1}, destination="gib", clock=clock)
        job = get_job(conn, job_id)
    assert (job.kind, job.payload, job.destination) == ("invoice.send", {"invoice": 1}, "gib")
    assert (job.state, job.attempts, job.run_at) == (JobState.PENDING, 0, clock.now())


def test_enqueue_is_undone_with_the_callers_transaction(db: Database, clock: FakeClock) -> None:
    with pytest.raises(RuntimeError), db.transaction() as conn:
        enqueue(conn, "invoice.send", {}, clock=clock)
        raise RuntimeError("the invoice could not be stored")
    with db.transaction() as conn:
        assert count_by_state(conn)[JobState.PENDING] == 0


def test_enqueue_with_run_at_delays_the_job(db: Database, clock: FakeClock) -> None:
    later = clock.now() + timedelta(hours=1)
    with db.transaction() as conn:
        assert get_job(conn, enqueue(conn, "k", {}, run_at=later, clock=clock)).run_at == later


def test_enqueue_with_same_dedupe_key_returns_the_first_job(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        first = enqueue(conn, "k", {"n": 1}, dedupe_key="send:ettn-1", clock=clock)
    with db.transaction() as conn:
        second = enqueue(conn, "k", {"n": 2}, dedupe_key="send:ettn-1", clock=clock)
        assert count_by_state(conn)[JobState.PENDING] == 1
        assert get_job(conn, second).payload == {"n": 1}
    assert second == first


def test_enqueue_without_dedupe_key_always_adds(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        ids = {enqueue(conn, "k", {}, clock=clock) for _ in range(3)}
    assert len(ids) == 3


def test_enqueue_refuses_an_empty_kind(db: Database, clock: FakeClock) -> None:
    with pytest.raises(ValueError), db.transaction() as conn:
        enqueue(conn, "", {}, clock=clock)


def test_enqueue_many_counts_new_jobs_and_skips_duplicates(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        enqueue(conn, "k", {}, dedupe_key="a", clock=clock)
        added = enqueue_many(
            conn,
            [
                NewJob("k", {"i": 1}, dedupe_key="a"),
                NewJob("k", {"i": 2}, dedupe_key="b"),
                NewJob("k", {"i": 3}),
            ],
            clock=clock,
        )
        assert count_by_state(conn)[JobState.PENDING] == 3
    assert added == 2


def test_enqueue_many_with_nothing_adds_nothing(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        assert enqueue_many(conn, [], clock=clock) == 0


def test_get_job_raises_not_found(db: Database) -> None:
    with pytest.raises(NotFound), db.transaction() as conn:
        get_job(conn, 999)


def test_cancel_stops_a_pending_job(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        job_id = enqueue(conn, "k", {}, clock=clock)
        assert cancel(conn, job_id, clock=clock) is True
        job = get_job(conn, job_id)
    assert (job.state, job.finished_at) == (JobState.CANCELLED, clock.now())


def test_cancel_leaves_non_pending_jobs_alone(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        job_id = enqueue(conn, "k", {}, clock=clock)
        cancel(conn, job_id, clock=clock)
        assert cancel(conn, job_id, clock=clock) is False


def test_retry_dead_gives_fresh_attempts(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        job_id = enqueue(conn, "k", {}, clock=clock)
        conn.execute(jobs.update().where(jobs.c.id == job_id).values(state="dead", attempts=10))
        clock.advance(60)
        assert retry_dead(conn, job_id, clock=clock) is True
        job = get_job(conn, job_id)
    assert (job.state, job.attempts, job.run_at, job.finished_at) == (
        JobState.PENDING,
        0,
        clock.now(),
        None,
    )


def test_retry_dead_ignores_live_jobs(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        assert retry_dead(conn, enqueue(conn, "k", {}, clock=clock), clock=clock) is False


def test_purge_finished_removes_old_done_and_cancelled_only(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        old_cancelled = enqueue(conn, "k", {}, clock=clock)
        cancel(conn, old_cancelled, clock=clock)
        live = enqueue(conn, "k", {}, clock=clock)
        clock.advance(3600)
        new_cancelled = enqueue(conn, "k", {}, clock=clock)
        cancel(conn, new_cancelled, clock=clock)
        assert purge_finished(conn, before=clock.now() - timedelta(minutes=30)) == 1
        remaining = {get_job(conn, i).id for i in (live, new_cancelled)}
        with pytest.raises(NotFound):
            get_job(conn, old_cancelled)
    assert remaining == {live, new_cancelled}


def test_count_by_state_lists_every_state(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        enqueue(conn, "k", {}, clock=clock)
        counts = count_by_state(conn)
    assert set(counts) == set(JobState)
    assert counts[JobState.PENDING] == 1 and counts[JobState.DONE] == 0
