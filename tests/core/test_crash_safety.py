"""Crash safety: integrator and worker processes are SIGKILLed at random moments while 500
invoices travel from integrator A through the GİB simulator to integrator B, and started
again. Every invoice must end in exactly one final state at A, arrive exactly once at B, and
the invoice numbers must have no gap and no duplicate."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from entegrator.core.outbound import submit_many
from entegrator.store import Database, StoreConfig
from tests.core.support import CorePki, admin_caller
from tests.core.test_outage import _check_exactly_once, invoices
from tests.core.twoway import NodeProcess, Twoway, make_twoway, states, wait_for
from tests.dbfixtures import scratch_schema

INVOICES = 500


@pytest.fixture
def b_store(request: pytest.FixtureRequest, db_config: StoreConfig, tmp_path: Path,
            pg_url: str) -> Iterator[StoreConfig]:
    """Integrator B's database, on the same kind of server as A's."""
    if db_config.dialect == "sqlite":
        yield StoreConfig(url=f"sqlite:///{tmp_path / 'b.db'}")
        return
    with scratch_schema(request.getfixturevalue("pg_admin"), pg_url) as config:
        yield config


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _processes(pair: Twoway, directory: Path, dialect: str) -> list[NodeProcess]:
    """SQLite: one process per integrator (web service + worker, as ``serve --with-worker``);
    PostgreSQL: a web-service process and two worker processes per integrator."""
    if dialect == "sqlite":
        return [NodeProcess(pair.a, "all", directory), NodeProcess(pair.b, "all", directory)]
    return [NodeProcess(node, role, directory) for node in (pair.a, pair.b)
            for role in ("serve", "worker", "worker")]


class Killer(threading.Thread):
    """Kills a random process every few hundred milliseconds and starts it again."""

    def __init__(self, processes: list[NodeProcess], seed: int) -> None:
        super().__init__(daemon=True)
        self.processes = processes
        self.rng = random.Random(seed)
        self.halt = threading.Event()
        self.kills = 0

    def run(self) -> None:
        while not self.halt.wait(self.rng.uniform(0.3, 1.5)):
            victim = self.rng.choice(self.processes)
            victim.kill()
            self.kills += 1
            self.halt.wait(self.rng.uniform(0.0, 1.0))
            victim.start()


@pytest.mark.slow
def test_sigkilled_processes_lose_and_double_no_invoice(
    db_config: StoreConfig, b_store: StoreConfig, tmp_path: Path, core_pki: CorePki,
) -> None:
    directory = tmp_path / "twoway"
    directory.mkdir()
    pair = make_twoway(directory, core_pki, db_config, b_store)
    processes = _processes(pair, directory, db_config.dialect)
    seed = random.randrange(1 << 30)
    a_db, b_db = Database.from_config(db_config), Database.from_config(b_store)
    erp = pair.a.integrator()  # the ERP's side of A's API: never killed
    killer = Killer(processes, seed)
    try:
        with pair.merkez():
            for process in processes:
                process.start()
            wait_for(lambda: _listening(pair.a.config.serve.port)
                     and _listening(pair.b.config.serve.port), timeout=60,
                     what="both integrators listening")
            killer.start()
            caller = admin_caller(pair.a.tenant_id)
            batches = invoices(INVOICES)
            for start in range(0, INVOICES, 25):
                submit_many(erp, caller, batches[start:start + 25], channel="api")
                time.sleep(0.2)
            time.sleep(5)  # keep killing while the last ones travel
            killer.halt.set()
            killer.join(30)
            for process in processes:
                if not process.alive:
                    process.start()
            try:
                wait_for(lambda: states(a_db, "OUT") == {"send_succeed": INVOICES}
                         and states(b_db, "IN").get("received", 0) == INVOICES,
                         timeout=240, interval=1.0, what="every invoice delivered")
            except AssertionError as exc:
                logs = "\n".join(f"--- {p.node.name}/{p.role}\n{p.log_tail()}"
                                 for p in processes)
                raise AssertionError(
                    f"{exc}; seed {seed}, {killer.kills} kills; A: {states(a_db, 'OUT')}, "
                    f"B: {states(b_db, 'IN')}\n{logs}") from exc
    finally:
        killer.halt.set()
        for process in processes:
            process.stop()
        erp.close()
        a_db.dispose()
        b_db.dispose()
    assert killer.kills >= 5, f"only {killer.kills} kills (seed {seed})"
    print(f"crash test: seed {seed}, {killer.kills} kills")
    _check_exactly_once(db_config, b_store, INVOICES)
