"""Invoice number series: one gapless counter per taxpayer, series prefix and year.

An invoice number is the 3-character series, the 4-digit issue year and a 9-digit running
number (gib-protocol.md §4.6; VUK 509 "müteselsil"). The counter row is locked and advanced
in the same transaction that gives the numbers to documents, so a rolled-back transaction
takes its numbers back with it: no gap, no duplicate.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Integer, String, UniqueConstraint

from entegrator.store.schema import UtcDateTime, metadata
from entegrator.store.tenancy import tenant_table

__all__ = ["invoice_series"]

invoice_series = tenant_table(
    "invoice_series",
    metadata,
    Column("prefix", String(3), nullable=False),
    Column("year", Integer, nullable=False),
    Column("last_sequence", BigInteger, nullable=False, server_default="0"),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("tenant_id", "prefix", "year"),
    tenant_fk="taxpayers.id",
)
