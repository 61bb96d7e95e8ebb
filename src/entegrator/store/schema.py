"""Schema conventions shared by every table: one MetaData, column types, constraint names.

All of entegrator's tables live in :data:`metadata` (SQLAlchemy Core ``Table`` objects; see
``docs/decisions/store-database.md``). Rules every table follows:

* primary keys are :func:`id_column` — 64-bit on PostgreSQL (identity), SQLite's rowid
  (``INTEGER PRIMARY KEY``, also 64-bit) on SQLite; foreign keys to them use :data:`BigId`;
* timestamps are :class:`UtcDateTime` — timezone-aware UTC in Python on both databases;
* JSON documents are :data:`Json` (JSONB on PostgreSQL);
* constraint and index names come from :data:`NAMING_CONVENTION`, so migrations can name them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Identity, Integer, MetaData
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["NAMING_CONVENTION", "BigId", "Json", "UtcDateTime", "id_column", "metadata"]

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: The one MetaData of entegrator: every part's tables are defined on it.
metadata = MetaData(naming_convention=NAMING_CONVENTION)

#: 64-bit integer key; plain INTEGER on SQLite so the column aliases the rowid and
#: autoincrements (SQLite integers are 64-bit anyway).
BigId = BigInteger().with_variant(Integer(), "sqlite")

#: JSON column: JSONB on PostgreSQL, JSON text on SQLite.
Json = JSON().with_variant(postgresql.JSONB(), "postgresql")


def id_column(name: str = "id") -> Column[int]:
    """The surrogate primary key column every table starts with."""
    return Column(name, BigId, Identity(), primary_key=True)


class UtcDateTime(TypeDecorator[datetime]):
    """A point in time, stored in UTC, returned timezone-aware UTC on both databases.

    PostgreSQL stores ``timestamptz``; SQLite stores the naive UTC wall time as fixed-width
    text (``YYYY-MM-DD HH:MM:SS.ffffff``), so comparing and ordering in SQL stays correct.
    Naive datetimes are refused: their meaning is a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        """Check awareness and normalise to UTC (naive UTC text on SQLite)."""
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"UtcDateTime needs a timezone-aware datetime, got {value!r}")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
