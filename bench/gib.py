"""Throughput of the GİB simulator: envelopes and invoices per second from send to 1300.

The simulator runs as ``entegrator gib-sim`` in a process of its own (its own database);
integrator A sends pre-built, sealed TICARIFATURA envelopes (1 and 100 invoices each) with
entegrator.gib's client over HTTP on loopback; the simulator checks them (zip, XSD,
schematron, signatures, user list, duplicates), delivers them to integrator B and forwards
B's system response to A. Integrator B is either

* ``--receiver stub`` (default): a minimal receiver port in this process that answers 1200 at
  once (no checks of its own); A is a stub too. Printed: envelopes/s and invoices/s until
  every envelope is 1300 at Merkez, and the simulator's own processing time per envelope
  (1100 → 1200: the checks and the result's transaction), p50/p95; or
* ``--receiver real``: the real integrators of the end-to-end tests (tests/e2e/world.py) —
  B is ``entegrator serve`` with its worker in a process of its own (it stores each envelope,
  checks it — zip, XSD, schematron, signatures — files the invoices in Y's inbox and answers
  1200 through Merkez), A is the real web service and worker (two processes) that receives
  Merkez's and B's system responses. The bench only sends, as A's taxpayer X with X's seal.
  The clock stops when B's answer to the last envelope is processed at A (A → Merkez → B →
  Merkez → A; Merkez then has 1300). Printed: envelopes/s and invoices/s, the latency per
  envelope from its send to B's answer processed at A (p50/p99), and the simulator's own
  time per envelope (p50/p95). ``--db`` is A's and B's database here; the simulator keeps
  its SQLite file.

    .venv/bin/python bench/gib.py [--small 50] [--large 5] [--checks on|off]
                                  [--db sqlite|postgres] [--receiver stub|real]

The machine is shared (2 cores): numbers are noisy, run it more than once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import sqlalchemy as sa
import uvicorn

from entegrator.envelope import (
    EnvelopeHeader,
    EnvelopeType,
    Party,
    ZippedEnvelope,
    build_envelope,
    read_envelope,
    system_envelope,
)
from entegrator.gib import (
    Caller,
    GibClient,
    GibClientConfig,
    HttpTransportConfig,
    HttpxTransport,
    ReceiveResult,
    ServerConfig,
    UnknownEnvelope,
    efatura_app,
)
from entegrator.signing import Seal, SoftwareSigner, TrustStore, make_seal, sign_element
from entegrator.signing.devpki import DevPki
from entegrator.simulator import Simulator, create_schema, records
from entegrator.simulator.portal import invoice_spec
from entegrator.simulator.tables import envelopes, events
from entegrator.store import Database, StoreConfig
from entegrator.ubl import build_invoice, load_invoice
from entegrator.ubl.identifiers import ettn, invoice_id
from entegrator.ubl.xml import parse

if TYPE_CHECKING:
    from tests.e2e.world import World

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/entegrator_test"
SELLER = ("4540536920", "Anadolu Bilişim A.Ş.", "urn:mail:defaultgb@x.example")
BUYER = ("9205121120", "Karadeniz Gıda Ltd. Şti.", "urn:mail:defaultpk@y.example")


class Receiver:
    """Integrator B: keeps nothing, answers every envelope with 1200 pushed to Merkez."""

    def __init__(self) -> None:
        self.merkez: GibClient | None = None
        self._pool = ThreadPoolExecutor(4)

    def receive(self, file_name: str, data: bytes, hash: str, *, caller: Caller) -> ReceiveResult:
        envelope = read_envelope(data, file_name=file_name)
        if envelope.header.type in (EnvelopeType.SENDER, EnvelopeType.POSTBOX):
            answer = system_envelope(envelope.header, 1200, new_id=ettn.new, now=_local_now)
            zipped = answer.zipped()
            self._pool.submit(self._push, zipped)
        return ReceiveResult()

    def _push(self, zipped: ZippedEnvelope) -> None:
        if self.merkez is not None:
            self.merkez.send_document(zipped.file_name, zipped.data)

    def application_response(self, instance_id: str, *, caller: Caller) -> bytes:
        raise UnknownEnvelope()


class Sender:
    """Integrator A: accepts Merkez's pushes (system responses) and does nothing else."""

    def receive(self, file_name: str, data: bytes, hash: str, *, caller: Caller) -> ReceiveResult:
        return ReceiveResult()

    def application_response(self, instance_id: str, *, caller: Caller) -> bytes:
        raise UnknownEnvelope()


def _local_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=3))).replace(
        tzinfo=None, microsecond=0)


def _serve(app: object) -> tuple[str, uvicorn.Server]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False,  # type: ignore[arg-type]
                                           lifespan="off", ws="none"))
    threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server


Parties = tuple[str, str, str]  # VKN, title, alias


def _envelopes(seal: Seal, count: int, per_envelope: int, series: str, *,
               seller: Parties = SELLER, buyer: Parties = BUYER) -> list[ZippedEnvelope]:
    today = _local_now().date()
    built = []
    sequence = 0
    for _ in range(count):
        documents = []
        for _ in range(per_envelope):
            sequence += 1
            spec = invoice_spec(seller, buyer, number=invoice_id.make(series, today.year, sequence),
                                profile="TICARIFATURA", invoice_type="SATIS", today=today)
            documents.append(sign_element(parse(build_invoice(load_invoice(spec))), seal))
        header = EnvelopeHeader(ettn.new(), EnvelopeType.SENDER, Party(seller[2], seller[0]),
                                Party(buyer[2], buyer[0]), _local_now())
        built.append(build_envelope(header, documents).zipped())
    return built


def _wait_done(db: Database, ids: list[str], timeout: float) -> None:
    wanted = [i.lower() for i in ids]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with db.transaction(read_only=True) as conn:
            done = conn.execute(sa.select(sa.func.count()).where(
                envelopes.c.envelope_id.in_(wanted), envelopes.c.status.in_([1300, 1230]),
            )).scalar_one()
            failed = conn.execute(sa.select(envelopes.c.envelope_id, envelopes.c.status).where(
                envelopes.c.envelope_id.in_(wanted),
                envelopes.c.status.notin_([1000, 1100, 1200, 1220, 1300]))).all()
        if failed:
            raise SystemExit(f"zarflar başarısız: {failed[:3]}")
        if done == len(wanted):
            return
        time.sleep(0.05)
    raise SystemExit("zaman aşımı: zarflar 1300 olmadı")


def _processing_times(db: Database, ids: list[str]) -> list[float]:
    """Seconds from 1100 to 1200 per envelope (the simulator's own work)."""
    times = []
    with db.transaction(read_only=True) as conn:
        for envelope_id in ids:
            record = records.by_envelope_id(conn, envelope_id)
            if record is None:
                continue
            at = dict(conn.execute(sa.select(events.c.code, events.c.at)
                                   .where(events.c.envelope == record.id)).all())
            if 1100 in at and 1200 in at:
                times.append((at[1200] - at[1100]).total_seconds())
    return times


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _run(sim_base: str, db: Database, batch: list[ZippedEnvelope], per_envelope: int,
         transport: HttpxTransport) -> None:
    client = GibClient(GibClientConfig(Simulator.service_url(sim_base, "a")), transport)
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda z: client.send_document(z.file_name, z.data), batch))
    sent = time.perf_counter() - started
    ids = [z.file_name[:-4] for z in batch]
    _wait_done(db, ids, timeout=600)
    elapsed = time.perf_counter() - started
    times = _processing_times(db, ids)
    invoices = len(batch) * per_envelope
    print(f"{per_envelope:>3} fatura/zarf: {len(batch):>4} zarf, {invoices:>5} fatura "
          f"1300'e {elapsed:6.2f} sn'de (gönderim {sent:5.2f} sn) → "
          f"{len(batch) / elapsed:7.1f} zarf/sn, {invoices / elapsed:7.1f} fatura/sn; "
          f"simülatörün zarf başına işi p50 {_percentile(times, 0.5) * 1000:7.1f} ms, "
          f"p95 {_percentile(times, 0.95) * 1000:7.1f} ms")


@contextmanager
def _database(kind: str) -> Iterator[tuple[Database, str, str | None]]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'sim.db'}"
            db = Database.from_config(StoreConfig(url=url))
            create_schema(db.engine)
            try:
                yield db, url, None
            finally:
                db.dispose()
        return
    url = os.environ.get("ENTEGRATOR_TEST_PG_URL", DEFAULT_PG_URL)
    schema = f"bench_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    db = Database.from_config(StoreConfig(url=url, pg_schema=schema))
    create_schema(db.engine)
    try:
        yield db, url, schema
    finally:
        db.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def _config_file(folder: Path, pki: DevPki, a_url: str, b_url: str, checks: str) -> Path:
    trust = pki.write_trust_directory(folder / "trust")
    flags = "" if checks == "on" else (
        "schema = false\nschematron = false\nsignature_presence = false\n"
        "verify_signatures = false\nrequire_signer_vkn = false\n")
    path = folder / "gib-sim.toml"
    path.write_text(f"""trust_store = "{trust}"
[workers]
process_workers = 2
poll_interval = 0.5
[checks]
{flags}
[[integrators]]
id = "a"
name = "A"
vkn = "1111111114"
endpoint = "{a_url}/efatura"
[[integrators]]
id = "b"
name = "B"
vkn = "2222222224"
endpoint = "{b_url}/efatura"
[[users]]
vkn = "{SELLER[0]}"
title = "{SELLER[1]}"
integrator = "a"
gb = ["{SELLER[2]}"]
[[users]]
vkn = "{BUYER[0]}"
title = "{BUYER[1]}"
integrator = "b"
pk = ["{BUYER[2]}"]
""", encoding="utf-8")
    return path


@contextmanager
def _simulator_process(db_url: str, schema: str | None, config: Path) -> Iterator[str]:
    """``entegrator gib-sim`` in a process of its own; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    extra = ["--pg-schema", schema] if schema else []
    process = subprocess.Popen(
        [sys.executable, "-m", "entegrator.cli.main", "gib-sim", "--db", db_url, *extra,
         "--config", str(config), "--port", str(port)], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/admin/status", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise SystemExit("simülatör başlamadı") from None
                time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)


# --- --receiver real: the end-to-end world of tests/e2e ----------------------------------------


@contextmanager
def _stores(kind: str, folder: Path) -> Iterator[tuple[StoreConfig, StoreConfig]]:
    """Databases of integrators A and B: SQLite files or two PostgreSQL schemas."""
    if kind == "sqlite":
        yield (StoreConfig(url=f"sqlite:///{folder / 'a.db'}"),
               StoreConfig(url=f"sqlite:///{folder / 'b.db'}"))
        return
    url = os.environ.get("ENTEGRATOR_TEST_PG_URL", DEFAULT_PG_URL)
    schemas = [f"bench_{name}_{secrets.token_hex(4)}" for name in ("a", "b")]
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    with admin.connect() as conn:
        for schema in schemas:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield (StoreConfig(url=url, pg_schema=schemas[0]),
               StoreConfig(url=url, pg_schema=schemas[1]))
    finally:
        with admin.connect() as conn:
            for schema in schemas:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def _answered_at_a(a_db: Database, ids: list[str], b_alias: str) -> dict[str, dt.datetime]:
    """Per envelope of ``ids``: when A processed B's system response to it."""
    from entegrator.store.domain import envelopes as a_envelopes

    e = a_envelopes.c
    found: dict[str, dt.datetime] = {}
    with a_db.transaction(read_only=True) as conn:
        for start in range(0, len(ids), 500):
            found.update(conn.execute(sa.select(e.answers_envelope_uuid, e.processed_at).where(
                e.answers_envelope_uuid.in_(ids[start:start + 500]), e.direction == "IN",
                e.type == "SYSTEMENVELOPE", e.sender_alias == b_alias,
                e.state == "processed")).all())
    return {k: v if v.tzinfo else v.replace(tzinfo=dt.UTC) for k, v in found.items()}


def _merkez_codes(sim_db: Database, ids: list[str]) -> dict[str, int]:
    with sim_db.transaction(read_only=True) as conn:
        return dict(conn.execute(sa.select(envelopes.c.envelope_id, envelopes.c.status)
                                 .where(envelopes.c.envelope_id.in_(ids))).all())


def _run_real(world: World, sim_db: Database, batch: list[ZippedEnvelope], per_envelope: int,
              b_alias: str, *, report: bool = True) -> None:
    """Send ``batch`` to Merkez as A; wait until B's answer to each is processed at A."""
    client = world.a.client(world.transport)
    ids = [z.file_name[:-4].lower() for z in batch]
    sent_at: dict[str, dt.datetime] = {}

    def send(zipped: ZippedEnvelope) -> None:
        sent_at[zipped.file_name[:-4].lower()] = dt.datetime.now(dt.UTC)
        client.send_document(zipped.file_name, zipped.data)

    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(send, batch))
    sent = time.perf_counter() - started
    deadline = time.monotonic() + 600
    while len(answered := _answered_at_a(world.a.db, ids, b_alias)) < len(ids):
        if time.monotonic() > deadline:
            raise SystemExit(f"zaman aşımı: {len(ids) - len(answered)} zarfa B'nin yanıtı "
                             f"A'ya ulaşmadı\n{world.logs()}")
        failed = {i: c for i, c in _merkez_codes(sim_db, ids).items()
                  if c not in (1000, 1100, 1200, 1220, 1300)}
        if failed:
            raise SystemExit(f"zarflar başarısız: {list(failed.items())[:3]}")
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    codes = _merkez_codes(sim_db, ids)
    if set(codes.values()) != {1300} or len(codes) != len(ids):
        raise SystemExit(f"Merkez'de 1300 olmayan zarflar: "
                         f"{[(i, c) for i, c in codes.items() if c != 1300][:3]}")
    if not report:
        return
    latencies = [(answered[i] - sent_at[i]).total_seconds() for i in ids]
    times = _processing_times(sim_db, ids)
    invoices = len(batch) * per_envelope
    print(f"{per_envelope:>3} fatura/zarf: {len(batch):>4} zarf, {invoices:>5} fatura "
          f"A→Merkez→B→A {elapsed:6.2f} sn'de (gönderim {sent:5.2f} sn) → "
          f"{len(batch) / elapsed:7.1f} zarf/sn, {invoices / elapsed:7.1f} fatura/sn; "
          f"zarf başına gecikme (gönderim → B'nin yanıtı A'da) "
          f"p50 {_percentile(latencies, 0.5) * 1000:7.1f} ms, "
          f"p99 {_percentile(latencies, 0.99) * 1000:7.1f} ms; "
          f"simülatörün işi p50 {_percentile(times, 0.5) * 1000:6.1f} ms, "
          f"p95 {_percentile(times, 0.95) * 1000:6.1f} ms", flush=True)


def _inbox_count(db: Database) -> int:
    from entegrator.store.domain import documents
    from entegrator.store.tenancy import all_tenants

    with db.transaction(read_only=True) as conn:
        return int(conn.execute(all_tenants(sa.select(sa.func.count()).select_from(documents)
                                            .where(documents.c.direction == "IN"))).scalar_one())


def main_real(args: argparse.Namespace) -> None:
    """``--receiver real``: the simulator, A and B as in tests/e2e (see the module doc)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.core.support import CUSTOMER, SUPPLIER, make_pki
    from tests.e2e.world import running_world

    if args.checks != "on":
        raise SystemExit("--receiver real: the real integrators always check (--checks on)")
    seller = (SUPPLIER.vkn, SUPPLIER.title, SUPPLIER.gb)
    buyer = (CUSTOMER.vkn, CUSTOMER.title, CUSTOMER.pk)
    with tempfile.TemporaryDirectory() as name, _stores(args.db, Path(name)) as (a_db, b_db):
        folder = Path(name)
        print("PKI ve dünya kuruluyor (simülatör, A: web servisi + iş süreci, "
              "B: serve --with-worker) …", flush=True)
        pki = make_pki(folder / "pki")
        (folder / "world").mkdir()
        with running_world(folder / "world", pki, a_db, b_db) as world:
            seal = world.a.integrator.seals.seal_for(SUPPLIER.vkn)
            print("zarflar hazırlanıyor (X'in mührüyle imzalı faturalar; süreye dahil değil) …",
                  flush=True)
            warm = _envelopes(seal, 3, 1, "BNW", seller=seller, buyer=buyer)
            small = _envelopes(seal, args.small, 1, "BNA", seller=seller, buyer=buyer)
            large = _envelopes(seal, args.large, 100, "BNB", seller=seller, buyer=buyer)
            sim_db = Database.from_config(StoreConfig(url=world.sim.db_url))
            try:
                print("simülatör, A ve B kendi süreçlerinde; B gerçek entegratör (zarfı saklar, "
                      "denetler, faturaları Y'nin gelen kutusuna koyar, 1200'ü Merkez'e "
                      f"gönderir); A B'nin yanıtını işler. Veritabanı (A, B): {args.db}; "
                      "2 çekirdekli ortak makine — sonuçlar gürültülü", flush=True)
                _run_real(world, sim_db, warm, 1, CUSTOMER.pk, report=False)
                before = _inbox_count(world.b.db)
                if small:
                    _run_real(world, sim_db, small, 1, CUSTOMER.pk)
                if large:
                    _run_real(world, sim_db, large, 100, CUSTOMER.pk)
                filed = _inbox_count(world.b.db) - before
                expected = len(small) + 100 * len(large)
                if filed != expected:
                    raise SystemExit(f"B'nin gelen kutusunda {filed} fatura, {expected} "
                                     "beklenirdi")
                print(f"B'nin gelen kutusunda {filed} yeni fatura (beklenen {expected})")
            finally:
                sim_db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=50, help="1 faturalık zarf sayısı")
    parser.add_argument("--large", type=int, default=5, help="100 faturalık zarf sayısı")
    parser.add_argument("--checks", choices=("on", "off"), default="on")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--receiver", choices=("stub", "real"), default="stub",
                        help="B: the minimal receiver port (stub) or the real integrator in a "
                             "process of its own (real)")
    args = parser.parse_args()
    if args.receiver == "real":
        main_real(args)
        return

    pki = DevPki.create("Bench")
    trust = TrustStore.from_certificates(pki.trust_anchors)
    issued = pki.issue_seal(SELLER[0], SELLER[1])
    seal = make_seal(SoftwareSigner(issued.private_key, issued.certificate),
                     taxpayer_vkn=SELLER[0], trust=trust)
    print("zarflar hazırlanıyor (imzalı faturalar; süreye dahil değil) …")
    small = _envelopes(seal, args.small, 1, "BNA")
    large = _envelopes(seal, args.large, 100, "BNB")

    receiver, sender = Receiver(), Sender()
    a_url, a_server = _serve(efatura_app(ServerConfig(path="/efatura"), sender))
    b_url, b_server = _serve(efatura_app(ServerConfig(path="/efatura"), receiver))
    with tempfile.TemporaryDirectory() as folder, _database(args.db) as (db, url, schema), \
            HttpxTransport(HttpTransportConfig()) as transport:
        config = _config_file(Path(folder), pki, a_url, b_url, args.checks)
        with _simulator_process(url, schema, config) as base:
            receiver.merkez = GibClient(GibClientConfig(Simulator.service_url(base, "b")),
                                        transport)
            print("simülatör kendi sürecinde (entegrator gib-sim); entegratörler A ve B bu "
                  "süreçte. Alıcı B: en küçük alıcı portu, 1200'ü hemen gönderir "
                  f"(gerçek alıcı: --receiver real). Denetimler: {args.checks}; veritabanı: "
                  f"{args.db}; 2 çekirdekli ortak makine — sonuçlar gürültülü")
            _run(base, db, small[:3], 1, transport)  # warm-up: engines, connections
            _run(base, db, small[3:], 1, transport)
            if large:
                _run(base, db, large, 100, transport)
    a_server.should_exit = b_server.should_exit = True


if __name__ == "__main__":
    main()
