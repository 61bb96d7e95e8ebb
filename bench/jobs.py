"""Throughput of the durable job queue (entegrator.store.jobs) on SQLite and PostgreSQL.

Prints jobs/second for: enqueue (one job per transaction; 500 per enqueue_many), and
processing with 1 and 2 worker processes — trivial handlers (outcomes flushed per batch)
and handlers using the exactly-once helper (one commit per job).

    .venv/bin/python bench/jobs.py [--db sqlite|postgres|both] [--jobs 20000]

PostgreSQL: ENTEGRATOR_TEST_PG_URL (default: the test database); a scratch schema is created
and dropped. The machine is shared: numbers are noisy, run it more than once.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
    enqueue,
    enqueue_many,
)
from entegrator.store.migrate import upgrade

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/entegrator_test"


def _trivial(ctx: JobContext) -> None:
    return None


def _exactly_once(ctx: JobContext) -> None:
    with ctx.transaction():
        pass


def _worker_main(config: StoreConfig, kind: str, go: multiprocessing.synchronize.Event) -> None:
    db = Database.from_config(config)
    registry = HandlerRegistry()
    registry.register(kind, _trivial if kind == "trivial" else _exactly_once)
    worker = Worker(db, registry, WorkerConfig(batch_size=100, poll_interval=0.01))
    go.wait()
    worker.run_until_idle()
    db.dispose()


@contextmanager
def _database(kind: str, pg_url: str) -> Iterator[StoreConfig]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield StoreConfig(url=f"sqlite:///{Path(folder) / 'bench.db'}")
        return
    schema = f"bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield StoreConfig(url=pg_url, pg_schema=schema)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def _reset(db: Database) -> None:
    with db.transaction() as conn:
        conn.exec_driver_sql("DELETE FROM jobs")


def bench_enqueue(db: Database, n: int) -> tuple[float, float]:
    """Return (jobs/s one per transaction, jobs/s 500 per enqueue_many)."""
    single = min(n, 2000)
    start = time.perf_counter()
    for i in range(single):
        with db.transaction() as conn:
            enqueue(conn, "trivial", {"i": i})
    one_by_one = single / (time.perf_counter() - start)
    _reset(db)
    start = time.perf_counter()
    for offset in range(0, n, 500):
        with db.transaction() as conn:
            enqueue_many(
                conn, [NewJob("trivial", {"i": i}) for i in range(offset, min(n, offset + 500))]
            )
    batched = n / (time.perf_counter() - start)
    _reset(db)
    return one_by_one, batched


def bench_workers(config: StoreConfig, db: Database, kind: str, n: int, processes: int) -> float:
    """Jobs/s for ``processes`` workers draining ``n`` pre-enqueued jobs of ``kind``."""
    with db.transaction() as conn:
        for offset in range(0, n, 1000):
            enqueue_many(conn, [NewJob(kind, {}) for _ in range(offset, min(n, offset + 1000))])
    context = multiprocessing.get_context("spawn")
    go = context.Event()
    procs = [
        context.Process(target=_worker_main, args=(config, kind, go)) for _ in range(processes)
    ]
    for proc in procs:
        proc.start()
    time.sleep(1.5)  # let the interpreters import everything
    start = time.perf_counter()
    go.set()
    for proc in procs:
        proc.join()
    elapsed = time.perf_counter() - start
    with db.transaction() as conn:
        done = count_by_state(conn)[JobState.DONE]
    if done != n:
        raise SystemExit(f"only {done} of {n} jobs done")
    _reset(db)
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--jobs", type=int, default=20000)
    args = parser.parse_args()
    pg_url = os.environ.get("ENTEGRATOR_TEST_PG_URL", DEFAULT_PG_URL)
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    print(f"cpus={os.cpu_count()} jobs={args.jobs} (shared machine: numbers are noisy)")
    for kind in kinds:
        with _database(kind, pg_url) as config:
            db = Database.from_config(config)
            upgrade(db.engine)
            one, many = bench_enqueue(db, args.jobs)
            print(
                f"{kind:8} enqueue: {one:8.0f} jobs/s one per transaction, "
                f"{many:8.0f} jobs/s via enqueue_many(500)"
            )
            for handler, n in (("trivial", args.jobs), ("exactly_once", max(args.jobs // 5, 1000))):
                for processes in (1, 2):
                    rate = bench_workers(config, db, handler, n, processes)
                    print(
                        f"{kind:8} process {handler:12} jobs, {processes} worker(s): "
                        f"{rate:8.0f} jobs/s ({n} jobs)"
                    )
            db.dispose()


if __name__ == "__main__":
    main()
