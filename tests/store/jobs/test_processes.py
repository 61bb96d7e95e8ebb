"""Worker processes: SIGKILL mid-job, SIGTERM, and several workers on one queue.

The workers run ``worker_proc.py`` in separate interpreters, so these tests cover what
threads cannot: a process dying with its transaction open, real signals, real concurrency.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from entegrator.store import Database, StoreConfig
from entegrator.store.jobs import (
    HandlerRegistry,
    JobContext,
    JobState,
    NewJob,
    Worker,
    WorkerConfig,
    count_by_state,
    enqueue_many,
)
from entegrator.store.migrate import upgrade

SCRIPT = Path(__file__).with_name("worker_proc.py")
effects = sa.table("effects", sa.column("job_id"), sa.column("worker"))


def _prepare(db: Database, jobs: list[NewJob]) -> None:
    with db.transaction() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE effects (job_id BIGINT NOT NULL, worker VARCHAR(100) NOT NULL)"
        )
        conn.exec_driver_sql("CREATE TABLE runs (job_id BIGINT NOT NULL, attempt INTEGER NOT NULL)")
        enqueue_many(conn, jobs)


def _spawn(config: StoreConfig, mode: str, *args: str) -> subprocess.Popen[bytes]:
    schema = config.pg_schema or "-"
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), config.url, schema, mode, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


@contextmanager
def _reaped(*procs: subprocess.Popen[bytes]) -> Iterator[None]:
    """Kill whatever is still running when the test leaves (pass or fail)."""
    try:
        yield
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
            if proc.stdout:
                proc.stdout.close()


def _wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def _effect_rows(db: Database) -> list[tuple[int, str]]:
    with db.transaction(read_only=True) as conn:
        return [
            (int(r[0]), str(r[1]))
            for r in conn.execute(sa.select(effects.c.job_id, effects.c.worker))
        ]


def _counts(db: Database) -> dict[JobState, int]:
    with db.transaction(read_only=True) as conn:
        return count_by_state(conn)


def test_killed_worker_job_is_run_again_with_effect_exactly_once(
    db: Database, db_config: StoreConfig, tmp_path: Path
) -> None:
    _prepare(db, [NewJob("effect", {})])
    marker = tmp_path / "inside"
    victim = _spawn(db_config, "hang", "--lease", "2", "--marker", str(marker))
    with _reaped(victim):
        _wait_for(marker.exists, 60, "the worker to be inside the job's transaction")
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
    assert _counts(db)[JobState.RUNNING] == 1  # the dead worker's lease still holds it

    def effect(ctx: JobContext) -> None:
        with ctx.transaction() as conn:
            conn.execute(sa.insert(effects).values(job_id=ctx.id, worker="rescuer"))

    registry = HandlerRegistry()
    registry.register("effect", effect)
    rescuer = Worker(db, registry, WorkerConfig(lease=2, reap_interval=0, worker_id="rescuer"))
    deadline = time.monotonic() + 30
    while _counts(db)[JobState.DONE] == 0 and time.monotonic() < deadline:
        rescuer.run_once()
        time.sleep(0.1)
    assert [worker for _, worker in _effect_rows(db)] == ["rescuer"]
    assert _counts(db)[JobState.DONE] == 1


def test_sigterm_finishes_the_current_job_and_gives_the_rest_back(
    db: Database, db_config: StoreConfig, tmp_path: Path
) -> None:
    _prepare(db, [NewJob("effect", {}) for _ in range(20)])
    marker = tmp_path / "started"
    proc = _spawn(db_config, "slow", "--batch", "20", "--marker", str(marker))
    with _reaped(proc):
        _wait_for(marker.exists, 60, "the first job to start")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    counts = _counts(db)
    assert counts[JobState.RUNNING] == 0
    assert 1 <= counts[JobState.DONE] < 20
    assert counts[JobState.DONE] + counts[JobState.PENDING] == 20
    assert len(_effect_rows(db)) == counts[JobState.DONE]
    with db.transaction(read_only=True) as conn:
        attempts = conn.exec_driver_sql(
            "SELECT DISTINCT attempts FROM jobs WHERE state = 'pending'"
        )
        assert [row[0] for row in attempts] == [0]  # given back as if never claimed


def _run_workers(
    config: StoreConfig, db: Database, tmp_path: Path, *, workers: int, jobs: int
) -> set[str]:
    flaky = {i for i in range(jobs) if i % 10 == 0}
    _prepare(db, [NewJob("effect", {"fail_first": i in flaky}) for i in range(jobs)])
    go = tmp_path / "go"
    ready = [tmp_path / f"ready{i}" for i in range(workers)]
    procs = [
        _spawn(
            config, "effect", "--ready", str(path), "--go", str(go), "--until-idle", "--batch", "25"
        )
        for path in ready
    ]
    with _reaped(*procs):
        _wait_for(lambda: all(path.exists() for path in ready), 60, "the workers to start")
        go.write_text("go")
        for proc in procs:
            assert proc.wait(timeout=300) == 0, proc.stdout.read().decode() if proc.stdout else ""
    rows = _effect_rows(db)
    assert len(rows) == jobs
    assert len({job_id for job_id, _ in rows}) == jobs
    assert _counts(db)[JobState.DONE] == jobs
    with db.transaction(read_only=True) as conn:
        run_rows = conn.exec_driver_sql("SELECT job_id, attempt FROM runs").all()
    assert len(run_rows) == jobs + len(flaky)  # no job was ever claimed twice at once
    assert len(set(run_rows)) == len(run_rows)
    return {worker for _, worker in rows}


@pytest.mark.postgres
@pytest.mark.slow
def test_several_postgresql_worker_processes_do_every_job_exactly_once(
    pg_schema_config: StoreConfig, tmp_path: Path
) -> None:
    db = Database.from_config(pg_schema_config)
    upgrade(db.engine)
    workers = _run_workers(pg_schema_config, db, tmp_path, workers=3, jobs=2000)
    assert len(workers) >= 2  # the work was actually shared
    db.dispose()


@pytest.mark.slow
def test_two_sqlite_worker_processes_do_every_job_exactly_once(
    sqlite_config: StoreConfig, tmp_path: Path
) -> None:
    db = Database.from_config(sqlite_config)
    upgrade(db.engine)
    # Claims are serialised by SQLite's write lock, so one process may well do everything
    # (writer starvation): this test is about safety, not sharing.
    _run_workers(sqlite_config, db, tmp_path, workers=2, jobs=400)
    db.dispose()
