"""The end-to-end world: the GİB simulator and two real integrators, each in its own OS process.

* The simulator runs as ``entegrator gib-sim --config sim.toml`` (its own SQLite database,
  every check on, GİB time accelerated). It knows integrator A (taxpayer X =
  :data:`~tests.core.support.SUPPLIER`), integrator B (taxpayer Y =
  :data:`~tests.core.support.CUSTOMER`) and one GİB portal user (Test Araçları).
* Integrators A and B are the real ``entegrator serve`` application and job worker
  (:mod:`tests.core.twoway_node`), A as a web-service process plus a worker process (so a test
  can stop A's worker alone), B as one process (``serve --with-worker``). Their databases are
  SQLite files or PostgreSQL schemas.
* The test process keeps its own :class:`~entegrator.core.wiring.Integrator` on each database
  — the ERP's side of the API — to submit, respond and read states, and talks to the
  simulator's admin API over HTTP.

Everything talks real HTTP on loopback. The helpers read both sides' rows (documents, their
history, envelopes) and the simulator's envelope histories.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from entegrator.core.config import EntegratorConfig
from entegrator.core.context import Caller
from entegrator.core.wiring import Integrator
from entegrator.envelope import read_envelope, read_system_response
from entegrator.gib import (
    GibClient,
    GibClientConfig,
    HttpTransportConfig,
    HttpxTransport,
)
from entegrator.simulator import Simulator
from entegrator.simulator import tables as sim_tables
from entegrator.store import Database, StoreConfig
from entegrator.store.archive.tables import archive_documents
from entegrator.store.domain import document_events, documents, envelopes
from entegrator.store.jobs import jobs
from entegrator.store.tenancy import all_tenants
from entegrator.ubl import Invoice, load_invoice
from tests.core.support import CUSTOMER, SUPPLIER, CorePki, PartySpec, admin_caller
from tests.core.twoway import (
    INTEGRATOR_B_VKN,
    Node,
    NodeProcess,
    free_port,
    make_twoway,
    stop_process,
    today,
)
from tests.core.twoway import wait_for as _wait_for
from tests.simulator.support import PORTAL, Taxpayer

__all__ = [
    "EXAMPLES",
    "GIB_VKN",
    "PORTAL",
    "Side",
    "SimulatorProcess",
    "World",
    "example",
    "start_world",
    "taxpayer",
    "wait_for",
]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REPO = Path(__file__).resolve().parents[2]
#: GİB's own VKN: the issuer of Merkez's system responses.
GIB_VKN = "3900383669"
#: Seconds to wait for a step that crosses all three processes.
STEP = 90.0


def wait_for(predicate: Callable[[], Any], *, timeout: float = STEP, what: str = "") -> Any:
    """Poll ``predicate`` until it returns something truthy and return that."""
    found: list[Any] = []

    def check() -> bool:
        value = predicate()
        if value:
            found.append(value)
            return True
        return False

    _wait_for(check, timeout=timeout, interval=0.1, what=what)
    return found[0]


def taxpayer(party: PartySpec) -> Taxpayer:
    """A core test party as the simulator tests' :class:`Taxpayer` (for raw envelopes)."""
    return Taxpayer(party.vkn, party.title, party.gb, party.pk)


def example(name: str = "32-ticari-satis.json", **changes: Any) -> Invoice:
    """An invoice of ``examples/`` issued today, without number and ETTN (ours assign them)."""
    spec = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    spec.pop("number", None)
    spec.pop("ettn", None)
    spec.pop("issue_time", None)
    spec["issue_date"] = today()
    spec.update(changes)
    return load_invoice(spec)


# --- the simulator's process --------------------------------------------------------------


def _toml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in values) + "]"


def simulator_toml(*, a: Node, b: Node, trust_store: Path, portal_trust_out: Path,
                   time_factor: float) -> str:
    """The simulator's configuration file (the format of ``entegrator gib-sim --config``)."""
    lines = [
        f'trust_store = "{trust_store}"',
        f'portal_trust_out = "{portal_trust_out}"',
        "[schedule]", f"time_factor = {time_factor}", "poll_interval = 1800.0",
        "max_polls = 40",
        "[workers]", "poll_interval = 0.05",
    ]
    for node, title, vkn in ((a, "Entegratör A", a.config.integrator.vkn),
                             (b, "Entegratör B", INTEGRATOR_B_VKN)):
        lines += ["[[integrators]]", f'id = "{node.name}"', f'name = "{title}"',
                  f'vkn = "{vkn}"', f'endpoint = "{node.url}"']
    lines += ["[[portal_users]]", f'vkn = "{PORTAL.vkn}"', f'title = "{PORTAL.title}"',
              f'gb_alias = "{PORTAL.gb}"', f'pk_alias = "{PORTAL.pk}"']
    for party, owner in ((SUPPLIER, "a"), (CUSTOMER, "b")):
        lines += ["[[users]]", f'vkn = "{party.vkn}"', f'title = "{party.title}"',
                  f'integrator = "{owner}"', f"gb = {_toml_list([party.gb])}",
                  f"pk = {_toml_list([party.pk])}"]
    return "\n".join(lines) + "\n"


class SimulatorProcess:
    """``entegrator gib-sim`` in a process of its own, and a client of its admin API."""

    def __init__(self, directory: Path, config: Path, port: int) -> None:
        self.directory, self.config, self.port = directory, config, port
        self.base = f"http://127.0.0.1:{port}"
        self.db_url = f"sqlite:///{directory / 'simulator.db'}"
        self._log = directory / "simulator.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process and wait until its admin API answers."""
        with self._log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "entegrator.cli.main", "gib-sim", "--db", self.db_url,
                 "--config", str(self.config), "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, cwd=REPO,
                env={"TZ": "Europe/Istanbul", "PATH": "/usr/bin:/bin"})
        wait_for(self._ready, timeout=60, what="the simulator's admin API")

    def _ready(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise AssertionError(f"the simulator exited:\n{self.log_tail()}")
        try:
            return httpx.get(f"{self.base}/admin/status", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        """SIGTERM (the simulator finishes its jobs), SIGKILL if it does not end."""
        stop_process(self.process)

    def log_tail(self, lines: int = 60) -> str:
        """The end of the simulator's log."""
        if not self._log.exists():
            return ""
        return "\n".join(self._log.read_text(errors="replace").splitlines()[-lines:])

    def stored(self) -> dict[str, int]:
        """Rows in the simulator's tables a request writes to (read from its database)."""
        db = Database.from_config(StoreConfig(url=self.db_url))
        try:
            with db.transaction(read_only=True) as conn:
                return {table.name: int(conn.execute(
                    select(func.count()).select_from(table)).scalar_one())
                    for table in (sim_tables.envelopes, sim_tables.envelope_data, jobs)}
        finally:
            db.dispose()

    def service_url(self, integrator: str) -> str:
        """Merkez's EFatura URL for ``integrator``'s calls."""
        return Simulator.service_url(self.base, integrator)

    # -- admin API -------------------------------------------------------------------------

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        """Call the admin API; the JSON answer (AssertionError on an HTTP error)."""
        response = httpx.request(method, self.base + path, timeout=60, **kwargs)
        assert response.status_code < 400, f"{method} {path}: {response.status_code} " \
                                           f"{response.text}"
        return response.json()

    def envelope(self, envelope_id: str) -> dict[str, Any] | None:
        """The simulator's record of an envelope with its status history, or None."""
        response = httpx.get(f"{self.base}/admin/envelopes/{envelope_id.lower()}", timeout=30)
        if response.status_code == 404:
            return None
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result

    def codes(self, envelope_id: str) -> list[int]:
        """The envelope's status history at Merkez, consecutive repeats collapsed."""
        record = self.envelope(envelope_id)
        assert record is not None, f"Merkez does not know {envelope_id}"
        history = [e["code"] for e in record["events"]]
        return [c for i, c in enumerate(history) if i == 0 or history[i - 1] != c]

    def status(self, envelope_id: str) -> int | None:
        """The envelope's current code at Merkez (None: unknown envelope)."""
        record = self.envelope(envelope_id)
        return None if record is None else record["status"]

    def wait_status(self, envelope_id: str, *codes: int, timeout: float = STEP) -> int:
        """Wait until the envelope's code at Merkez is one of ``codes``; return it."""
        return int(wait_for(lambda: (s := self.status(envelope_id)) in codes and s,
                            timeout=timeout, what=f"{envelope_id} at Merkez in {codes}"))

    def add_fault(self, **rule: Any) -> int:
        """Add a fault rule (see entegrator.simulator.faults); its id."""
        return int(self.admin("POST", "/admin/faults", json=rule)["id"])

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self.admin("DELETE", "/admin/faults")


# --- one integrator as seen from the test ------------------------------------------------


@dataclass
class Side:
    """One integrator: its node (config, port), its processes and the test's Integrator."""

    node: Node
    processes: list[NodeProcess]
    integrator: Integrator
    merkez_url: str

    @property
    def db(self) -> Database:
        """Its database."""
        return self.integrator.db

    @property
    def caller(self) -> Caller:
        """An admin of its taxpayer (the ERP user of the flows)."""
        return admin_caller(self.node.tenant_id)

    @property
    def url(self) -> str:
        """Its EFatura endpoint (where Merkez delivers)."""
        return self.node.url

    def start(self) -> None:
        """Start every process and wait until the web service answers."""
        for process in self.processes:
            if not process.alive:
                process.start()
        wait_for(self._healthy, timeout=60, what=f"integrator {self.node.name} healthy")

    def _healthy(self) -> bool:
        for process in self.processes:
            if process.process is not None and process.process.poll() is not None:
                raise AssertionError(f"{self.node.name}/{process.role} exited:\n"
                                     f"{process.log_tail()}")
        try:
            health = f"http://127.0.0.1:{self.node.config.serve.port}/healthz"
            return httpx.get(health, timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self, role: str | None = None) -> None:
        """Stop its processes (only those of ``role`` when given)."""
        for process in self.processes:
            if role is None or process.role == role:
                process.stop()

    def start_role(self, role: str) -> None:
        """Start the stopped processes of ``role`` again."""
        for process in self.processes:
            if process.role == role and not process.alive:
                process.start()

    def logs(self) -> str:
        """The ends of its processes' logs."""
        return "\n".join(f"--- {self.node.name}/{p.role}\n{p.log_tail()}"
                         for p in self.processes)

    def client(self, transport: HttpxTransport) -> GibClient:
        """A GİB client calling Merkez as this integrator (raw envelopes)."""
        return GibClient(GibClientConfig(self.merkez_url), transport)

    def endpoint_client(self, transport: HttpxTransport) -> GibClient:
        """A GİB client calling this integrator's own endpoint, as Merkez does."""
        return GibClient(GibClientConfig(self.url), transport)

    # -- what its database holds ----------------------------------------------------------

    def document(self, ettn: str, direction: str) -> Any | None:
        """The ``documents`` row of ``ettn`` in ``direction`` (None if absent)."""
        d = documents.c
        with self.db.transaction(read_only=True) as conn:
            return conn.execute(all_tenants(select(documents).where(
                d.ettn == ettn.lower(), d.direction == direction))).first()

    def document_by_id(self, document_id: int) -> Any:
        """The ``documents`` row ``document_id``."""
        with self.db.transaction(read_only=True) as conn:
            return conn.execute(all_tenants(select(documents).where(
                documents.c.id == document_id))).one()

    def history(self, document_id: int) -> list[tuple[str, int | None]]:
        """(state, GİB code) of every history row of a document, oldest first."""
        e = document_events.c
        with self.db.transaction(read_only=True) as conn:
            return [(r.state, r.gib_status_code) for r in conn.execute(all_tenants(
                select(e.state, e.gib_status_code).where(e.document_id == document_id)
                .order_by(e.id)))]

    def states(self, document_id: int) -> list[str]:
        """The document's states in its history, consecutive repeats collapsed."""
        states = [s for s, _ in self.history(document_id)]
        return [s for i, s in enumerate(states) if i == 0 or states[i - 1] != s]

    def envelope(self, envelope_uuid: str, direction: str) -> Any | None:
        """The ``envelopes`` row of ``envelope_uuid`` in ``direction``."""
        e = envelopes.c
        with self.db.transaction(read_only=True) as conn:
            return conn.execute(select(envelopes).where(
                e.envelope_uuid == envelope_uuid.lower(), e.direction == direction)).first()

    def answers_to(self, envelope_uuid: str, direction: str = "IN") -> list[Any]:
        """The SYSTEMENVELOPE rows (``direction``) answering ``envelope_uuid``."""
        e = envelopes.c
        with self.db.transaction(read_only=True) as conn:
            return list(conn.execute(select(envelopes).where(
                e.answers_envelope_uuid == envelope_uuid.lower(), e.direction == direction)
                .order_by(e.id)))

    def carried_code(self, row: Any) -> int:
        """The status code a received SYSTEMENVELOPE (an ``envelopes`` row) carries — its
        ``gib_status_code`` column is our own processing result."""
        with self.db.transaction(read_only=True) as conn:
            data = self.integrator.archive.get(conn, row.archive_ref)
        return int(read_system_response(read_envelope(data)).status_code.code)

    def counts(self) -> dict[str, int]:
        """Rows in the tables a delivery writes to (envelopes, jobs, archived documents,
        documents)."""
        with self.db.transaction(read_only=True) as conn:
            return {name: int(conn.execute(stmt).scalar_one()) for name, stmt in (
                ("envelopes", select(func.count()).select_from(envelopes)),
                ("jobs", select(func.count()).select_from(jobs)),
                ("archive", all_tenants(select(func.count()).select_from(archive_documents))),
                ("documents", all_tenants(select(func.count()).select_from(documents))),
            )}

    def wait_document(self, ettn: str, direction: str, *states: str,
                      timeout: float = STEP) -> Any:
        """Wait until the document exists in one of ``states``; return its row."""
        try:
            return wait_for(lambda: (row := self.document(ettn, direction)) is not None
                            and row.state in states and row, timeout=timeout,
                            what=f"{self.node.name}: {direction} {ettn} in {states}")
        except AssertionError as exc:
            row = self.document(ettn, direction)
            raise AssertionError(f"{exc}; now {row.state if row else None}, "
                                 f"code {row.gib_status_code if row else None}\n"
                                 f"{self.logs()}") from exc


# --- the whole world ------------------------------------------------------------------------


@dataclass
class World:
    """The simulator and integrators A and B, all running (see the module docstring)."""

    directory: Path
    sim: SimulatorProcess
    a: Side
    b: Side
    transport: HttpxTransport = field(
        default_factory=lambda: HttpxTransport(HttpTransportConfig(read_timeout=60)))

    def stop(self) -> None:
        """Stop every process and close the test's Integrators."""
        for side in (self.a, self.b):
            side.stop()
            side.integrator.close()
        self.sim.stop()
        self.transport.close()

    def logs(self) -> str:
        """Every process's recent log lines (for failure messages)."""
        return f"{self.a.logs()}\n{self.b.logs()}\n--- simulator\n{self.sim.log_tail()}"


def _trust(directory: Path, pki: CorePki, portal: Path) -> Path:
    """The integrators' trust store: the test PKI's CAs and the GİB portal users' CAs."""
    trust = directory / "trust"
    trust.mkdir()
    for source, prefix in ((pki.trust_dir, "core"), (portal, "portal")):
        for pem in source.glob("*.pem"):
            shutil.copy(pem, trust / f"{prefix}-{pem.name}")
    return trust


def _side(node: Node, *, roles: Sequence[str], directory: Path, sim: SimulatorProcess) -> Side:
    processes = [NodeProcess(node, role, directory) for role in roles]
    return Side(node, processes, node.integrator(), sim.service_url(node.name))


def start_world(directory: Path, pki: CorePki, a_store: StoreConfig, b_store: StoreConfig, *,
                time_factor: float = 3600.0,
                configure: Callable[[str, EntegratorConfig], EntegratorConfig] | None = None,
                ) -> World:
    """Configure, seed and start the simulator and both integrators (see the module doc).

    ``configure(name, config)`` may change a node's configuration before it starts.
    """
    pair = make_twoway(directory, pki, a_store, b_store)
    sim_port = pair.simulator_port
    portal_trust = directory / "portal-trust"
    config = directory / "sim.toml"
    config.write_text(simulator_toml(a=pair.a, b=pair.b, trust_store=pki.trust_dir,
                                     portal_trust_out=portal_trust, time_factor=time_factor),
                      encoding="utf-8")
    sim = SimulatorProcess(directory, config, sim_port)
    sim.start()
    trust = _trust(directory, pki, portal_trust)
    for node in (pair.a, pair.b):
        changed = replace(node.config, signing=replace(node.config.signing, trust_store=trust))
        node.config = configure(node.name, changed) if configure else changed
    world = World(directory, sim,
                  _side(pair.a, roles=("serve", "worker"), directory=directory, sim=sim),
                  _side(pair.b, roles=("all",), directory=directory, sim=sim))
    try:
        world.a.start()
        world.b.start()
    except BaseException:
        world.stop()
        raise
    return world


@contextmanager
def running_world(directory: Path, pki: CorePki, a_store: StoreConfig, b_store: StoreConfig,
                  **options: Any) -> Iterator[World]:
    """:func:`start_world` for a ``with`` block (stopped afterwards)."""
    world = start_world(directory, pki, a_store, b_store, **options)
    try:
        yield world
    finally:
        world.stop()


def now_turkey() -> dt.datetime:
    """Turkish local time without tzinfo, as envelopes carry it."""
    return dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=3))).replace(
        tzinfo=None, microsecond=0)


def unused_port() -> int:
    """A free loopback port (re-exported for tests that need a dead endpoint)."""
    return free_port()


def listening(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:``port``."""
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def pause(seconds: float) -> None:
    """Let the processes work for a moment (used where a test asserts that nothing happens)."""
    time.sleep(seconds)
