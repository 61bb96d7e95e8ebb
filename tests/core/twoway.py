"""Two integrators and the GİB simulator, for the crash-safety and outage tests.

Integrator A hosts the seller (SUPPLIER), integrator B the buyer (CUSTOMER); invoices go
A → Merkez (the simulator, all its checks on) → B, and B's system responses come back the
same way. Each integrator has its own database (SQLite file or PostgreSQL schema), its own
EFatura endpoint on loopback and its own jobs. They run either in this process
(:func:`start_in_process`: web service and worker in threads) or as separate processes
(``python -m tests.core.twoway_node``) that a test may SIGKILL and start again.
"""

from __future__ import annotations

import datetime as dt
import pickle
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from entegrator.cli.serve import run_worker_thread, serving
from entegrator.core import tenants
from entegrator.core.config import EntegratorConfig, ServeSettings, WorkerSettings
from entegrator.core.outbound.config import OutboundConfig
from entegrator.core.server import create_app
from entegrator.core.wiring import Integrator, build_integrator
from entegrator.gib import ServerConfig
from entegrator.signing import Pkcs12Source
from entegrator.simulator import (
    CheckSwitches,
    IntegratorConfig,
    ScheduleConfig,
    Simulator,
    SimulatorConfig,
    UserSeed,
)
from entegrator.simulator import (
    WorkerSettings as SimWorkers,
)
from entegrator.store import Database, StoreConfig
from entegrator.store.domain import document_events, documents
from entegrator.store.jobs import BreakerPolicy, RetryPolicy, WorkerConfig
from entegrator.store.tenancy import all_tenants
from tests.core.outbound.support import register_gib_user
from tests.core.support import (
    CUSTOMER,
    INTEGRATOR_VKN,
    SEAL_PASSWORD,
    SUPPLIER,
    CorePki,
    PartySpec,
    add_taxpayer,
    make_config,
)

__all__ = [
    "INTEGRATOR_B_VKN",
    "Node",
    "NodeProcess",
    "Twoway",
    "final_events",
    "free_port",
    "make_twoway",
    "start_in_process",
    "states",
    "today",
    "wait_for",
]

INTEGRATOR_B_VKN = "7100000008"
_PATH = "/efatura"
_FAST_RETRY = RetryPolicy(max_attempts=10_000, base_delay=0.2, factor=2.0, max_delay=2.0)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Node:
    """One integrator of the pair: its settings, its taxpayer and where it listens."""

    name: str
    party: PartySpec
    config: EntegratorConfig
    tenant_id: int = 0

    @property
    def url(self) -> str:
        """Its EFatura endpoint, where Merkez pushes envelopes."""
        return f"http://127.0.0.1:{self.config.serve.port}{_PATH}"

    def integrator(self) -> Integrator:
        """A new Integrator on this node's database (close it)."""
        return build_integrator(self.config, schema="require")


@dataclass
class Twoway:
    """The simulator's settings and the two nodes."""

    simulator: SimulatorConfig
    simulator_db: StoreConfig
    simulator_port: int
    a: Node
    b: Node
    directory: Path
    running: list[Any] = field(default_factory=list)

    @contextmanager
    def merkez(self) -> Iterator[Simulator]:
        """The simulator serving on its fixed port (stop and start it again to simulate an
        outage; its database keeps everything)."""
        simulator = Simulator(self.simulator, Database.from_config(self.simulator_db))
        with simulator:
            simulator.serve_in_thread(port=self.simulator_port)
            try:
                yield simulator
            finally:
                simulator.db.dispose()


def _node_config(
    name: str, store: StoreConfig, directory: Path, pki: CorePki, *, integrator_vkn: str,
    seal: Path, merkez_url: str, port: int,
) -> EntegratorConfig:
    base = make_config(store, directory, pki, merkez_url=merkez_url)
    # The lease must outlast the longest job on a loaded machine (B checks 100 signatures
    # and documents per envelope); a killed worker's jobs come back after it.
    runner = WorkerConfig(batch_size=20, lease=20.0, poll_interval=0.05, reap_interval=1.0,
                          probe_interval=0.5,
                          breaker=BreakerPolicy(failure_threshold=3, cooldown=1.0))
    outbound = OutboundConfig(
        claim_lease=6.0, poll_first_delay=1.0, poll_interval=2.0, poll_max_interval=4.0,
        auto_resend_delay=1.0, max_auto_resends=50, send_retry=_FAST_RETRY,
        prepare_retry=_FAST_RETRY, poll_retry=_FAST_RETRY,
    )
    return replace(
        base,
        gib=replace(base.gib, userlist_url=Simulator.userlist_url(
            merkez_url.split("/EFatura", maxsplit=1)[0])),
        integrator=replace(base.integrator, vkn=integrator_vkn, title=f"Entegratör {name}"),
        signing=replace(base.signing, integrator_seal=Pkcs12Source(seal, SEAL_PASSWORD)),
        serve=ServeSettings(host="127.0.0.1", port=port, gib=ServerConfig(path=_PATH)),
        worker=WorkerSettings(processes=1, runner=runner),
        outbound=outbound,
        var_dir=directory / "var",
    )


def make_twoway(
    directory: Path, pki: CorePki, a_store: StoreConfig, b_store: StoreConfig,
) -> Twoway:
    """Configure the simulator and both integrators, migrate and seed their databases."""
    sim_port, a_port, b_port = free_port(), free_port(), free_port()
    sim_base = f"http://127.0.0.1:{sim_port}"
    b_seal = pki.seal_file(INTEGRATOR_B_VKN, "Entegratör B")
    a = Node("a", SUPPLIER, _node_config(
        "A", a_store, directory / "a", pki, integrator_vkn=INTEGRATOR_VKN,
        seal=pki.integrator_p12, merkez_url=Simulator.service_url(sim_base, "a"), port=a_port))
    b = Node("b", CUSTOMER, _node_config(
        "B", b_store, directory / "b", pki, integrator_vkn=INTEGRATOR_B_VKN, seal=b_seal,
        merkez_url=Simulator.service_url(sim_base, "b"), port=b_port))
    simulator = SimulatorConfig(
        integrators=(IntegratorConfig("a", "Entegratör A", INTEGRATOR_VKN, a.url),
                     IntegratorConfig("b", "Entegratör B", INTEGRATOR_B_VKN, b.url)),
        users=(UserSeed(SUPPLIER.vkn, SUPPLIER.title, "a", gb=(SUPPLIER.gb,),
                        pk=(SUPPLIER.pk,)),
               UserSeed(CUSTOMER.vkn, CUSTOMER.title, "b", gb=(CUSTOMER.gb,),
                        pk=(CUSTOMER.pk,))),
        checks=CheckSwitches(),
        schedule=ScheduleConfig(time_factor=3600.0),
        workers=SimWorkers(poll_interval=0.05),
        trust_anchors=pki.pki.trust_anchors,
    )
    for node in (a, b):
        (directory / node.name).mkdir(parents=True, exist_ok=True)
        integrator = build_integrator(node.config, schema="upgrade")
        try:
            seeded = add_taxpayer(integrator, pki, node.party)
            node.tenant_id = seeded.id
            with integrator.db.transaction() as conn:
                tenants.update_taxpayer(conn, seeded.caller, default_series="ENT")
            for party in (SUPPLIER, CUSTOMER):
                register_gib_user(integrator, party.vkn, party.title, gb=[party.gb],
                                  pk=[party.pk])
        finally:
            integrator.close()
    return Twoway(simulator, StoreConfig(url=f"sqlite:///{directory}/simulator.db"), sim_port,
                  a, b, directory)


@contextmanager
def start_in_process(node: Node, *, worker: bool = True) -> Iterator[Integrator]:
    """Serve ``node``'s EFatura endpoint and run its worker in threads of this process."""
    integrator = node.integrator()
    try:
        with serving(create_app(integrator), "127.0.0.1", node.config.serve.port):
            if not worker:
                yield integrator
                return
            job_worker, thread = run_worker_thread(integrator)
            try:
                yield integrator
            finally:
                job_worker.stop()
                thread.join(60)
    finally:
        integrator.close()


class NodeProcess:
    """One OS process of a node (``serve``, ``worker`` or ``all``); can be killed and restarted."""

    def __init__(self, node: Node, role: str, directory: Path) -> None:
        self.node, self.role = node, role
        self._config = directory / f"{node.name}.config.pickle"
        self._config.write_bytes(pickle.dumps(node.config))
        self._log = directory / f"{node.name}-{role}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        """Start the process (its output goes to a log file next to the config)."""
        with self._log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "tests.core.twoway_node", str(self._config), self.role],
                stdout=log, stderr=subprocess.STDOUT, cwd=Path(__file__).resolve().parents[2],
                env={"TZ": "Europe/Istanbul", "PATH": "/usr/bin:/bin",
                     "ENTEGRATOR_TEST_QUIET": "1"},
            )

    def kill(self) -> None:
        """SIGKILL the process and wait for it."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)
            self.kills += 1

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not end."""
        stop_process(self.process)

    @property
    def alive(self) -> bool:
        """Whether the process is running."""
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        """The end of the process's output (for failure messages)."""
        if not self._log.exists():
            return ""
        return "\n".join(self._log.read_text(errors="replace").splitlines()[-lines:])


def stop_process(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM ``process`` (it finishes its work), SIGKILL it if it does not end in 30 s."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(30)


def states(db: Database, direction: str) -> dict[str, int]:
    """How many documents of ``direction`` are in each state."""
    d = documents.c
    with db.transaction(read_only=True) as conn:
        return dict(conn.execute(all_tenants(
            select(d.state, func.count()).where(d.direction == direction).group_by(d.state)
        )).all())


def final_events(db: Database, state: str) -> dict[int, int]:
    """Per document: how many history rows record ``state``."""
    e = document_events.c
    with db.transaction(read_only=True) as conn:
        return dict(conn.execute(all_tenants(
            select(e.document_id, func.count()).where(e.state == state)
            .group_by(e.document_id))).all())


def wait_for(predicate: Any, *, timeout: float, interval: float = 0.5, what: str = "") -> None:
    """Poll ``predicate`` until it is true; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what or predicate}")


def today() -> str:
    """Today in Turkey (issue dates GİB's TimeCheck accepts)."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=3))).date().isoformat()
