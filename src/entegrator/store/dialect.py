"""The few statements whose SQL differs between SQLite and PostgreSQL.

``INSERT … ON CONFLICT`` exists in both (SQLite ≥ 3.24) with the same SQLAlchemy API, but
each dialect has its own ``insert`` construct; :func:`insert_for` picks it.
``SELECT … FOR UPDATE SKIP LOCKED`` needs no helper: ``Select.with_for_update(skip_locked=True)``
renders it on PostgreSQL and nothing on SQLite, where ``BEGIN IMMEDIATE`` already serialises
writers (see :mod:`entegrator.store.db`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["insert_for", "upsert"]


def insert_for(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT for ``table`` that supports ``on_conflict_do_nothing/do_update``."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"unsupported dialect {conn.dialect.name!r}")


def upsert(
    conn: Connection,
    table: Table,
    values: Mapping[str, Any],
    *,
    key: Sequence[str],
    update: Sequence[str] | None = None,
) -> None:
    """Insert ``values``, or update the row with the same ``key`` columns.

    ``update`` names the columns overwritten on conflict (default: every non-key column given);
    an empty sequence keeps the existing row untouched.
    """
    stmt = insert_for(conn, table).values(dict(values))
    columns = [c for c in values if c not in key] if update is None else list(update)
    if columns:
        stmt = stmt.on_conflict_do_update(
            index_elements=list(key), set_={c: stmt.excluded[c] for c in columns}
        )
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=list(key))
    conn.execute(stmt)
