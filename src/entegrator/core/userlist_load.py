"""Loading GİB's registered-user list into ``gib_users`` / ``gib_user_aliases``.

Two steps, so the database's write lock is held only for writing:

1. **Stage** (:mod:`entegrator.core.userlist_stage`): both zips are parsed into staging
   tables — on SQLite a scratch file, outside any transaction on the integrator's database;
   on PostgreSQL temporary tables of the load's own connection (``COPY``; the real tables
   are not touched, so nothing waits on the parsing).
2. **Apply**, in one write transaction: set-based SQL compares the staged rows with the
   tables and writes only the differences — rows no longer listed are deleted (full load:
   anywhere; incremental load: only among the users a list named, for that list's role),
   changed rows updated, new rows inserted. The daily full refresh of a list that barely
   changed thus mostly reads, instead of rewriting ~1 million rows (and, on PostgreSQL,
   leaving as many dead ones). Readers see the previous list until the commit.

The caller adds its own rows (the sync record) to the same transaction through
:func:`load`'s :class:`Loaded`. docs/decisions/core-userlist.md has the numbers.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlalchemy import Connection, bindparam, text

from entegrator.core.userlist_stage import (
    ALIAS_COLUMNS,
    USER_COLUMNS,
    PgStage,
    SqliteStage,
    StagedCounts,
    stage,
)
from entegrator.gib.userlist import UserListKind
from entegrator.store.db import Database
from entegrator.store.schema import UtcDateTime

__all__ = ["Loaded", "load"]

_ALIAS_KEY: Final = ("identifier", "role", "document_type", "alias")
_PG_PREFIX: Final = "userlist_stage"
#: Advisory lock key serialising the apply step on PostgreSQL.
_PG_LOCK: Final = 0x7573_6572_6C73  # "userls"


@dataclass(frozen=True, slots=True)
class Loaded:
    """An applied load whose transaction is still open: add rows with ``conn``."""

    conn: Connection
    counts: StagedCounts
    stage_seconds: float  # parse + stage, before the apply


@contextmanager
def load(db: Database, zips: dict[UserListKind, Path], *, full: bool, now: dt.datetime,
         scratch: Path) -> Iterator[Loaded]:
    """Stage ``zips`` and apply them (``full``: replace the list; else upsert the listed
    users); commit when the ``with`` block ends, roll back if it raises.

    ``scratch`` is the SQLite staging file's path (the caller removes it; unused on
    PostgreSQL); ``now`` stamps the ``updated_at`` of new and changed users.
    """
    started = time.perf_counter()
    if db.dialect == "postgresql":
        with db.engine.connect() as conn, conn.begin():
            pg = PgStage(conn.connection.driver_connection, _PG_PREFIX)
            counts = stage(zips, pg, roles=not full)
            staged = time.perf_counter() - started
            # one load applies at a time (concurrent full loads could deadlock); the
            # parsing above runs in parallel
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
            # hash joins and sorts of ~1 million staged rows in memory, not in batches on disk
            conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
            _apply(conn, pg.names, full=full, now=now)
            yield Loaded(conn, counts, staged)
        return
    spool = SqliteStage(scratch)
    try:
        counts = stage(zips, spool, roles=not full)
    finally:
        spool.close()
    staged = time.perf_counter() - started
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("ATTACH DATABASE ? AS spool", (str(scratch),))  # outside a transaction
        try:
            with conn.begin():
                _apply(conn, {t: f"spool.{t}" for t in ("users", "aliases", "roles")},
                       full=full, now=now)
                yield Loaded(conn, counts, staged)
        finally:
            raw.execute("DETACH DATABASE spool")


def _apply(conn: Connection, names: Mapping[str, str], *, full: bool, now: dt.datetime) -> None:
    """Write the differences between the staged rows and the tables (module docstring)."""
    sqlite = conn.dialect.name == "sqlite"
    differs = "IS NOT" if sqlite else "IS DISTINCT FROM"
    users, aliases, roles = names["users"], names["aliases"], names["roles"]
    statements: list[str] = []

    # users: never deleted by an incremental load (users do not leave GİB's list)
    values = [c for c in USER_COLUMNS if c != "identifier"]
    if full:
        statements.append(f"DELETE FROM gib_users WHERE NOT EXISTS "
                          f"(SELECT 1 FROM {users} AS s WHERE s.identifier = gib_users.identifier)")
    statements.append(
        f"UPDATE gib_users SET {_assign(values)}, updated_at = :now FROM {users} AS s "
        f"WHERE s.identifier = gib_users.identifier AND "
        f"({_cols('gib_users', values)}) {differs} ({_cols('s', values)})")
    statements.append(
        f"INSERT INTO gib_users ({', '.join(USER_COLUMNS)}, updated_at) "
        f"SELECT {_cols('s', USER_COLUMNS)}, :now FROM {users} AS s WHERE NOT EXISTS "
        f"(SELECT 1 FROM gib_users AS g WHERE g.identifier = s.identifier) "
        f"ORDER BY s.identifier")

    # aliases, keyed by (identifier, role, document type, alias)
    listed = f"SELECT 1 FROM {aliases} AS s WHERE {_same('s', 'a', _ALIAS_KEY)}"
    if full:
        statements.append(f"DELETE FROM gib_user_aliases WHERE id IN (SELECT a.id FROM "
                          f"gib_user_aliases AS a WHERE NOT EXISTS ({listed}))")
    else:  # only the aliases of the role of each list that named the user
        statements.append(
            f"DELETE FROM gib_user_aliases WHERE id IN (SELECT a.id FROM {roles} AS r "
            f"JOIN gib_user_aliases AS a ON a.identifier = r.identifier AND a.role = r.role "
            f"WHERE NOT EXISTS ({listed}))")
    times = ["created_at", "deleted_at"]
    statements.append(
        f"UPDATE gib_user_aliases SET {_assign(times)} FROM {aliases} AS s "
        f"WHERE {_same('s', 'gib_user_aliases', _ALIAS_KEY)} AND "
        f"({_cols('gib_user_aliases', times)}) {differs} ({_cols('s', times)})")
    statements.append(
        f"INSERT INTO gib_user_aliases ({', '.join(ALIAS_COLUMNS)}) "
        f"SELECT {_cols('s', ALIAS_COLUMNS)} FROM {aliases} AS s WHERE NOT EXISTS "
        f"(SELECT 1 FROM gib_user_aliases AS a WHERE {_same('a', 's', _ALIAS_KEY)}) "
        f"ORDER BY {_cols('s', _ALIAS_KEY)}")

    for statement in statements:
        conn.execute(text(statement).bindparams(bindparam("now", now, type_=UtcDateTime))
                     if ":now" in statement else text(statement))


def _cols(table: str, columns: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f"{table}.{c}" for c in columns)


def _assign(columns: list[str]) -> str:
    return ", ".join(f"{c} = s.{c}" for c in columns)


def _same(left: str, right: str, columns: tuple[str, ...]) -> str:
    return " AND ".join(f"{left}.{c} = {right}.{c}" for c in columns)
