"""Gapless invoice numbers: one counter per taxpayer, series and year (VUK 509 "müteselsil").

:func:`next_numbers` advances the counter row of ``(taxpayer, prefix, year)`` by ``count`` in
the caller's transaction and returns the numbers in between (``ABC2030000000001`` …). The
``UPDATE … RETURNING`` takes the row's write lock (PostgreSQL: row lock held to commit; SQLite:
the database write lock taken by ``BEGIN IMMEDIATE``), so concurrent callers queue on the same
series and each sees the value the previous one committed: no duplicate. A transaction that
rolls back takes its increment back with it: no gap. The row is created race-free the first
time (``INSERT … ON CONFLICT DO NOTHING``, then the update). See
docs/decisions/core-numbering.md.
"""

from __future__ import annotations

from sqlalchemy import Connection, bindparam

from entegrator.errors import InvalidIdentifier
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.dialect import insert_for
from entegrator.store.domain import invoice_series
from entegrator.store.tenancy import TENANT_PARAM, TenantScope
from entegrator.ubl.identifiers import invoice_id

__all__ = ["current_sequence", "next_numbers"]

_MAX_BATCH = 10_000


def next_numbers(
    conn: Connection,
    scope: TenantScope,
    prefix: str,
    year: int,
    count: int = 1,
    *,
    clock: Clock = SYSTEM_CLOCK,
) -> list[str]:
    """Reserve ``count`` consecutive numbers of series ``prefix`` in ``year`` for the tenant.

    The numbers belong to the caller only if its transaction commits. Raises
    :class:`~entegrator.errors.InvalidIdentifier` for a bad prefix/year or when the series
    would pass 999 999 999.
    """
    if scope.conn is not conn:
        raise ValueError("scope must be bound to conn")
    invoice_id.validate_prefix(prefix)
    if not 1 <= count <= _MAX_BATCH:
        raise ValueError(f"count must be between 1 and {_MAX_BATCH}, got {count}")
    invoice_id.make(prefix, year, 1)  # checks the year
    last = _advance(scope, prefix, year, count, clock)
    if last is None:
        _create_row(conn, scope, prefix, year, clock)
        last = _advance(scope, prefix, year, count, clock)
    if last is None:  # pragma: no cover - the row was just created in this transaction
        raise RuntimeError("invoice series row vanished")
    if last > invoice_id.MAX_SEQUENCE:
        raise InvalidIdentifier(
            f"{prefix} serisinin {year} yılı numaraları tükendi "
            f"(en çok {invoice_id.MAX_SEQUENCE}); yeni bir seri kullanın"
        )
    return [invoice_id.make(prefix, year, n) for n in range(last - count + 1, last + 1)]


def current_sequence(scope: TenantScope, prefix: str, year: int) -> int:
    """The last number given out in the series (0 when none yet); no lock taken."""
    value = scope.conn.execute(
        scope.select(invoice_series, invoice_series.c.last_sequence).where(
            invoice_series.c.prefix == prefix, invoice_series.c.year == year
        )
    ).scalar_one_or_none()
    return int(value or 0)


def _advance(scope: TenantScope, prefix: str, year: int, count: int, clock: Clock) -> int | None:
    table = invoice_series
    stmt = (
        scope.update(table)
        .where(table.c.prefix == prefix, table.c.year == year)
        .values(last_sequence=table.c.last_sequence + count, updated_at=clock.now())
        .returning(table.c.last_sequence)
    )
    value = scope.execute(stmt).scalar_one_or_none()
    return None if value is None else int(value)


def _create_row(
    conn: Connection, scope: TenantScope, prefix: str, year: int, clock: Clock
) -> None:
    table = invoice_series
    tenant = bindparam(TENANT_PARAM, scope.tenant_id, type_=table.c.tenant_id.type)
    stmt = (
        insert_for(conn, table)
        .values(tenant_id=tenant, prefix=prefix, year=year, last_sequence=0,
                updated_at=clock.now())
        .on_conflict_do_nothing(index_elements=["tenant_id", "prefix", "year"])
    )
    scope.execute(stmt)
