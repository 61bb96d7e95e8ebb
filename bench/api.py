"""REST API under load: send throughput, status and list latency at 50 and 200 clients.

Usage::

    .venv/bin/python bench/api.py [--db sqlite|postgres] [--clients 50,200] [--seconds 10]
                                  [--servers 2] [--no-soap]

Sets up one taxpayer (default series, GB/PK aliases, an API key) whose customer is in GİB's
user list, seeds 300 documents, then serves ``entegrator.api.app.integrator_app`` — the app of
``entegrator serve`` — with uvicorn in ``--servers`` processes sharing one listening socket
on loopback. A load generator (its own process, asyncio, one keep-alive HTTP/1.1 connection
per client, closed loop: each client sends its next request when the previous answer
arrived) runs for ``--seconds`` per scenario:

* ``REST send``    — ``POST /api/v1/invoices`` with a JSON invoice (parse, GİB XSD and
  schematron, user-list routing, one write transaction; numbering/signing are jobs, not run);
* ``REST status``  — ``GET /api/v1/invoices/{id}`` (the status of one document, JSON);
* ``REST list 100`` — ``GET /api/v1/invoices?limit=100`` (100 documents' headers, JSON);
* ``status N/s``   — the status query again, but each client asks ``--pace`` times a second
  (an ERP polling hard; İzibiz asks for every 4 hours) instead of back to back: the latency
  of a server that is busy but not saturated.

Every call is authenticated with the API key (cached after the first check), rate-limited
(limits set high here: one key makes all the load) and audited (batched). Printed per
scenario: requests, errors, requests/s, p50 and p99 latency. Target: status p99 ≤ 100 ms at
200 clients. The SOAP half (SendInvoice, GetInvoiceStatus, GetInvoice 100) is
``bench/api_soap.py``; it is run afterwards with the same options when present.

The machine has 2 cores shared by the servers, the load generator and whatever else runs:
numbers are noisy; run it when quiet and more than once.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import multiprocessing
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "01-temel-satis.json"
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/entegrator_test"
SUPPLIER = ("4540536920", "Anadolu Bilişim Teknolojileri A.Ş.", "anadolubilisim.com.tr")
CUSTOMER = ("9205121120", "Karadeniz Gıda Sanayi ve Ticaret Ltd. Şti.", "karadenizgida.com.tr")
INTEGRATOR_VKN = "7000000007"
SEEDED = 300


# -- set-up ----------------------------------------------------------------------------------


def invoice_spec() -> dict[str, Any]:
    """examples/01 without number and ETTN, dated today (the platform assigns both)."""
    spec = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    spec.pop("number", None)
    spec.pop("ettn", None)
    spec["issue_date"] = dt.date.today().isoformat()
    return spec


def make_config(url: str, schema: str | None, directory: Path) -> Any:
    """The installation's configuration (dev PKI trust store, loopback GİB)."""
    from entegrator.core.config import (
        AuthSettings,
        EntegratorConfig,
        GibSettings,
        IntegratorIdentity,
        SealSettings,
    )
    from entegrator.signing.devpki import DevPki
    from entegrator.store import StoreConfig

    pki = DevPki.create()
    trust = pki.write_trust_directory(directory / "trust")
    return EntegratorConfig(
        database=StoreConfig(url=url, pg_schema=schema, pool_size=10, max_overflow=10),
        integrator=IntegratorIdentity(INTEGRATOR_VKN, "Bench Entegratör", strict_checksums=False),
        gib=GibSettings(merkez_url="http://127.0.0.1:9/EFaturaMerkez/services/EFatura"),
        signing=SealSettings(trust_store=trust),
        auth=AuthSettings(scrypt_n=2**10),
        var_dir=directory / "var",
    )


def seed(config: Any) -> tuple[str, list[int]]:
    """Taxpayer, customer in the user list, API key, documents; (API key, document ids)."""
    from entegrator.core import credentials, outbound, tenants
    from entegrator.core.context import Caller
    from entegrator.core.permissions import Role
    from entegrator.core.wiring import build_integrator
    from entegrator.store.audit import Actor
    from entegrator.store.domain import gib_user_aliases, gib_users
    from entegrator.ubl import load_invoice

    integrator = build_integrator(config, schema="upgrade")
    try:
        actor = Actor.system("bench")
        with integrator.db.transaction() as conn:
            taxpayer = tenants.create_taxpayer(
                conn, actor, tenants.NewTaxpayer(SUPPLIER[0], SUPPLIER[1], tax_office="Beşiktaş"),
                checksum=False)
            caller = Caller(taxpayer.id, actor, Role.ADMIN)
            for role in ("GB", "PK"):
                tenants.add_alias(conn, caller, f"urn:mail:default{role.lower()}@{SUPPLIER[2]}",
                                  role, registered=True)
            tenants.update_taxpayer(conn, caller, default_series="ENT")
            key = credentials.create_api_key(conn, caller, role=Role.API).token.reveal()
            now = dt.datetime.now(dt.UTC)
            conn.execute(sa.insert(gib_users).values(
                identifier=CUSTOMER[0], title=CUSTOMER[1], title_search=CUSTOMER[1].casefold(),
                type="OZEL", updated_at=now))
            conn.execute(sa.insert(gib_user_aliases), [
                {"identifier": CUSTOMER[0], "role": role, "document_type": "Invoice",
                 "alias": f"urn:mail:default{role.lower()}@{CUSTOMER[2]}", "created_at": now}
                for role in ("GB", "PK")])
        model = load_invoice(invoice_spec())
        ids: list[int] = []
        for _ in range(SEEDED // 100):
            batch = [outbound.Request(model) for _ in range(100)]
            ids += [r.document_id for r in outbound.submit_many(
                integrator, caller, batch, draft=True, channel="api")]
        return key, ids
    finally:
        integrator.close()


def serve(config: Any, sock: socket.socket) -> None:
    """One server process: the integrator's whole app on the shared socket."""
    import uvicorn

    from entegrator.api.app import integrator_app
    from entegrator.api.settings import ApiSettings, RateLimit
    from entegrator.core.wiring import build_integrator
    from entegrator.types import Secret

    integrator = build_integrator(config)
    settings = ApiSettings(token_key=Secret("bench-token-key-" + "k" * 32),
                           per_credential=RateLimit(rate=1e9, burst=10**9))
    app = integrator_app(integrator, settings)
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False,
                                           lifespan="off", ws="none", backlog=2048))
    server.run(sockets=[sock])


# -- load ------------------------------------------------------------------------------------


@dataclass
class Result:
    """What one scenario measured."""

    latencies: list[float]
    errors: int
    seconds: float


async def _read(reader: asyncio.StreamReader) -> tuple[int, bool]:
    status = int((await reader.readline()).split(b" ", 2)[1])
    length, chunked, close = 0, False, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
        elif name == b"connection" and b"close" in value.lower():
            close = True
    if chunked:
        while (size := int((await reader.readline()).strip(), 16)) > 0:
            await reader.readexactly(size + 2)
        await reader.readline()
    else:
        await reader.readexactly(length)
    return status, close


async def _client(port: int, requests: list[bytes], until: float, measure_from: float, *,
                  result: Result, interval: float | None) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    due = time.perf_counter() + (random.random() * interval if interval else 0.0)
    try:
        while True:
            if interval:  # paced: send at the planned time, or at once if running late
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                due += interval
            if (started := time.perf_counter()) >= until:
                return
            writer.write(random.choice(requests))
            status, close = await _read(reader)
            if started >= measure_from:
                result.latencies.append(time.perf_counter() - started)
                result.errors += status >= 400
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


async def _scenario(port: int, requests: list[bytes], clients: int, seconds: float, *,
                    warmup: float, interval: float | None = None) -> Result:
    result = Result([], 0, seconds)
    start = time.perf_counter()
    until = start + warmup + seconds
    await asyncio.gather(*(_client(port, requests, until, start + warmup, result=result,
                                   interval=interval) for _ in range(clients)))
    return result


def _request(method: str, path: str, key: str, body: bytes = b"") -> bytes:
    head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: {key}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("ascii") + body


@dataclass(frozen=True)
class Plan:
    """What the load generator does: where, as whom, on which documents, how hard."""

    port: int
    key: str
    ids: list[int]
    clients: list[int]
    seconds: float
    pace: float


def load(plan: Plan, queue: Any) -> None:
    """The load generator process: every scenario at every client count."""
    body = json.dumps({"invoice": invoice_spec()}, ensure_ascii=False).encode("utf-8")
    status = [_request("GET", f"/api/v1/invoices/{i}", plan.key) for i in plan.ids]
    scenarios: list[tuple[str, list[bytes], float | None]] = [
        ("REST send", [_request("POST", "/api/v1/invoices", plan.key, body)], None),
        ("REST status", status, None),
        ("REST list 100", [_request("GET", "/api/v1/invoices?limit=100", plan.key)], None),
        (f"status {plan.pace:g}/s", status, 1.0 / plan.pace),
    ]
    for count in plan.clients:
        for name, requests, interval in scenarios:
            result = asyncio.run(_scenario(plan.port, requests, count, plan.seconds,
                                           warmup=1.0, interval=interval))
            queue.put((name, count, result))


def report(name: str, clients: int, result: Result) -> str:
    """One line of the table."""
    lat = sorted(result.latencies)
    if not lat:
        return f"{name:<15}{clients:>8}{0:>10}   no answers"
    p50 = statistics.median(lat) * 1000
    p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))] * 1000
    return (f"{name:<15}{clients:>8}{len(lat):>10}{result.errors:>8}"
            f"{len(lat) / result.seconds:>10.1f}{p50:>10.1f}{p99:>10.1f}")


# -- main ------------------------------------------------------------------------------------


def main() -> int:
    """Run the benchmark; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("ENTEGRATOR_TEST_PG_URL",
                                                           DEFAULT_PG_URL))
    parser.add_argument("--clients", default="50,200")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--pace", type=float, default=2.0,
                        help="status requests per second per client in the paced run")
    parser.add_argument("--no-soap", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("TZ", "Europe/Istanbul")
    time.tzset()
    clients = [int(c) for c in args.clients.split(",")]
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="entegrator-bench-api-") as tmp:
        directory = Path(tmp)
        schema = None
        if args.db == "sqlite":
            url = f"sqlite:///{directory / 'bench.db'}"
        else:
            url, schema = args.pg_url, f"bench_{secrets.token_hex(4)}"
            admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        try:
            config = make_config(url, schema, directory)
            key, ids = seed(config)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            sock.listen(2048)
            port = sock.getsockname()[1]
            servers = [context.Process(target=serve, args=(config, sock), daemon=True)
                       for _ in range(args.servers)]
            for process in servers:
                process.start()
            time.sleep(3.0)  # servers import, build the app, compile the validators lazily
            print(f"entegrator REST API — {args.db}, {args.servers} server processes, "
                  f"{os.cpu_count()} cores (shared with the load generator), "
                  f"{args.seconds:.0f} s per scenario after 1 s warm-up")
            print(f"{'scenario':<15}{'clients':>8}{'requests':>10}{'errors':>8}"
                  f"{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
            queue = context.Queue()
            plan = Plan(port, key, ids, clients, args.seconds, args.pace)
            generator = context.Process(target=load, args=(plan, queue))
            generator.start()
            for _ in range(len(clients) * 4):
                print(report(*queue.get()), flush=True)
            generator.join()
            for process in servers:
                process.terminate()
                process.join(10)
        finally:
            if schema is not None:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    soap = ROOT / "bench" / "api_soap.py"
    if not args.no_soap and soap.exists():
        print()
        return subprocess.call([sys.executable, str(soap), "--db", args.db, "--clients",
                                 args.clients, "--seconds", str(args.seconds),
                                 "--servers", str(args.servers)])
    if not args.no_soap:
        print("\n(bench/api_soap.py yok: SOAP yarısı ölçülmedi)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
