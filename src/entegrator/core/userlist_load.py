"""Loading GİB's registered-user list into ``gib_users`` / ``gib_user_aliases``.

Two phases, so the database's write lock is held only for the writing:

1. :func:`spool` (no transaction on the integrator's database): both zips (GB and PK,
   gib-protocol.md §5) are stream-parsed into a scratch SQLite file — users keyed by
   VKN/TCKN (a user present in both lists once), aliases keyed by (VKN/TCKN, role, document
   type, alias), and which users each list named — with the role taken from the file and
   GİB's local times (Türkiye, no offset) turned into UTC.
2. :func:`loading` + :func:`load_full` / :func:`load_incremental` (one transaction): set-based
   SQL moves the spool into the tables — SQLite ``ATTACH``es the scratch file and runs
   ``INSERT … SELECT``; PostgreSQL ``COPY``s it (into the tables for a full load, into
   temporary tables for an upsert). A **full** load replaces both tables; an **incremental**
   load upserts the listed users and replaces their aliases of the lists that named them.
   Readers keep seeing the previous list until the commit (MVCC / WAL).

docs/decisions/core-userlist.md has the numbers behind this design.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from entegrator.core.turkish import fold
from entegrator.gib.userlist import User, UserListKind, iter_users_zip
from entegrator.store.db import Database

__all__ = ["LoadCounts", "Spool", "load_full", "load_incremental", "loading", "spool"]

_TURKEY: Final = ZoneInfo("Europe/Istanbul")
_BATCH: Final = 5_000
USER_COLUMNS: Final = (
    "identifier", "title", "title_search", "type", "account_type", "first_creation_time",
    "updated_at",
)
ALIAS_COLUMNS: Final = ("identifier", "role", "document_type", "alias", "created_at", "deleted_at")
_SCRATCH_SCHEMA: Final = (
    "CREATE TABLE users (identifier TEXT PRIMARY KEY, title TEXT, title_search TEXT, "
    "type TEXT, account_type TEXT, first_creation_time TEXT, updated_at TEXT) WITHOUT ROWID",
    "CREATE TABLE aliases (identifier TEXT, role TEXT, document_type TEXT, alias TEXT, "
    "created_at TEXT, deleted_at TEXT, "
    "PRIMARY KEY (identifier, role, document_type, alias)) WITHOUT ROWID",
    "CREATE TABLE roles (role TEXT, identifier TEXT, PRIMARY KEY (role, identifier)) "
    "WITHOUT ROWID",
)


@dataclass(frozen=True, slots=True)
class Spool:
    """The parsed lists in a scratch SQLite file, with their counts."""

    path: Path
    users: int
    aliases: int


@dataclass(frozen=True, slots=True)
class LoadCounts:
    """How many users and aliases a load wrote."""

    users: int
    aliases: int


def spool(zips: dict[UserListKind, Path], path: Path, now: dt.datetime) -> Spool:
    """Parse the list zips (GB first) into the scratch SQLite file ``path`` (replaced)."""
    stamp = _db_time(now)
    with closing(_scratch(path)) as scratch:
        for kind in (UserListKind.GB, UserListKind.PK):
            if kind in zips:  # a user's record from the GB list wins (INSERT OR IGNORE)
                _spool_list(scratch, iter_users_zip(zips[kind]), kind.value, stamp)
        scratch.execute("COMMIT")
        users = scratch.execute("SELECT count(*) FROM users").fetchone()[0]
        aliases = scratch.execute("SELECT count(*) FROM aliases").fetchone()[0]
    return Spool(path, int(users), int(aliases))


def _scratch(path: Path) -> sqlite3.Connection:
    """A new scratch database with the spool's tables, in a transaction."""
    path.unlink(missing_ok=True)
    scratch = sqlite3.connect(path, isolation_level=None)
    scratch.execute("PRAGMA journal_mode=OFF")  # a throw-away file: no journal, no fsync
    scratch.execute("PRAGMA synchronous=OFF")
    for statement in _SCRATCH_SCHEMA:
        scratch.execute(statement)
    scratch.execute("BEGIN")
    return scratch


@contextmanager
def loading(db: Database, source: Spool) -> Iterator[Connection]:
    """A write transaction in which :func:`load_full`/:func:`load_incremental` can run.

    On SQLite the scratch file is attached (``ATTACH`` must happen outside a transaction)
    as schema ``spool`` and detached afterwards.
    """
    if db.dialect != "sqlite":
        with db.transaction() as conn:
            yield conn
        return
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("ATTACH DATABASE ? AS spool", (str(source.path),))
        try:
            with conn.begin():
                yield conn
        finally:
            raw.execute("DETACH DATABASE spool")


def load_full(conn: Connection, source: Spool) -> LoadCounts:
    """Replace both tables with the spool's content (in :func:`loading`'s transaction)."""
    conn.exec_driver_sql("DELETE FROM gib_user_aliases")
    conn.exec_driver_sql("DELETE FROM gib_users")
    if conn.dialect.name == "sqlite":
        _insert_select(conn, "gib_users", "spool.users", USER_COLUMNS)
        _insert_select(conn, "gib_user_aliases", "spool.aliases", ALIAS_COLUMNS)
    else:
        _pg_copy(conn, source, "users", "gib_users", USER_COLUMNS)
        _pg_copy(conn, source, "aliases", "gib_user_aliases", ALIAS_COLUMNS)
    return LoadCounts(source.users, source.aliases)


def load_incremental(conn: Connection, source: Spool) -> LoadCounts:
    """Upsert the spool's users; replace their aliases of each list that named them."""
    if conn.dialect.name == "sqlite":
        users, aliases, roles = "spool.users", "spool.aliases", "spool.roles"
    else:
        users, aliases, roles = "spool_users", "spool_aliases", "spool_roles"
        for name, like, columns in (
            (users, "gib_users", USER_COLUMNS), (aliases, "gib_user_aliases", ALIAS_COLUMNS),
        ):
            conn.exec_driver_sql(
                f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS "
                f"SELECT {', '.join(columns)} FROM {like} WITH NO DATA")
        conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {roles} ON COMMIT DROP AS "
                             "SELECT role, identifier FROM gib_user_aliases WITH NO DATA")
        _pg_copy(conn, source, "users", users, USER_COLUMNS)
        _pg_copy(conn, source, "aliases", aliases, ALIAS_COLUMNS)
        _pg_copy(conn, source, "roles", roles, ("role", "identifier"))
    updates = ", ".join(f"{c} = excluded.{c}" for c in USER_COLUMNS if c != "identifier")
    cols = ", ".join(USER_COLUMNS)
    conn.exec_driver_sql(
        f"INSERT INTO gib_users ({cols}) SELECT {cols} FROM {users} WHERE true "
        f"ON CONFLICT (identifier) DO UPDATE SET {updates}")
    conn.exec_driver_sql(
        f"DELETE FROM gib_user_aliases WHERE (role, identifier) IN "
        f"(SELECT role, identifier FROM {roles})")
    _insert_select(conn, "gib_user_aliases", aliases, ALIAS_COLUMNS)
    return LoadCounts(source.users, source.aliases)


# -- spool rows ----------------------------------------------------------------------------


def _spool_list(scratch: sqlite3.Connection, records: Iterator[User], role: str,
                stamp: str | None) -> None:
    users: list[tuple[Any, ...]] = []
    aliases: list[tuple[Any, ...]] = []
    roles: list[tuple[str, str]] = []

    def flush() -> None:
        scratch.executemany("INSERT OR IGNORE INTO users VALUES (?, ?, ?, ?, ?, ?, ?)", users)
        scratch.executemany("INSERT OR IGNORE INTO aliases VALUES (?, ?, ?, ?, ?, ?)", aliases)
        scratch.executemany("INSERT OR IGNORE INTO roles VALUES (?, ?)", roles)
        users.clear()
        aliases.clear()
        roles.clear()

    for user in records:
        ident = user.identifier
        users.append((ident, user.title, fold(user.title), user.type, user.account_type,
                      _db_time(_gib_time(user.first_creation_time)), stamp))
        roles.append((role, ident))
        for group in user.documents:
            document_type = group.type or "Invoice"
            for alias in group.aliases:
                created = _db_time(_gib_time(alias.creation_time))
                deleted = _db_time(_gib_time(alias.deletion_time))
                aliases.extend((ident, role, document_type, name, created, deleted)
                               for name in alias.names if name)
        if len(users) >= _BATCH:
            flush()
    flush()


def _gib_time(value: str | None) -> dt.datetime | None:
    """GİB writes Türkiye's local time without offset; an offset, if given, is honoured."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_TURKEY)
    return moment.astimezone(dt.UTC)


def _db_time(moment: dt.datetime | None) -> str | None:
    """UTC as ``YYYY-MM-DD HH:MM:SS.ffffff``: SQLite's stored form of UtcDateTime, and read
    as UTC by PostgreSQL (every connection's session time zone is UTC)."""
    if moment is None:
        return None
    naive = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return naive.isoformat(sep=" ", timespec="microseconds")


# -- bulk paths ----------------------------------------------------------------------------


def _insert_select(conn: Connection, table: str, source: str, columns: tuple[str, ...]) -> None:
    cols = ", ".join(columns)
    conn.exec_driver_sql(
        f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {source}")


def _pg_copy(conn: Connection, source: Spool, scratch_table: str, table: str,
             columns: tuple[str, ...]) -> None:
    cols = ", ".join(columns)
    driver = conn.connection.driver_connection
    with closing(sqlite3.connect(source.path)) as scratch, driver.cursor() as cursor, \
            cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:  # type: ignore[union-attr]
        for row in scratch.execute(f"SELECT {cols} FROM {scratch_table}"):
            copy.write_row(row)
