"""Monthly partitions of ``archive_blobs`` on PostgreSQL (declarative RANGE partitioning).

A blob's partition key is ``month`` (``yyyymm`` in the archive's time zone, when its content
was first stored). The migration creates the parent table and a DEFAULT partition; the
maintenance job (and ``entegrator archive partitions``) creates the coming months ahead
(``ArchiveConfig.partitions_ahead``), so writes land in their month. A month that reached
the default partition first (nobody prepared it) is adopted: its rows move into a new table
that is then attached as that month's partition, in one transaction. SQLite has no
partitions; these functions do nothing there.
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

__all__ = ["add_months", "ensure_partitions", "month_of", "partition_name", "partitions"]

_NAME = re.compile(r"^archive_blobs_(\d{6})$")


def month_of(year: int, month: int) -> int:
    """``yyyymm`` of a year and month.

    >>> month_of(2026, 3)
    202603
    """
    return year * 100 + month


def add_months(month: int, count: int) -> int:
    """``month`` (``yyyymm``) moved by ``count`` months.

    >>> add_months(202611, 3), add_months(202601, -1)
    (202702, 202512)
    """
    index = (month // 100) * 12 + (month % 100 - 1) + count
    return (index // 12) * 100 + index % 12 + 1


def partition_name(month: int) -> str:
    """The table name of a month's partition."""
    return f"archive_blobs_{month:06d}"


def partitions(conn: Connection) -> list[int]:
    """The months that have their own partition (PostgreSQL; empty on SQLite)."""
    if conn.dialect.name != "postgresql":
        return []
    rows = conn.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'archive_blobs'::regclass"
        )
    ).scalars()
    found = [_NAME.match(name) for name in rows]
    return sorted(int(match.group(1)) for match in found if match)


def ensure_partitions(conn: Connection, first: int, count: int) -> list[int]:
    """Create the partitions of ``count`` months from ``first`` that are missing; return them."""
    if conn.dialect.name != "postgresql":
        return []
    existing = set(partitions(conn))
    created = []
    for step in range(count):
        month = add_months(first, step)
        if month in existing:
            continue
        _create(conn, month)
        created.append(month)
    return created


def _create(conn: Connection, month: int) -> None:
    name, upper = partition_name(month), add_months(month, 1)
    bounds = f"FOR VALUES FROM ({month}) TO ({upper})"
    waiting = conn.execute(
        text("SELECT EXISTS (SELECT 1 FROM archive_blobs_default WHERE month = :m)"), {"m": month}
    ).scalar_one()
    if not waiting:
        conn.execute(text(f"CREATE TABLE {name} PARTITION OF archive_blobs {bounds}"))
        return
    # Adopt rows that went to the default partition: copy them out, then attach the month.
    conn.execute(text(f"CREATE TABLE {name} (LIKE archive_blobs INCLUDING ALL)"))
    conn.execute(
        text(f"INSERT INTO {name} SELECT * FROM archive_blobs_default WHERE month = :m"),
        {"m": month},
    )
    conn.execute(text("DELETE FROM archive_blobs_default WHERE month = :m"), {"m": month})
    conn.execute(text(f"ALTER TABLE archive_blobs ATTACH PARTITION {name} {bounds}"))
