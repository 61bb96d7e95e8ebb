"""``entegrator worker``: job workers (send, poll, receive, respond, user list, archive).

``--processes N`` starts N worker processes (PostgreSQL only: on SQLite run one worker, or
``entegrator serve --with-worker``). SIGTERM or SIGINT lets every worker finish its current
job and exit; the parent waits for them.
"""

from __future__ import annotations

import argparse
import multiprocessing
import signal
from pathlib import Path

from entegrator.cli import settings
from entegrator.core.jobs import schedule_recurring
from entegrator.core.wiring import build_integrator
from entegrator.errors import ConfigurationError
from entegrator.store.jobs import Worker, stop_on_signals

__all__ = ["register", "run_one"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``worker``."""
    parser = subparsers.add_parser("worker", help="iş kuyruğu işçilerini çalıştır")
    settings.add_config_argument(parser)
    parser.add_argument("--processes", type=int, metavar="N",
                        help="işçi süreç sayısı (varsayılan: ayarlardaki worker.processes)")
    parser.set_defaults(handler=_worker)


def run_one(config_file: Path | None) -> None:
    """Run one worker in this process until SIGTERM/SIGINT (the child processes' body)."""
    config = settings.load(argparse.Namespace(config=config_file))
    integrator = build_integrator(config)
    try:
        schedule_recurring(integrator)
        worker = Worker(integrator.db, integrator.jobs, config.worker.runner,
                        clock=integrator.clock)
        stop_on_signals(worker)
        worker.run()
    finally:
        integrator.close()


def _worker(args: argparse.Namespace) -> int:
    config = settings.load(args)
    count = args.processes or config.worker.processes
    if count < 1:
        raise ConfigurationError("işçi sayısı en az 1 olmalı")
    if count > 1 and config.database.dialect == "sqlite":
        raise ConfigurationError("SQLite ile tek işçi çalışır; --processes 1 kullanın")
    if count == 1:
        print("entegrator işçisi çalışıyor (durdurmak için Ctrl-C)", flush=True)
        run_one(args.config)
        return 0
    context = multiprocessing.get_context("spawn")
    children = [context.Process(target=run_one, args=(args.config,), name=f"worker-{n}")
                for n in range(count)]
    for child in children:
        child.start()

    def forward(signum: int, _frame: object) -> None:
        for child in children:
            if child.is_alive() and child.pid is not None:
                child.terminate()  # SIGTERM: the child finishes its current job

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    print(f"{count} entegrator işçisi çalışıyor (durdurmak için Ctrl-C)", flush=True)
    for child in children:
        child.join()
    return max((child.exitcode or 0) for child in children)
