"""Staging GİB's registered-user list: both list zips parsed into plain rows, ready to apply.

The first half of a load (:mod:`entegrator.core.userlist_load`). The GB and PK zips
(gib-protocol.md §5) are read as :data:`~entegrator.gib.userlist.UserRow` tuples and turned
into rows of three staging tables — ``users`` (a user named by both lists once, the GB
record winning), ``aliases`` (the role taken from the file) and, for incremental loads,
``roles`` (which list named which user) — written in batches to a :class:`Stage`:

* :class:`SqliteStage`: a scratch SQLite file (no journal, no fsync), indexed once filled;
  the load attaches it to the integrator's SQLite database;
* :class:`PgStage`: temporary tables on the connection that then applies them, filled with
  ``COPY`` while the lists are still being parsed (the server works in parallel).

Values become what the tables store: GİB's local times (Türkiye, no offset) UTC text
``YYYY-MM-DD HH:MM:SS.ffffff`` (SQLite's form of ``UtcDateTime``; PostgreSQL reads it as UTC,
every session's time zone being UTC), titles also Turkish-folded for search. Both are done
with per-load caches (the UTC form of each local hour, the folded form of each word): they
were most of the Python time per user (docs/decisions/core-userlist.md).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol
from zoneinfo import ZoneInfo

from entegrator.core.turkish import fold
from entegrator.gib.userlist import INVOICE, AliasRow, UserListKind, iter_user_rows_zip

__all__ = [
    "ALIAS_COLUMNS",
    "ROLE_COLUMNS",
    "USER_COLUMNS",
    "PgStage",
    "SqliteStage",
    "Stage",
    "StagedCounts",
    "stage",
]

#: Staged columns, in the order of the rows written (and of the target tables' columns).
USER_COLUMNS: Final = (
    "identifier", "title", "title_search", "type", "account_type", "first_creation_time")
ALIAS_COLUMNS: Final = ("identifier", "role", "document_type", "alias", "created_at", "deleted_at")
ROLE_COLUMNS: Final = ("role", "identifier")
_TABLES: Final = (("users", USER_COLUMNS), ("aliases", ALIAS_COLUMNS), ("roles", ROLE_COLUMNS))
#: The PostgreSQL tables whose column types the temporary staging tables copy.
_PG_LIKE: Final = ("gib_users", "gib_user_aliases", "gib_user_aliases")

_TURKEY: Final = ZoneInfo("Europe/Istanbul")
#: List records per write to the stage.
_BATCH: Final = 4_000
#: Bound on the per-load caches (words of titles, local hours).
_CACHE_LIMIT: Final = 200_000

Row = tuple[Any, ...]


class Stage(Protocol):
    """Where staged rows go (a scratch SQLite file or PostgreSQL temporary tables)."""

    def write(self, users: list[Row], aliases: list[Row], roles: list[Row]) -> None:
        """Add one batch of rows."""

    def finish(self, *, dedupe: bool) -> int:
        """Make the staged rows ready to apply; ``dedupe``: first drop the later of aliases
        staged twice (same key). Return how many were dropped."""


@dataclass(frozen=True, slots=True)
class StagedCounts:
    """What was staged: distinct users and distinct aliases (identifier, role, type, alias)."""

    users: int
    aliases: int


def stage(zips: dict[UserListKind, Path], sink: Stage, *, roles: bool) -> StagedCounts:
    """Parse the list zips (GB first) into ``sink``; ``roles``: also stage who each list named.

    The first record of a user wins (GB before PK), and so does the first occurrence of an
    alias: duplicates within one record are skipped here; a user listed twice in one list
    (the legacy one-row-per-alias layout) makes the stage drop its later duplicates
    (:meth:`Stage.finish`).
    """
    values = _Values()
    fold_title, utc = values.fold, values.utc
    seen: set[str] = set()
    users: list[Row] = []
    aliases: list[Row] = []
    named: list[Row] = []
    add_user, add_alias = users.append, aliases.append
    alias_count = pending = 0
    repeated = False
    for kind in (UserListKind.GB, UserListKind.PK):
        if kind not in zips:
            continue
        role = kind.value
        in_list: set[str] = set()
        for ident, title, kind_, first, account, listed in iter_user_rows_zip(zips[kind]):
            if ident in in_list:
                repeated = True
            else:
                in_list.add(ident)
                if roles:
                    named.append((role, ident))
                if ident not in seen:
                    seen.add(ident)
                    add_user((ident, title, fold_title(title), kind_, account, utc(first)))
            alias_rows = _first_of_each(listed) if len(listed) > 1 else listed
            for document_type, name, created, deleted in alias_rows:
                add_alias((ident, role, document_type or INVOICE, name, utc(created),
                           utc(deleted) if deleted else None))
            alias_count += len(alias_rows)
            pending += 1
            if pending == _BATCH:
                _flush(sink, users, aliases, named)
                pending = 0
    _flush(sink, users, aliases, named)
    dropped = sink.finish(dedupe=repeated)
    return StagedCounts(len(seen), alias_count - dropped)


def _first_of_each(rows: list[AliasRow]) -> list[AliasRow]:
    """``rows`` without later repeats of a (document type, alias) pair."""
    kept: dict[tuple[str, str], AliasRow] = {}
    for row in rows:
        kept.setdefault((row[0] or INVOICE, row[1]), row)
    return rows if len(kept) == len(rows) else list(kept.values())


def _flush(sink: Stage, users: list[Row], aliases: list[Row], roles: list[Row]) -> None:
    sink.write(users, aliases, roles)
    users.clear()
    aliases.clear()
    roles.clear()


class _Values:
    """GİB's values in the tables' form, with per-load caches (see the module docstring)."""

    def __init__(self) -> None:
        self._words: dict[str, str] = {}
        self._hours: dict[str, str] = {}

    def fold(self, title: str) -> str:
        """``fold(title)``, computed word by word: a title's fold is the space-joined non-empty
        folds of its words, and an ASCII word's fold is its lower case
        (tests/core/test_userlist_stage.py checks it equals fold on arbitrary text)."""
        if title.isascii():
            return " ".join(title.lower().split())
        words = self._words
        if len(words) > _CACHE_LIMIT:
            words.clear()
        parts = []
        for word in title.split():
            folded = words.get(word)
            if folded is None:
                folded = word.lower() if word.isascii() else fold(word)
                words[word] = folded
            if folded:
                parts.append(folded)
        return " ".join(parts)

    def utc(self, value: str | None) -> str | None:
        """A list time as stored UTC text; None when missing or not a time.

        GİB writes ``2021-03-09T15:36:56`` in Türkiye's local time: its UTC hour is cached
        per local hour (offsets only change on the hour), minutes and seconds are kept.
        Other forms (fractions, offsets) take the general path.
        """
        if not value:
            return None
        if len(value) == 19 and value[10] == "T" and value[13] == ":" and value[16] == ":":
            try:
                dt.datetime.fromisoformat(value)  # validates every field
            except ValueError:
                return None
            key = value[:13]
            hour = self._hours.get(key)
            if hour is None:
                if len(self._hours) > _CACHE_LIMIT:
                    self._hours.clear()
                hour = self._hours[key] = _utc_hour(key)
            if hour:
                return f"{hour}{value[13:]}.000000"
        return _db_time(_gib_time(value))


def _utc_hour(local_hour: str) -> str:
    """``YYYY-MM-DD HH`` in UTC of a local ``YYYY-MM-DDTHH``; "" when the offset is not whole
    hours or changes within that hour (then each time takes the general path)."""
    start = _gib_time(f"{local_hour}:00:00")
    end = _gib_time(f"{local_hour}:59:59")
    if (start is None or end is None or start.minute or start.second
            or end - start != dt.timedelta(minutes=59, seconds=59)):
        return ""
    return start.strftime("%Y-%m-%d %H")


def _gib_time(value: str) -> dt.datetime | None:
    """GİB writes Türkiye's local time without offset; an offset, if given, is honoured.
    None when not a time or not representable in UTC (``0001-01-01T00:00:00``)."""
    try:
        moment = dt.datetime.fromisoformat(value.strip())
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_TURKEY)
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


def _db_time(moment: dt.datetime | None) -> str | None:
    """UTC as ``YYYY-MM-DD HH:MM:SS.ffffff``."""
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ",
                                                                    timespec="microseconds")


# -- stages --------------------------------------------------------------------------------


class SqliteStage:
    """Staging tables in a new scratch SQLite file (``path`` is replaced)."""

    def __init__(self, path: Path) -> None:
        path.unlink(missing_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=OFF")  # a throw-away file: no journal, no fsync
        self._db.execute("PRAGMA synchronous=OFF")
        for table, columns in _TABLES:
            self._db.execute(f"CREATE TABLE {table} ({', '.join(columns)})")
        self._db.execute("BEGIN")

    def write(self, users: list[Row], aliases: list[Row], roles: list[Row]) -> None:
        """Append one batch (plain tables: indexes come in :meth:`finish`)."""
        for (table, columns), rows in zip(_TABLES, (users, aliases, roles), strict=True):
            if rows:
                marks = ", ".join("?" * len(columns))
                self._db.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    def finish(self, *, dedupe: bool) -> int:
        """Index the filled tables (one sort each) and commit (see :meth:`Stage.finish`)."""
        dropped = 0
        if dedupe:  # rowid order is staging order: the first occurrence stays
            dropped = self._db.execute(
                "DELETE FROM aliases WHERE rowid NOT IN (SELECT min(rowid) FROM aliases "
                "GROUP BY identifier, role, document_type, alias)").rowcount
        self._db.execute("CREATE UNIQUE INDEX users_key ON users (identifier)")
        self._db.execute("CREATE UNIQUE INDEX aliases_key ON aliases "
                         "(identifier, role, document_type, alias)")
        self._db.execute("CREATE UNIQUE INDEX roles_key ON roles (identifier, role)")
        self._db.execute("COMMIT")
        return dropped

    def close(self) -> None:
        """Close the file (it stays until the caller removes it)."""
        self._db.close()


class PgStage:
    """Temporary staging tables (dropped at commit) on a psycopg connection in a transaction.

    ``prefix`` names them (``<prefix>_users`` …); their column types are the target tables'.
    """

    def __init__(self, driver_connection: Any, prefix: str) -> None:
        self._db = driver_connection
        self.names = {table: f"{prefix}_{table}" for table, _ in _TABLES}
        for (table, columns), source in zip(_TABLES, _PG_LIKE, strict=True):
            self._db.execute(
                f"CREATE TEMPORARY TABLE {self.names[table]} ON COMMIT DROP AS "
                f"SELECT {', '.join(columns)} FROM {source} WITH NO DATA")

    def write(self, users: list[Row], aliases: list[Row], roles: list[Row]) -> None:
        """``COPY`` one batch into the temporary tables."""
        with self._db.cursor() as cursor:
            for (table, columns), rows in zip(_TABLES, (users, aliases, roles), strict=True):
                if not rows:
                    continue
                with cursor.copy(f"COPY {self.names[table]} ({', '.join(columns)}) "
                                 "FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)

    def finish(self, *, dedupe: bool) -> int:
        """Give the planner the tables' statistics (temporary tables get no autovacuum);
        see :meth:`Stage.finish`."""
        dropped = 0
        if dedupe:  # a COPY-filled table without updates keeps staging order in ctid
            table = self.names["aliases"]
            dropped = self._db.execute(
                f"DELETE FROM {table} AS s USING {table} AS t "
                "WHERE s.identifier = t.identifier AND s.role = t.role "
                "AND s.document_type = t.document_type AND s.alias = t.alias "
                "AND t.ctid < s.ctid").rowcount
        self._db.execute(f"ANALYZE {', '.join(self.names.values())}")
        return dropped

