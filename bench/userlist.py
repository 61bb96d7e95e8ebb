"""User-list bench: refresh 300 000 users over loopback HTTP, then time look-ups.

Run by hand (prints numbers; nothing is asserted)::

    .venv/bin/python bench/userlist.py [--users 300000] [--pg URL] [--skip-sqlite]

For SQLite and PostgreSQL it prints, for a full refresh into empty tables, a second full
refresh of the same list (tables filled: only differences are written), an incremental
refresh that gets the whole list (as from GİB, which ignores ``since``) and one that gets
1 % of the users with new titles (the simulator's ``since``): download, parse/stage (both
zips into the staging tables), apply (the one write transaction) and load (parse/stage +
apply) in users per second; then look-up latency p50/p99 uncached (one indexed read per
call) and cached (the per-process LRU), and search latency.
"""

from __future__ import annotations

import argparse
import random
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from entegrator.core import userlist
from entegrator.gib.userlist import INVOICE, Alias, DocumentAliases, User, UserListKind
from entegrator.store import StoreConfig
from tests.core.support import make_integrator, make_pki
from tests.core.userlist_server import ListServer, serve_lists

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/entegrator_test"
WORDS = ["ANADOLU", "KARADENİZ", "GIDA", "İNŞAAT", "TEKSTİL", "BİLİŞİM", "OTOMOTİV", "TİCARET",
         "SANAYİ", "LOJİSTİK", "ENERJİ", "TARIM", "MADENCİLİK", "TURİZM", "ÇELİK", "ŞEKER"]


def identifiers(count: int) -> list[str]:
    """``count`` distinct 10-digit numbers (check digits do not matter to the list)."""
    return [f"{1_000_000_000 + i * 7919 % 8_999_999_999:010d}" for i in range(count)]


def users(kind: UserListKind, idents: list[str], rng: random.Random) -> Iterator[User]:
    """Each user with one alias of ``kind`` (and every 10th with a closed second one)."""
    role = kind.value.lower()
    for n, ident in enumerate(idents):
        title = " ".join(rng.choice(WORDS) for _ in range(3)) + f" {n} A.Ş."
        aliases = [Alias((f"urn:mail:default{role}@firma{n}.com.tr",), "2021-03-09T15:36:56")]
        if n % 10 == 0:
            aliases.append(Alias((f"urn:mail:eski{role}@firma{n}.com.tr",),
                                 "2019-01-01T09:00:00", "2020-01-01T09:00:00"))
        yield User(ident, title, "OZEL", "2021-03-09T15:36:56", "OZELENTEGRASYON",
                   (DocumentAliases(INVOICE, tuple(aliases)),))


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(name: str, store: StoreConfig, server: ListServer, work: Path, idents: list[str], *,
        delta: dict[str, bytes]) -> None:
    """Refresh four ways, then time look-ups and searches; print one block."""
    pki = make_pki(work / "pki")
    integrator = make_integrator(store, work / name, pki, merkez_url=server.merkez_url)
    try:
        first = userlist.refresh(integrator, full=True)
        second = userlist.refresh(integrator, full=True)
        server.deltas = dict(server.files)  # ?since= gets the whole list (as from GİB)
        third = userlist.refresh(integrator, full=False)
        server.deltas = delta
        fourth = userlist.refresh(integrator, full=False)
        print(f"[{name}] {first.users} users, {first.aliases} aliases")
        for label, result in (("full refresh, empty table", first),
                              ("full refresh, same list again", second),
                              ("incremental refresh, whole list", third),
                              (f"incremental refresh, {fourth.users} changed users", fourth)):
            loaded = result.stage_seconds + result.apply_seconds
            print(f"  {label}: total {result.seconds:.2f}s = download "
                  f"{result.download_seconds:.2f}s + parse/stage {result.stage_seconds:.2f}s + "
                  f"apply {result.apply_seconds:.2f}s; load {loaded:.2f}s = "
                  f"{result.users / loaded:,.0f} users/s")
        rng = random.Random(1)
        sample = [rng.choice(idents) for _ in range(2000)]
        directory = userlist.UserDirectory(integrator.db, cache_check=3600)
        cold = []
        for ident in sample:
            directory.invalidate()
            directory.lookup(ident)  # revalidation read happens here; time the next one
            directory._cache.clear()
            started = time.perf_counter()
            directory.lookup(ident)
            cold.append((time.perf_counter() - started) * 1000)
        for ident in sample:
            directory.lookup(ident)  # fill the cache
        warm = []
        for ident in sample:
            started = time.perf_counter()
            directory.lookup(ident)
            warm.append((time.perf_counter() - started) * 1000)
        print(f"  lookup uncached: p50 {percentile(cold, .5):.3f} ms, "
              f"p99 {percentile(cold, .99):.3f} ms")
        print(f"  lookup cached:   p50 {percentile(warm, .5) * 1000:.1f} µs, "
              f"p99 {percentile(warm, .99) * 1000:.1f} µs")
        searches = []
        for word in ("karadeniz gida", "celik", "sanayi ticaret 12"):
            started = time.perf_counter()
            found = directory.search(word, limit=20)
            searches.append((time.perf_counter() - started) * 1000)
            assert found or word.endswith("12")
        print(f"  search (3 queries): median {statistics.median(searches):.1f} ms")
    finally:
        integrator.close()


def main() -> int:
    """Parse options and run the bench on each database."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=300_000)
    parser.add_argument("--pg", default=DEFAULT_PG)
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
    rng = random.Random(0)
    idents = identifiers(args.users)
    work = Path(tempfile.mkdtemp(prefix="bench-userlist-"))
    try:
        with serve_lists() as server:
            started = time.perf_counter()
            server.publish(UserListKind.GB, users(UserListKind.GB, idents, rng))
            server.publish(UserListKind.PK, users(UserListKind.PK, idents, rng))
            changed = idents[:max(1, args.users // 100)]  # 1 %: new titles (and aliases)
            server.publish(UserListKind.GB, users(UserListKind.GB, changed, rng), delta=True)
            server.publish(UserListKind.PK, users(UserListKind.PK, changed, rng), delta=True)
            delta = dict(server.deltas)
            sizes = {k: len(v) for k, v in server.files.items()}
            print(f"lists generated in {time.perf_counter() - started:.1f}s, zip sizes {sizes}")
            if not args.skip_sqlite:
                run("sqlite", StoreConfig(url=f"sqlite:///{work / 'bench.db'}"),
                    server, work, idents, delta=delta)
            if not args.skip_pg:
                schema = f"bench_{secrets.token_hex(4)}"
                admin = sa.create_engine(args.pg, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
                try:
                    run("postgresql", StoreConfig(url=args.pg, pg_schema=schema),
                        server, work, idents, delta=delta)
                finally:
                    with admin.connect() as conn:
                        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
                    admin.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
