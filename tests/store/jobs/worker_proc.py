"""A job worker run as a separate process by the crash and concurrency tests.

Usage: python worker_proc.py URL SCHEMA MODE [--lease S] [--batch N] [--marker PATH]
[--ready PATH] [--go PATH] [--until-idle] (``--ready`` is written once the worker is built,
then it waits for ``--go`` to exist).

Handler (kind "effect"): record the run in ``runs`` (own transaction), then insert one row
into ``effects`` in the job's completion transaction. Modes: ``effect`` (just that), ``hang``
(insert, touch the marker, then sleep inside the transaction: to be SIGKILLed), ``slow``
(sleep 0.2 s per job, touch the marker when the first job starts). Jobs with payload
``fail_first`` fail their first attempt with a retryable error.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from entegrator.errors import TransportError
from entegrator.store import Database, StoreConfig
from entegrator.store.jobs import (
    HandlerRegistry,
    JobContext,
    RetryPolicy,
    Worker,
    WorkerConfig,
    stop_on_signals,
)

effects = sa.table("effects", sa.column("job_id"), sa.column("worker"))
runs = sa.table("runs", sa.column("job_id"), sa.column("attempt"))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("schema")
    parser.add_argument("mode", choices=["effect", "hang", "slow"])
    parser.add_argument("--lease", type=float, default=30.0)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--marker", type=Path)
    parser.add_argument("--go", type=Path)
    parser.add_argument("--ready", type=Path)
    parser.add_argument("--until-idle", action="store_true")
    args = parser.parse_args(argv)

    schema = None if args.schema == "-" else args.schema
    db = Database.from_config(StoreConfig(url=args.url, pg_schema=schema))
    me = f"proc-{os.getpid()}"

    def effect(ctx: JobContext) -> None:
        with ctx.db.transaction() as conn:  # every run is counted, committed on its own
            conn.execute(sa.insert(runs).values(job_id=ctx.id, attempt=ctx.attempt))
        if ctx.payload.get("fail_first") and ctx.attempt == 1:
            raise TransportError("ilk deneme başarısız (test)")
        if args.mode == "slow":
            if args.marker and not args.marker.exists():
                args.marker.write_text("started")
            time.sleep(0.2)
        with ctx.transaction() as conn:
            conn.execute(sa.insert(effects).values(job_id=ctx.id, worker=me))
            if args.mode == "hang":
                assert args.marker is not None
                args.marker.write_text("inside")
                time.sleep(600)

    registry = HandlerRegistry()
    registry.register("effect", effect, retry=RetryPolicy(base_delay=0, jitter=0))
    config = WorkerConfig(
        batch_size=args.batch, lease=args.lease, poll_interval=0.05, reap_interval=0.2, worker_id=me
    )
    worker = Worker(db, registry, config)
    stop_on_signals(worker)
    if args.ready:
        args.ready.write_text("ready")
    if args.go:
        while not args.go.exists():
            time.sleep(0.01)
    if args.until_idle:
        worker.run_until_idle()
    else:
        worker.run()
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
