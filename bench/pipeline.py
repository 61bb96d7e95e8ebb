"""Outbound pipeline: accepted → validated → numbered → signed → enveloped → acknowledged.

Usage::

    .venv/bin/python bench/pipeline.py [--db sqlite|postgres|both] [--invoices 10000]
                                       [--workers 2] [--submitters 2] [--batch 100]

Per database it sets up one taxpayer (dev-PKI PKCS#12 seal, default series, GB/PK aliases)
and a customer in GİB's user list, then starts, each in its own process:

* the GİB simulator (:mod:`entegrator.simulator`) with its own checks off, on loopback; the
  customer's integrator is unreachable, so deliveries wait (1210) instead of adding work;
* ``--workers`` job workers (``entegrator.store.jobs.Worker`` with outbound's handlers);
* ``--submitters`` ERP stand-ins, each holding ``invoices / submitters`` distinct unsigned
  UBL-TR invoices (~13 KB, built before timing starts, no number: the series numbers them)
  and calling ``submit_many`` with ``--batch`` invoices per call (İzibiz's SendInvoice limit
  is 100), validation running in the submitting process.

The clock starts when the submitters start and stops when the last invoice is acknowledged
by Merkez (SEND_WAIT_GIB_RESPONSE). Latency per invoice is from its acceptance (the commit of
its submit) to its acknowledgement, from the status history. Then, in the same run, the same
invoices are validated alone on every core (``ValidationPool``) and the ratio printed.
Targets: ≥ 300 invoices/s and pipeline / validation-only ≥ 0.5. The machine has 2 cores
shared with other work: run it when quiet, more than once.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import multiprocessing
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "examples" / "01-temel-satis.json"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/entegrator_test"
SMALL_XSLT = (
    b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    b'<xsl:template match="/"><html><body>Fatura</body></html></xsl:template></xsl:stylesheet>'
)
SUPPLIER_VKN, SUPPLIER_TITLE = "4540536920", "Anadolu Bilişim Teknolojileri A.Ş."
CUSTOMER_VKN = "9205121120"
CUSTOMER_PK = "urn:mail:defaultpk@karadenizgida.com.tr"
SUPPLIER_GB = "urn:mail:defaultgb@anadolubilisim.com.tr"
INTEGRATOR_VKN = "7000000007"
PASSWORD_REF = "BENCH_SEAL_PASSWORD"


# -- invoices ----------------------------------------------------------------------------


def make_invoices(count: int, seed: int) -> list[bytes]:
    """``count`` distinct unsigned invoices without a number (~13 KB each)."""
    from entegrator.ubl import build_invoice, load_invoice

    rng = random.Random(seed)
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    template.pop("number", None)
    template["issue_date"] = dt.date.today().isoformat()
    template["stylesheet"] = base64.b64encode(SMALL_XSLT).decode("ascii")
    documents = []
    for index in range(count):
        spec = json.loads(json.dumps(template))
        spec["ettn"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        spec["lines"] = [
            {
                "name": f"Ürün {index}-{line} çeşit {rng.randint(1, 999)}",
                "quantity": str(rng.randint(1, 40)),
                "unit_code": rng.choice(["C62", "KGM", "LTR", "MTR"]),
                "unit_price": str(Decimal(rng.randint(100, 500_000)) / 100),
                "taxes": [{"percent": rng.choice(["1", "10", "20"])}],
            }
            for line in range(rng.randint(7, 11))
        ]
        documents.append(build_invoice(load_invoice(spec), draft=True))
    return documents


# -- Merkez ---------------------------------------------------------------------------------


def _simulator(workdir: Path) -> Any:
    """The GİB simulator with its checks off; the customer's integrator is unreachable, so
    deliveries wait in 1210 and cost nothing during the run."""
    from entegrator.simulator import (
        CheckSwitches,
        IntegratorConfig,
        Simulator,
        SimulatorConfig,
        UserSeed,
    )
    from entegrator.store import Database, StoreConfig

    config = SimulatorConfig(
        integrators=(IntegratorConfig("a", "Bench A", INTEGRATOR_VKN, "http://127.0.0.1:9/a"),
                     IntegratorConfig("b", "Bench B", "7100000008", "http://127.0.0.1:9/b")),
        users=(UserSeed(SUPPLIER_VKN, SUPPLIER_TITLE, "a", gb=(SUPPLIER_GB,)),
               UserSeed(CUSTOMER_VKN, "Karadeniz Gıda", "b", pk=(CUSTOMER_PK,))),
        checks=CheckSwitches.off(),
    )
    return Simulator(config, Database.from_config(
        StoreConfig(url=f"sqlite:///{workdir}/simulator.db")))


def _merkez_process(workdir: Path, ready: Any, stop: Any, go: Any) -> None:
    import logging

    logging.disable(logging.WARNING)  # deliveries to the unreachable receiver fail on purpose
    simulator = _simulator(workdir)
    with simulator:
        base = simulator.serve_in_thread()
        ready.put((simulator.service_url(base, "a"), "entegrator.simulator, checks off"))
        go.wait()
        before = time.process_time()
        stop.wait()
        used = time.process_time() - before
    ready.put(("merkez", used))


# -- set-up ---------------------------------------------------------------------------------


def _config(store: Any, workdir: Path, merkez_url: str) -> Any:
    from entegrator.core.config import (
        EntegratorConfig,
        GibSettings,
        IntegratorIdentity,
        SealSettings,
        SecretStore,
    )
    from entegrator.gib import HttpTransportConfig
    from entegrator.signing import Pkcs12Source
    from entegrator.types import Secret

    password = Secret("bench-seal-password")
    return EntegratorConfig(
        database=store,
        integrator=IntegratorIdentity(INTEGRATOR_VKN, "Bench Entegratör", strict_checksums=False),
        gib=GibSettings(merkez_url=merkez_url,
                        transport=HttpTransportConfig(connect_timeout=5, read_timeout=60)),
        signing=SealSettings(
            trust_store=workdir / "trust",
            integrator_seal=Pkcs12Source(workdir / "integrator.p12", password),
            secrets=SecretStore({PASSWORD_REF: password}),
        ),
        var_dir=workdir / "var",
    )


def _seed(config: Any, workdir: Path) -> int:
    """Create PKI, schema, taxpayer and user-list rows; return the tenant id."""
    from entegrator.core import seals, tenants
    from entegrator.core.context import Caller
    from entegrator.core.permissions import Role
    from entegrator.core.wiring import build_integrator
    from entegrator.signing.devpki import DevPki
    from entegrator.store.audit import Actor
    from entegrator.store.domain import gib_user_aliases, gib_users

    password = config.signing.secrets.values[PASSWORD_REF]
    pki = DevPki.create()
    pki.write_trust_directory(workdir / "trust")
    (workdir / "integrator.p12").write_bytes(
        pki.issue_seal(INTEGRATOR_VKN, "Bench Entegratör").pkcs12(password))
    seal_file = workdir / "seal.p12"
    seal_file.write_bytes(pki.issue_seal(SUPPLIER_VKN, SUPPLIER_TITLE).pkcs12(password))
    integrator = build_integrator(config, schema="upgrade")
    actor = Actor.system("bench")
    try:
        with integrator.db.transaction() as conn:
            taxpayer = tenants.create_taxpayer(
                conn, actor, tenants.NewTaxpayer(SUPPLIER_VKN, SUPPLIER_TITLE,
                                                 default_series="BNC"), checksum=False)
            caller = Caller(taxpayer.id, actor, Role.ADMIN)
            tenants.add_alias(conn, caller, SUPPLIER_GB, "GB", registered=True)
            tenants.add_alias(conn, caller, "urn:mail:defaultpk@anadolubilisim.com.tr", "PK",
                              registered=True)
            seals.set_seal(conn, caller, seals.Pkcs12Seal(seal_file, PASSWORD_REF))
            now = dt.datetime.now(dt.UTC)
            conn.execute(sa.insert(gib_users).values(
                identifier=CUSTOMER_VKN, title="Karadeniz Gıda", title_search="karadeniz gıda",
                type="OZEL", updated_at=now))
            conn.execute(sa.insert(gib_user_aliases).values(
                identifier=CUSTOMER_VKN, role="PK", document_type="Invoice", alias=CUSTOMER_PK,
                created_at=now))
        return taxpayer.id
    finally:
        integrator.close()


# -- processes ------------------------------------------------------------------------------


def _registry(integrator: Any) -> Any:
    from entegrator.core.outbound import register
    from entegrator.store.jobs import HandlerRegistry

    registry = HandlerRegistry()
    register(registry, integrator)
    return registry


def _integrator(config: Any, events: str) -> Any:
    from entegrator.core.events import NULL_SINK
    from entegrator.core.wiring import build_integrator

    return build_integrator(config, schema="ignore",
                            events=NULL_SINK if events == "none" else None)


def _worker_process(config: Any, stop: Any, cpu: Any, go: Any, options: tuple[str, str]) -> None:
    from entegrator.store.jobs import Worker, WorkerConfig

    events, profile = options
    integrator = _integrator(config, events)
    worker = Worker(integrator.db, _registry(integrator),
                    WorkerConfig(poll_interval=0.02, batch_size=20))
    measured: list[float] = []

    def stopper() -> None:
        go.wait()
        before = time.process_time()
        stop.wait()
        measured.append(time.process_time() - before)
        worker.stop()

    thread = threading.Thread(target=stopper, daemon=True)
    thread.start()
    with _profiled(profile, "worker"):
        worker.run()
    thread.join(30)
    integrator.close()
    cpu.put(("workers", measured[0] if measured else 0.0))


@contextmanager
def _profiled(directory: str, role: str) -> Iterator[None]:
    """cProfile the calling thread into ``directory/<role>-<pid>.prof`` (no-op when empty)."""
    if not directory:
        yield
        return
    import cProfile

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        profiler.dump_stats(Path(directory) / f"{role}-{os.getpid()}.prof")


def _submitter_process(config: Any, tenant_id: int, plan: tuple[int, int, int, str, str],
                       signals: tuple[Any, Any, Any]) -> None:
    count, seed, batch, events, profile = plan
    ready, go, done = signals
    from entegrator.core.context import Caller
    from entegrator.core.outbound import Request, submit_many
    from entegrator.core.permissions import Role
    from entegrator.store.audit import Actor
    from entegrator.validation import default_engine

    invoices = make_invoices(count, seed)
    integrator = _integrator(config, events)
    default_engine().warm()
    caller = Caller(tenant_id, Actor.system("bench-erp"), Role.API)
    ready.put(len(invoices))
    go.wait()
    started, cpu_before = time.perf_counter(), time.process_time()
    with _profiled(profile, "submitter"):
        for start in range(0, len(invoices), batch):
            chunk = invoices[start:start + batch]
            submit_many(integrator, caller, [Request(data) for data in chunk], channel="api")
    done.put((time.perf_counter() - started, time.process_time() - cpu_before))
    integrator.close()


# -- measurement ----------------------------------------------------------------------------


def _progress(db: Any) -> int:
    """Invoices Merkez acknowledged (``sent_at`` set: a status poll may move them further)."""
    from entegrator.store.domain import documents
    from entegrator.store.tenancy import all_tenants

    d = documents.c
    with db.transaction(read_only=True) as conn:
        return int(conn.execute(all_tenants(
            sa.select(sa.func.count()).where(d.sent_at.is_not(None)))).scalar_one())


class _ServerCpu:
    """CPU time of the PostgreSQL backends serving ``application_name`` (local server only).

    Sampled while the run goes: a backend's last sample before it exits is kept.
    """

    def __init__(self, db: Any, application_name: str) -> None:
        self._db, self._name = db, application_name
        self._start: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._tick = os.sysconf("SC_CLK_TCK")

    def _pids(self) -> list[int]:
        with self._db.engine.connect() as conn:
            return [int(pid) for pid in conn.execute(sa.text(
                "SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
                {"name": self._name}).scalars()]

    def _cpu(self, pid: int) -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / self._tick

    def sample(self, *, first: bool = False) -> None:
        for pid in self._pids():
            used = self._cpu(pid)
            if used is None:
                continue
            if first:
                self._start[pid] = used
            self._start.setdefault(pid, 0.0)
            self._last[pid] = used

    def used(self) -> float:
        return sum(self._last[pid] - self._start[pid] for pid in self._last)


def _machine_busy() -> float:
    """Busy CPU seconds of the whole machine so far (all processes, /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _latencies(db: Any) -> list[float]:
    from entegrator.store.domain import document_events, documents
    from entegrator.store.tenancy import all_tenants

    d, e = documents.c, document_events.c
    with db.transaction(read_only=True) as conn:
        rows = conn.execute(all_tenants(
            sa.select(d.created_at, e.at).join(document_events, e.document_id == d.id)
            .where(e.state == "send_wait_gib_response"))).all()
    return sorted((at - created).total_seconds() for created, at in rows)


def _validation_only(invoices: list[bytes], processes: int) -> float:
    from entegrator.validation import ValidationPool

    with ValidationPool(processes) as pool:
        pool.validate_many(invoices[: processes * 50])  # warm
        started = time.perf_counter()
        reports = pool.validate_many(invoices)
        elapsed = time.perf_counter() - started
    failed = sum(1 for report in reports if not report.ok)
    if failed:
        print(f"  WARNING: {failed} invoices failed validation", file=sys.stderr)
    return len(invoices) / elapsed


def run(db_name: str, store: Any, args: argparse.Namespace) -> None:
    from entegrator.store import Database

    ctx = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        workdir = Path(tmp)
        stop, go = ctx.Event(), ctx.Event()
        ready = ctx.Queue()
        merkez = ctx.Process(target=_merkez_process, args=(workdir, ready, stop, go))
        merkez.start()
        merkez_url, merkez_name = ready.get(timeout=120)
        config = _config(store, workdir, merkez_url)
        tenant_id = _seed(config, workdir)
        done = ctx.Queue()
        per = args.invoices // args.submitters
        submitters = [
            ctx.Process(target=_submitter_process,
                        args=(config, tenant_id,
                              (per, 1000 + i, args.batch, args.events, args.profile),
                              (ready, go, done)))
            for i in range(args.submitters)
        ]
        for process in submitters:
            process.start()
        total = sum(ready.get(timeout=600) for _ in submitters)
        cpu = ctx.Queue()
        workers = [ctx.Process(target=_worker_process,
                               args=(config, stop, cpu, go, (args.events, args.profile)))
                   for _ in range(args.workers)]
        for process in workers:
            process.start()
        time.sleep(3)  # workers connected and idle
        db = Database.from_config(replace(store, application_name="bench-monitor"))
        server = _ServerCpu(db, store.application_name) if db.dialect == "postgresql" else None
        if server is not None:
            server.sample(first=True)
        busy_before = _machine_busy()
        started = time.perf_counter()
        go.set()
        acknowledged = 0
        while acknowledged < total:
            time.sleep(0.25)
            acknowledged = _progress(db)
            if server is not None:
                server.sample()
            if time.perf_counter() - started > args.timeout:
                print(f"  TIMEOUT: {acknowledged}/{total} acknowledged", file=sys.stderr)
                break
        elapsed = time.perf_counter() - started
        machine = _machine_busy() - busy_before
        submitted = [done.get(timeout=60) for _ in submitters]
        submit_times = [wall for wall, _ in submitted]
        latencies = _latencies(db)
        stop.set()
        cpu_seconds = {"submitters": sum(c for _, c in submitted), "workers": 0.0,
                       "merkez": 0.0}
        for _ in workers:
            role, seconds = cpu.get(timeout=60)
            cpu_seconds[role] += seconds
        role, seconds = ready.get(timeout=60)
        cpu_seconds[role] += seconds
        if server is not None:
            cpu_seconds["postgres"] = server.used()
        for process in (*workers, *submitters, merkez):
            process.join(60)
        db.dispose()
        invoices = make_invoices(total, 99)
        validation = _validation_only(invoices, os.cpu_count() or 2)
        rate = acknowledged / elapsed
        print(f"\n{db_name}: {acknowledged} invoices, {args.workers} worker processes, "
              f"{args.submitters} submitters × {args.batch}/call; events: {args.events}; "
              f"Merkez: {merkez_name}")
        print(f"  pipeline throughput     {rate:8.0f} invoices/s  ({elapsed:.1f} s; "
              f"submitting took {max(submit_times):.1f} s)")
        if latencies:
            p50 = statistics.median(latencies)
            p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
            print(f"  latency accepted→acked  p50 {p50:.2f} s   p99 {p99:.2f} s")
        per_invoice = {role: seconds / max(acknowledged, 1) * 1000
                       for role, seconds in cpu_seconds.items()}
        print("  CPU per invoice         " + ", ".join(
            f"{role} {ms:.2f} ms" for role, ms in per_invoice.items())
            + f"; total {sum(per_invoice.values()):.2f} ms")
        print(f"  machine busy during run {machine / elapsed:.2f} of {os.cpu_count()} CPUs "
              f"({machine / max(acknowledged, 1) * 1000:.2f} ms per invoice, others' work "
              "included)")
        print(f"  validation only         {validation:8.0f} invoices/s  "
              f"({os.cpu_count()} processes, same invoices)")
        print(f"  ratio pipeline / validation-only = {rate / validation:.2f}  (target ≥ 0.5); "
              f"throughput target ≥ 300/s: {'met' if rate >= 300 else 'NOT met'}")


@contextmanager
def _databases(which: str) -> Iterator[tuple[str, Any]]:
    from entegrator.store import StoreConfig

    if which in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="bench-pipeline-db-") as tmp:
            yield "SQLite", StoreConfig(url=f"sqlite:///{tmp}/bench.db")
    if which in ("postgres", "both"):
        url = os.environ.get("ENTEGRATOR_TEST_PG_URL", DEFAULT_PG_URL)
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        schema = f"bench_{secrets.token_hex(4)}"
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        try:
            yield "PostgreSQL", replace(StoreConfig(url=url), pg_schema=schema,
                                        application_name=schema)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--invoices", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--submitters", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--profile", default="", metavar="DIR",
                        help="write a cProfile of every worker and submitter into DIR")
    parser.add_argument("--events", choices=["webhooks", "none"], default="webhooks",
                        help="the event sink core publishes to (default: the webhook sink, "
                             "as deployed; none: no sink, to see its cost)")
    args = parser.parse_args()
    os.environ.setdefault("TZ", "Europe/Istanbul")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.2f}")
    for which in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        with _databases(which) as (name, store):
            run(name, store, args)


if __name__ == "__main__":
    main()
