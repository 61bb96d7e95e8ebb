"""Benchmark of the 10-year archive (entegrator.store.archive) on PostgreSQL and SQLite.

Loads generated invoices (one built invoice with our embedded XSLT, varied at the byte
level: number, ETTN, customer VKN and title, issue date, payable amount — cheap, and every
one a distinct document) with ``put_many`` in batches of 1,000 per transaction (the first
2,000 without a compression dictionary, then one is trained as the maintenance job would),
then prints:

* load rate (invoices/s) and stored bytes per invoice: content bytes (what the archive
  stores for the document, its share of the shared XSLT included) and the whole database
  footprint of the archive tables and their indexes;
* lookup by ETTN p50/p95 (one read transaction each, as a service does);
* search by counterpart + 6-month issue-date range, first page of 50, p50/p95;
* search by amount range p95;
* fetching one document by ETTN (search + read + SHA-256 check) p50/p95;
* export rate: a zip of XML + CSV index for ~1,000 documents, and with PDFs for 20.

    .venv/bin/python bench/archive.py [--pg 1000000] [--sqlite 100000] [--skip-pg|--skip-sqlite]
                                      [--keep | --reuse SCHEMA]

PostgreSQL: ENTEGRATOR_TEST_PG_URL (default: the test database); a scratch schema is created
and dropped (``--keep`` keeps it; ``--reuse SCHEMA`` measures the queries again on a kept
schema without loading, e.g. once the machine is quiet). The machine is shared with other
engineers: numbers are noisy, and the load rate suffers most.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import secrets
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

from entegrator.store import Database, StoreConfig
from entegrator.store.archive import Archive, ArchiveConfig, ArchiveKind, ArchiveMeta
from entegrator.store.archive.bulk import BulkItem, put_many
from entegrator.store.archive.export import export_zip
from entegrator.store.archive.maintenance import train_due
from entegrator.store.archive.partitions import ensure_partitions, month_of
from entegrator.store.archive.search import ArchiveQuery, search
from entegrator.store.migrate import upgrade
from entegrator.ubl import build_invoice, load_invoice

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/entegrator_test"
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "01-temel-satis.json"
TENANTS = 4
COUNTERPARTS = 1000  # per taxpayer
BATCH = 1000
START_DAY = date(2024, 1, 1)
DAYS = 730
_WORDS = ["Anadolu", "Karadeniz", "Ege", "Marmara", "Toros", "Yıldız", "Işık", "Çınar", "Güneş",
          "Doğu", "Batı", "Kuzey", "Akdeniz", "Özlem", "Şahin", "Ülker", "Demir", "Kaya"]
_TRADES = ["Gıda", "Tekstil", "İnşaat", "Bilişim", "Lojistik", "Enerji", "Kimya", "Otomotiv"]


class Generator:
    """Distinct invoices from one built template, varied at the byte level."""

    def __init__(self, seed: int = 7) -> None:
        template = build_invoice(load_invoice(EXAMPLE.read_text(encoding="utf-8")))
        self.template = template
        self.rng = random.Random(seed)
        self.parties = [
            [
                (f"{tenant}{n:09d}", self._title())
                for n in range(COUNTERPARTS)
            ]
            for tenant in range(TENANTS)
        ]

    def _title(self) -> str:
        rng = self.rng
        return (f"{rng.choice(_WORDS)} {rng.choice(_WORDS)} {rng.choice(_TRADES)} "
                f"{rng.choice(['A.Ş.', 'Ltd. Şti.', 'San. ve Tic. A.Ş.'])}")

    def invoice(self, i: int) -> tuple[int, bytes, ArchiveMeta]:
        """The ``i``-th invoice: (tenant, bytes, facts)."""
        rng = self.rng
        tenant = i % TENANTS
        vkn, title = self.parties[tenant][rng.randrange(COUNTERPARTS)]
        number = f"ENT{2024 + (i % 2)}{i:09d}"
        ettn = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        issued = START_DAY + timedelta(days=rng.randrange(DAYS))
        amount = Decimal(rng.randrange(10_000, 10_000_000)) / 100
        data = (
            self.template.replace(b"ENT2025000000001", number.encode())
            .replace(b"d96d7ca3-5b61-5240-9291-46ed3310e9d6", ettn.encode())
            .replace(b"9205121120", vkn.encode())
            .replace("Karadeniz Gıda Sanayi ve Ticaret Ltd. Şti.".encode(), title.encode())
            .replace(b"<cbc:IssueDate>2025-03-14", f"<cbc:IssueDate>{issued}".encode())
            .replace(b'<cbc:PayableAmount currencyID="TRY">78000.00',
                     f'<cbc:PayableAmount currencyID="TRY">{amount:.2f}'.encode())
        )
        meta = ArchiveMeta(
            ettn=ettn, number=number, issue_date=issued, counterpart_vkn_tckn=vkn,
            counterpart_name=title, profile="TEMELFATURA", invoice_type="SATIS",
            status="SEND_SUCCEED", payable_amount=amount, currency="TRY",
        )
        return tenant + 1, data, meta


@contextmanager
def postgres(url: str, keep: bool, reuse: str | None = None) -> Iterator[StoreConfig]:
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    if reuse:
        yield StoreConfig(url=url, pg_schema=reuse)
        admin.dispose()
        return
    schema = f"bench_archive_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield StoreConfig(url=url, pg_schema=schema)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        else:
            print(f"  kept schema {schema}")
        admin.dispose()


@contextmanager
def sqlite() -> Iterator[StoreConfig]:
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as directory:
        yield StoreConfig(url=f"sqlite:///{Path(directory) / 'archive.db'}",
                          sqlite_synchronous="NORMAL")


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(db: Database, runs: int, action: Callable[[sa.Connection, int], object]) -> list[float]:
    samples = []
    for n in range(runs):
        started = time.perf_counter()
        with db.transaction(read_only=True) as conn:
            action(conn, n)
        samples.append(time.perf_counter() - started)
    return samples


def run(name: str, config: StoreConfig, count: int, *, reuse: bool = False) -> None:
    db = Database.from_config(config)
    if reuse:
        facts, count = stored_facts(db)
        print(f"\n== {name}: {count:,} invoices (loaded before) ==")
    else:
        print(f"\n== {name}: {count:,} invoices ==")
        facts = load(db, count)
    report_sizes(db, count)
    if config.dialect == "postgresql":
        with db.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("ANALYZE")
    measure(db, facts, count)
    db.dispose()


def stored_facts(db: Database) -> tuple[list[tuple[int, str, str, Decimal]], int]:
    """Every 97th document's facts and the number of documents, read from a loaded archive."""
    with db.transaction(read_only=True) as conn:
        count = conn.execute(sa.text("SELECT count(*) FROM archive_documents")).scalar_one()
        rows = conn.execute(sa.text(
            "SELECT tenant_id, ettn, counterpart_vkn_tckn, payable_amount "
            "FROM archive_documents WHERE id % 97 = 0")).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows], int(count)


def load(db: Database, count: int) -> list[tuple[int, str, str, Decimal]]:
    """Load ``count`` generated invoices; the facts of every 97th, for the queries."""
    upgrade(db.engine)
    archive = Archive(ArchiveConfig())
    today = archive.now().astimezone(archive.config.zone)
    with db.transaction() as conn:
        ensure_partitions(conn, month_of(today.year, today.month), 2)
    generator = Generator()
    facts: list[tuple[int, str, str, Decimal]] = []  # tenant, ettn, counterpart, amount
    started = time.perf_counter()
    loaded = 0
    generating = 0.0
    while loaded < count:
        size = min(BATCH, count - loaded)
        g0 = time.perf_counter()
        by_tenant: dict[int, list[BulkItem]] = {}
        for i in range(loaded, loaded + size):
            tenant, data, meta = generator.invoice(i)
            by_tenant.setdefault(tenant, []).append(
                BulkItem(data, ArchiveKind.INVOICE, "OUT", meta))
            if i % 97 == 0:
                facts.append((tenant, meta.ettn or "", meta.counterpart_vkn_tckn or "",
                              meta.payable_amount or Decimal(0)))
        generating += time.perf_counter() - g0
        with db.transaction() as conn:
            for tenant, items in by_tenant.items():
                put_many(conn, archive, items, tenant_id=tenant)
        loaded += size
        if loaded == 2 * BATCH:
            with db.transaction() as conn:
                trained = train_due(conn, archive)
            print(f"  dictionary trained after {loaded} invoices: {trained}")
        if loaded % 100_000 == 0:
            rate = loaded / (time.perf_counter() - started)
            print(f"  {loaded:,} loaded, {rate:,.0f}/s", flush=True)
    elapsed = time.perf_counter() - started
    print(f"load: {count / elapsed:,.0f} invoices/s ({elapsed:,.0f} s; "
          f"{generating:,.0f} s of it generating documents)")
    return facts


def measure(db: Database, facts: list[tuple[int, str, str, Decimal]], count: int) -> None:
    """The lookups, searches and exports, on a loaded archive."""
    archive = Archive(ArchiveConfig())
    rng = random.Random(11)
    sample = [facts[rng.randrange(len(facts))] for _ in range(1000)]

    def by_ettn(conn: sa.Connection, n: int) -> object:
        tenant, ettn, _, _ = sample[n]
        found = search(conn, tenant, ArchiveQuery(ettn=ettn)).entries
        assert len(found) == 1, ettn
        return found

    def by_counterpart(conn: sa.Connection, n: int) -> object:
        tenant, _, vkn, _ = sample[n]
        start = START_DAY + timedelta(days=rng.randrange(DAYS - 183))
        query = ArchiveQuery(counterpart_vkn_tckn=vkn, issued_from=start,
                             issued_to=start + timedelta(days=182))
        return search(conn, tenant, query, limit=50).entries

    def by_amount(conn: sa.Connection, n: int) -> object:
        tenant, _, _, amount = sample[n]
        query = ArchiveQuery(amount_min=amount - 50, amount_max=amount + 50)
        return search(conn, tenant, query, limit=50).entries

    def fetch(conn: sa.Connection, n: int) -> object:
        tenant, ettn, _, _ = sample[n]
        entry = search(conn, tenant, ArchiveQuery(ettn=ettn)).entries[0]
        return archive.get(conn, entry.ref)

    for label, action in (("lookup by ETTN", by_ettn),
                          ("counterpart + 6-month range, first 50", by_counterpart),
                          ("amount range ±50 TRY, first 50", by_amount),
                          ("fetch by ETTN (search + read + verify)", fetch)):
        timed(db, 50, action)  # warm
        p50, p95 = percentiles(timed(db, 1000, action))
        print(f"{label}: p50 {p50:.2f} ms, p95 {p95:.2f} ms")

    tenant, _, vkn, _ = sample[0]
    query = ArchiveQuery(issued_from=date(2024, 3, 1), issued_to=date(2024, 3, 1)
                         + timedelta(days=max(1, int(1000 * DAYS * TENANTS / count))))
    out = io.BytesIO()
    started = time.perf_counter()
    summary = export_zip(db, archive, tenant, query, out, include_pdf=False)
    elapsed = time.perf_counter() - started
    print(f"export (XML + CSV): {summary.documents / elapsed:,.0f} documents/s "
          f"({summary.documents} documents, {len(out.getvalue()) / 1e6:.1f} MB zip)")
    out = io.BytesIO()
    started = time.perf_counter()
    summary = export_zip(db, archive, tenant, ArchiveQuery(counterpart_vkn_tckn=vkn,
                         issued_from=date(2024, 1, 1)), out, include_pdf=True)
    elapsed = time.perf_counter() - started
    print(f"export with PDF: {summary.documents / elapsed:,.1f} documents/s "
          f"({summary.documents} documents, {summary.pdfs} PDFs)")


def report_sizes(db: Database, count: int) -> None:
    with db.transaction(read_only=True) as conn:
        content = conn.execute(sa.text(
            "SELECT sum(stored_size) FROM archive_contents")).scalar_one()
        if db.dialect == "postgresql":
            tables = ("archive_contents", "archive_blobs", "archive_content_parts",
                      "archive_documents", "archive_dictionaries")
            total = 0
            for table in tables:
                total += conn.execute(sa.text(
                    "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                    "WHERE c.oid = to_regclass(:t) OR c.oid IN (SELECT inhrelid FROM "
                    "pg_inherits WHERE inhparent = to_regclass(:t))"), {"t": table}).scalar_one()
            documents = conn.execute(sa.text(
                "SELECT pg_total_relation_size('archive_documents')")).scalar_one()
        else:
            page = conn.exec_driver_sql("PRAGMA page_size").scalar_one()
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
            total = page * pages
            documents = None
    print(f"stored content: {int(content) / count:,.0f} bytes/invoice "
          f"(document + its share of the XSLT, compressed)")
    print(f"database footprint (archive tables + indexes): {total / count:,.0f} bytes/invoice"
          + (f", of which the search index {documents / count:,.0f}" if documents else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", type=int, default=1_000_000)
    parser.add_argument("--sqlite", type=int, default=100_000)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    parser.add_argument("--reuse", metavar="SCHEMA",
                        help="measure a kept PostgreSQL schema again, without loading")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, shared; load average {os.getloadavg()[0]:.2f}")
    if not args.skip_sqlite:
        with sqlite() as config:
            run("SQLite", config, args.sqlite)
    if not args.skip_pg:
        url = os.environ.get("ENTEGRATOR_TEST_PG_URL", DEFAULT_PG_URL)
        with postgres(url, args.keep, args.reuse) as config:
            run("PostgreSQL", config, args.pg, reuse=bool(args.reuse))
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
