"""SOAP faces under load: SendInvoice throughput, GetInvoiceStatus and GetInvoice(100) latency.

Usage::

    .venv/bin/python bench/api_soap.py [--db sqlite|postgres] [--clients 50,200]
                                       [--seconds 10] [--servers 2] [--dialect izibiz|edm]

The SOAP half of ``bench/api.py`` (which runs this script after its REST table). Sets up one
taxpayer with a user, its customer in GİB's user list and 300 stored documents (drafts kept
as UBL-TR XML), opens one session (``Login``), then serves the integrator's app
(``entegrator.core.server.create_app`` with the SOAP faces mounted) with uvicorn in
``--servers`` processes sharing one socket.
The load generator of ``bench/api.py`` (its own process, asyncio, one keep-alive connection
per client, closed loop) runs each scenario for ``--seconds``:

* ``SOAP send``       — ``SendInvoice`` with one plain UBL-TR invoice (envelope parse, UBL
  parse, GİB XSD and schematron, routing, one write transaction);
* ``SOAP status``     — ``GetInvoiceStatus`` of a random stored document (by UUID);
* ``SOAP get 100``    — ``GetInvoice`` of 100 documents with their content, zipped (İzibiz's
  default ``COMPRESSED=Y``).

Every call checks the session (cached), the rate limit (set high: one user makes all the
load) and is audited (batched). Target: status p99 ≤ 100 ms at 200 clients. The machine has
2 cores shared by the servers, the load generator and whatever else runs: numbers are noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import multiprocessing
import os
import random
import re
import secrets
import socket
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
import api as rest_bench  # bench/api.py: config, load generator, report

USERNAME = "bench@anadolu"
PASSWORD = "bench-parola-1234"
SEEDED = 300
ENDPOINTS = {"izibiz": "/EInvoiceWS", "edm": "/EFaturaEDM/EFaturaEDM.svc"}
_I2I = "http://schemas.i2i.com/ei/wsdl"
_TEMPURI = "http://tempuri.org/"


def seed(config: Any) -> tuple[str, list[str], bytes]:
    """Taxpayer (aliases, series), a user, the customer in GİB's user list, 300 stored
    documents with their XML; return (session id, their ETTNs, the invoice XML)."""
    from entegrator.core import outbound, tenants, users
    from entegrator.core.auth import RequestOrigin
    from entegrator.core.context import Caller
    from entegrator.core.permissions import Role
    from entegrator.core.sessions import Sessions
    from entegrator.core.wiring import build_integrator
    from entegrator.store.audit import Actor
    from entegrator.store.domain import gib_user_aliases, gib_users
    from entegrator.ubl import build_invoice, load_invoice

    integrator = build_integrator(config, schema="upgrade")
    try:
        actor = Actor.system("bench")
        supplier, customer = rest_bench.SUPPLIER, rest_bench.CUSTOMER
        with integrator.db.transaction() as conn:
            taxpayer = tenants.create_taxpayer(
                conn, actor, tenants.NewTaxpayer(supplier[0], supplier[1],
                                                 tax_office="Beşiktaş"), checksum=False)
            caller = Caller(taxpayer.id, actor, Role.ADMIN)
            for role in ("GB", "PK"):
                tenants.add_alias(conn, caller, f"urn:mail:default{role.lower()}@{supplier[2]}",
                                  role, registered=True)
            tenants.update_taxpayer(conn, caller, default_series="ENT")
            users.add_user(conn, caller, USERNAME, PASSWORD, Role.API, settings=config.auth)
            now = integrator.clock.now()
            conn.execute(sa.insert(gib_users).values(
                identifier=customer[0], title=customer[1], title_search=customer[1].casefold(),
                type="OZEL", updated_at=now))
            conn.execute(sa.insert(gib_user_aliases), [
                {"identifier": customer[0], "role": role, "document_type": "Invoice",
                 "alias": f"urn:mail:default{role.lower()}@{customer[2]}", "created_at": now}
                for role in ("GB", "PK")])
        xml = build_invoice(load_invoice(rest_bench.invoice_spec()), draft=True)
        ettns: list[str] = []
        for _ in range(SEEDED // 100):
            batch = [outbound.Request(xml) for _ in range(100)]
            ettns += [r.ettn for r in outbound.submit_many(integrator, caller, batch,
                                                           draft=True, channel="soap")]
        sessions = Sessions(integrator.db, auth=config.auth)
        token = sessions.login(USERNAME, PASSWORD, RequestOrigin("soap", "127.0.0.1")).token
        return token, ettns, xml
    finally:
        integrator.close()


def serve(config: Any, sock: socket.socket) -> None:
    """One server process: the integrator's app with the SOAP faces, on the shared socket."""
    import uvicorn

    from entegrator.api.protection import Protection
    from entegrator.api.settings import ApiSettings, RateLimit
    from entegrator.api.soap.routes import SoapFaces
    from entegrator.core.server import create_app
    from entegrator.core.wiring import build_integrator

    integrator = build_integrator(config)
    protection = Protection(ApiSettings(per_credential=RateLimit(rate=1e9, burst=10**9)))
    faces = SoapFaces(integrator, protection=protection)
    app = create_app(integrator, faces=faces.routes)
    server = uvicorn.Server(uvicorn.Config(app, log_config=None, access_log=False,
                                           lifespan="off", ws="none", backlog=2048))
    server.run(sockets=[sock])


def envelope(dialect: str, operation: str, session: str, body: str, header: str = "") -> str:
    """A request envelope as each family's clients write it."""
    if dialect == "edm":
        unqualified = re.sub(r"<(INVOICE(?:_SEARCH_KEY)?)(?=[ >/])", r'<\1 xmlns=""', body)
        inner = (f'<{operation}Request xmlns="{_TEMPURI}"><REQUEST_HEADER xmlns="">'
                 f"<SESSION_ID>{session}</SESSION_ID>{header}</REQUEST_HEADER>"
                 f"{unqualified}</{operation}Request>")
    else:
        inner = (f'<w:{operation}Request xmlns:w="{_I2I}"><REQUEST_HEADER>'
                 f"<SESSION_ID>{session}</SESSION_ID>{header}</REQUEST_HEADER>{body}"
                 f"</w:{operation}Request>")
    return ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
            f"{inner}</s:Body></s:Envelope>")


def http(path: str, body: str, action: str) -> bytes:
    """A keep-alive HTTP/1.1 POST of one SOAP envelope."""
    data = body.encode("utf-8")
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/xml; "
            f'charset=utf-8\r\nSOAPAction: "{action}"\r\nContent-Length: {len(data)}\r\n\r\n')
    return head.encode("ascii") + data


@dataclass(frozen=True)
class Plan:
    """Where, as whom, on which documents, how hard."""

    port: int
    dialect: str
    session: str
    ettns: list[str]
    invoice: bytes
    clients: list[int]
    seconds: float


def load(plan: Plan, queue: Any) -> None:
    """The load generator process: every scenario at every client count."""
    d, sid, path = plan.dialect, plan.session, ENDPOINTS[plan.dialect]
    content = base64.b64encode(plan.invoice).decode("ascii")
    plain = "<COMPRESSED>N</COMPRESSED>"
    search = ("<INVOICE_SEARCH_KEY><LIMIT>100</LIMIT><READ_INCLUDED>true</READ_INCLUDED>"
              "<DIRECTION>OUT</DIRECTION><DRAFT_FLAG>Y</DRAFT_FLAG></INVOICE_SEARCH_KEY>"
              "<HEADER_ONLY>N</HEADER_ONLY>")
    if d == "edm":  # envelope() gives INVOICE_SEARCH_KEY its xmlns=""
        search = search.replace(
            "<DRAFT_FLAG>Y</DRAFT_FLAG>",
            "<CONNECTORSTATUSDESCRIPTION>LOAD - SUCCEED</CONNECTORSTATUSDESCRIPTION>").replace(
            "<HEADER_ONLY>", '<HEADER_ONLY xmlns="">')
    scenarios = {
        "SOAP send": [http(path, envelope(d, "SendInvoice", sid,
                                          f"<INVOICE><CONTENT>{content}</CONTENT></INVOICE>",
                                          plain), "SendInvoiceRequest")],
        "SOAP status": [http(path, envelope(d, "GetInvoiceStatus", sid,
                                            f'<INVOICE UUID="{e}"/>'), "GetInvoiceStatusRequest")
                        for e in plan.ettns],
        "SOAP get 100": [http(path, envelope(d, "GetInvoice", sid, search,
                                             "" if d == "izibiz" else "<COMPRESSED>Y</COMPRESSED>"),
                              "GetInvoiceRequest")],
    }
    for count in plan.clients:
        for name, requests in scenarios.items():
            random.shuffle(requests)
            result = asyncio.run(rest_bench._scenario(plan.port, requests, count, plan.seconds,
                                                      warmup=1.0))
            queue.put((name, count, result))


def main() -> int:
    """Run the benchmark; print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default=os.environ.get("ENTEGRATOR_TEST_PG_URL",
                                                           rest_bench.DEFAULT_PG_URL))
    parser.add_argument("--clients", default="50,200")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--dialect", choices=sorted(ENDPOINTS), default="izibiz")
    args = parser.parse_args()
    os.environ.setdefault("TZ", "Europe/Istanbul")
    time.tzset()
    clients = [int(c) for c in args.clients.split(",")]
    context = multiprocessing.get_context("fork")
    with tempfile.TemporaryDirectory(prefix="entegrator-bench-soap-") as tmp:
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
            config = rest_bench.make_config(url, schema, directory)
            session, ettns, invoice = seed(config)
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(("127.0.0.1", 0))
            sock.listen(2048)
            servers = [context.Process(target=serve, args=(config, sock), daemon=True)
                       for _ in range(args.servers)]
            for process in servers:
                process.start()
            time.sleep(3.0)
            print(f"entegrator SOAP ({args.dialect}) — {args.db}, {args.servers} server "
                  f"processes, {os.cpu_count()} cores (shared with the load generator), "
                  f"{args.seconds:.0f} s per scenario after 1 s warm-up")
            print(f"{'scenario':<15}{'clients':>8}{'requests':>10}{'errors':>8}"
                  f"{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
            queue = context.Queue()
            plan = Plan(sock.getsockname()[1], args.dialect, session, ettns, invoice, clients,
                        args.seconds)
            generator = context.Process(target=load, args=(plan, queue))
            generator.start()
            for _ in range(len(clients) * 3):
                print(rest_bench.report(*queue.get()), flush=True)
            generator.join()
            for process in servers:
                process.terminate()
                process.join(10)
        finally:
            if schema is not None:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
    return 0


if __name__ == "__main__":
    sys.exit(main())
