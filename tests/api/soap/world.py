"""Two real integrators and the GİB simulator on loopback, for end-to-end tests and benches.

Integrator A hosts the seller (4540536920), integrator B the buyer (9205121120); each is the
real :func:`entegrator.core.server.create_app` (GİB-facing EFatura service) with the SOAP
faces mounted, served by uvicorn, plus a job worker thread on the real clock. The simulator
knows both taxpayers (seeded aliases) and both integrators' endpoints; each integrator
downloads GİB's user list from it before the test starts.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn

from entegrator.api.soap.config import SoapSettings
from entegrator.api.soap.routes import SoapFaces
from entegrator.cli.serve import run_worker_thread
from entegrator.core import tenants, userlist
from entegrator.core.config import GibSettings, WorkerSettings
from entegrator.core.outbound import OutboundConfig
from entegrator.core.server import create_app
from entegrator.core.wiring import Integrator
from entegrator.gib import MERKEZ_PATH, HttpTransportConfig
from entegrator.simulator import (
    IntegratorConfig,
    ScheduleConfig,
    Simulator,
    SimulatorConfig,
    UserSeed,
)
from entegrator.simulator import WorkerSettings as SimWorkers
from entegrator.store import Database, StoreConfig
from entegrator.store.clock import SYSTEM_CLOCK
from entegrator.store.jobs import Worker, WorkerConfig
from entegrator.ubl import build_invoice, load_invoice
from tests.asgiserver import serve_on
from tests.core.support import (
    CUSTOMER,
    SUPPLIER,
    CorePki,
    PartySpec,
    SeededTaxpayer,
    add_taxpayer,
    make_integrator,
)
from tests.simulator.support import INTEGRATOR_A_VKN, INTEGRATOR_B_VKN

__all__ = ["EXAMPLES", "Node", "World", "invoice_xml", "start_world", "wait_until"]

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@dataclass
class Node:
    """One running integrator: its objects, its URL and its taxpayer."""

    integrator: Integrator
    faces: SoapFaces
    url: str
    taxpayer: SeededTaxpayer
    worker: Worker
    threads: list[threading.Thread] = field(default_factory=list)
    server: uvicorn.Server | None = None

    def stop(self) -> None:
        self.worker.stop()
        if self.server is not None:
            self.server.should_exit = True
        for thread in self.threads:
            thread.join(timeout=30)
        self.faces.close()
        self.integrator.close()


@dataclass
class World:
    """The simulator and integrators A (seller) and B (buyer)."""

    simulator: Simulator
    simulator_db: Database
    a: Node
    b: Node

    def stop(self) -> None:
        self.a.stop()
        self.b.stop()
        self.simulator.stop()
        self.simulator_db.dispose()


def invoice_xml(example: str = "32-ticari-satis.json", **changes: Any) -> bytes:
    """An unsigned, unnumbered UBL-TR invoice from ``examples/``, issued today."""
    spec = copy.deepcopy(json.loads((EXAMPLES / example).read_text(encoding="utf-8")))
    spec.pop("number", None)
    spec.pop("ettn", None)
    spec.pop("issue_time", None)
    spec["issue_date"] = dt.datetime.now(dt.UTC).astimezone(
        dt.timezone(dt.timedelta(hours=3))).date().isoformat()
    spec.update(changes)
    return build_invoice(load_invoice(spec), draft=True)


def wait_until(condition: Callable[[], Any], *, timeout: float, what: str,
               interval: float = 0.2) -> Any:
    """Poll ``condition`` until it returns something truthy; AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"zaman aşımı: {what}")
        time.sleep(interval)


def _socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    return sock


def _node(db_config: StoreConfig, directory: Path, pki: CorePki, party: PartySpec, *,
          series: str, sock: socket.socket, sim_base: str, sim_id: str,
          soap: SoapSettings) -> Node:
    directory.mkdir(parents=True, exist_ok=True)
    integrator = make_integrator(
        db_config, directory, pki, clock=SYSTEM_CLOCK,
        gib=GibSettings(merkez_url=Simulator.service_url(sim_base, sim_id),
                        userlist_url=Simulator.userlist_url(sim_base),
                        transport=HttpTransportConfig(connect_timeout=2, read_timeout=30)),
        outbound=OutboundConfig(poll_first_delay=0.3, poll_interval=0.5,
                                poll_max_interval=1.0),
        worker=WorkerSettings(runner=WorkerConfig(poll_interval=0.05, probe_interval=0.2)),
    )
    seeded = add_taxpayer(integrator, pki, party)
    with integrator.db.transaction() as conn:
        tenants.update_taxpayer(conn, seeded.caller, default_series=series,
                                clock=integrator.clock)
    userlist.refresh(integrator, full=True)
    faces = SoapFaces(integrator, settings=soap)
    server, serving = serve_on(create_app(integrator, faces=faces.routes), sock)
    worker, working = run_worker_thread(integrator)
    host, port = sock.getsockname()
    return Node(integrator, faces, f"http://{host}:{port}", seeded, worker,
                [serving, working], server)


def start_world(directory: Path, pki: CorePki, *, a_db: StoreConfig, b_db: StoreConfig,
                soap: SoapSettings | None = None) -> World:
    """Start the simulator and integrators A and B (see the module docstring)."""
    soap = soap or SoapSettings(audit_flush_seconds=0.2)
    sock_a, sock_b = _socket(), _socket()
    url_a = f"http://127.0.0.1:{sock_a.getsockname()[1]}"
    url_b = f"http://127.0.0.1:{sock_b.getsockname()[1]}"
    config = SimulatorConfig(
        integrators=(IntegratorConfig("a", "Entegratör A", INTEGRATOR_A_VKN, url_a + MERKEZ_PATH),
                     IntegratorConfig("b", "Entegratör B", INTEGRATOR_B_VKN, url_b + MERKEZ_PATH)),
        users=(UserSeed(SUPPLIER.vkn, SUPPLIER.title, "a", gb=(SUPPLIER.gb,),
                        pk=(SUPPLIER.pk,)),
               UserSeed(CUSTOMER.vkn, CUSTOMER.title, "b", gb=(CUSTOMER.gb,),
                        pk=(CUSTOMER.pk,))),
        schedule=ScheduleConfig(time_factor=3600.0, poll_interval=1800.0, max_polls=20),
        workers=SimWorkers(poll_interval=0.05),
        trust_anchors=pki.pki.trust_anchors,
    )
    sim_db = Database.from_config(StoreConfig(url=f"sqlite:///{directory / 'sim.db'}"))
    simulator = Simulator(config, sim_db)
    simulator.start()
    base = simulator.serve_in_thread()
    a = _node(a_db, directory / "a", pki, SUPPLIER, series="ANA", sock=sock_a, sim_base=base,
              sim_id="a", soap=soap)
    b = _node(b_db, directory / "b", pki, CUSTOMER, series="KRD", sock=sock_b, sim_base=base,
              sim_id="b", soap=soap)
    return World(simulator, sim_db, a, b)
