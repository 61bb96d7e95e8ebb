"""Archive entries: the index row that records one document for one taxpayer.

An entry points at a content (by SHA-256 and catalog id) and carries the search facts,
the retention date and, once its day is sealed, its place in the daily hash chain. Entries of
a taxpayer are read and written through a :class:`~entegrator.store.tenancy.TenantScope`;
entries without a taxpayer (an envelope received before its receiver is known) are system
rows, reached with :func:`~entegrator.store.tenancy.all_tenants`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Insert,
    Select,
    Text,
    func,
    insert,
    literal,
    literal_column,
    select,
)

from entegrator.store.archive.errors import DocumentNotArchived
from entegrator.store.archive.model import (
    ArchiveEntry,
    ArchiveKind,
    ArchiveMeta,
    ArchiveRef,
    Direction,
)
from entegrator.store.archive.tables import archive_documents as docs
from entegrator.store.archive.text import title_key
from entegrator.store.tenancy import TenantScope, all_tenants

__all__ = [
    "META_COLUMNS",
    "entry_from_row",
    "fact_values",
    "find_entry",
    "insert_entry",
    "read_entry",
    "retain_until",
    "scoped_select",
    "words_of",
]

#: Entry columns that hold ArchiveMeta facts (same names).
META_COLUMNS = (
    "ettn",
    "number",
    "envelope_uuid",
    "issue_date",
    "received_at",
    "counterpart_vkn_tckn",
    "counterpart_name",
    "profile",
    "invoice_type",
    "status",
    "payable_amount",
    "currency",
)


def retain_until(issue_date: date, years: int) -> date:
    """Last day of retention: the end of the ``years``-th year after the issue year.

    >>> retain_until(date(2024, 3, 5), 10)
    datetime.date(2034, 12, 31)
    """
    return date(issue_date.year + years, 12, 31)


def fact_values(meta: ArchiveMeta, dialect: str) -> dict[str, Any]:
    """Column values for the facts ``meta`` gives (ETTNs and UUIDs lower-cased).

    A title also sets its folded search key and, on PostgreSQL, the key's words.
    """
    values = meta.given()
    for name in ("ettn", "envelope_uuid"):
        if name in values:
            values[name] = str(values[name]).strip().lower()
    for name in ("number", "counterpart_vkn_tckn", "profile", "invoice_type", "currency"):
        if name in values:
            values[name] = str(values[name]).strip()
    for name, value in list(values.items()):
        limit = getattr(docs.c[name].type, "length", None)
        if isinstance(value, str) and limit is not None and len(value) > limit:
            # An index fact that does not fit: a title is shortened, an identifier dropped
            # (the document itself keeps every value exactly).
            if name == "counterpart_name":
                values[name] = value[:limit]
            else:
                del values[name]
    if "counterpart_name" in values:
        key = title_key(values["counterpart_name"])
        values["counterpart_key"] = key
        if dialect == "postgresql":
            values["counterpart_words"] = words_of(key)
    return values


def words_of(key: Any) -> Any:
    """The PostgreSQL tsvector of a folded title (``simple`` configuration: no stemming).

    ``key`` is the folded title or a bound parameter carrying it.
    """
    if key is None or isinstance(key, str):
        key = literal(key or "", Text())
    return func.to_tsvector(literal_column("'simple'::regconfig"), func.coalesce(key, ""))


def scoped_select(conn: Connection, tenant_id: int | None, *columns: Any) -> Select[Any]:
    """SELECT on entries of ``tenant_id`` (None: the entries without a taxpayer)."""
    if tenant_id is None:
        return all_tenants(select(*(columns or (docs,))).where(docs.c.tenant_id.is_(None)))
    return TenantScope(conn, tenant_id).select(docs, *columns)


def _scoped_insert(conn: Connection, tenant_id: int | None) -> Insert:
    if tenant_id is None:
        return all_tenants(insert(docs).values(tenant_id=None))
    return TenantScope(conn, tenant_id).insert(docs)


def find_entry(
    conn: Connection, tenant_id: int | None, kind: ArchiveKind, direction: Direction, sha256: str
) -> int | None:
    """The id of the entry for this taxpayer, kind, direction and content, or None."""
    stmt = scoped_select(conn, tenant_id, docs.c.id).where(
        docs.c.kind == kind.value, docs.c.direction == direction, docs.c.sha256 == sha256
    )
    found = conn.execute(stmt).scalar_one_or_none()
    return None if found is None else int(found)


def insert_entry(conn: Connection, tenant_id: int | None, values: dict[str, Any]) -> int:
    """Insert an entry; return its id."""
    stmt = _scoped_insert(conn, tenant_id).values(values).returning(docs.c.id)
    return int(conn.execute(stmt).scalar_one())


def read_entry(conn: Connection, ref: ArchiveRef | int) -> ArchiveEntry:
    """The entry ``ref`` of any taxpayer (system code; services look up through a scope)."""
    entry_id = ref.id if isinstance(ref, ArchiveRef) else ref
    row = conn.execute(all_tenants(select(docs).where(docs.c.id == entry_id))).one_or_none()
    if row is None or (isinstance(ref, ArchiveRef) and row.sha256 != ref.sha256):
        raise DocumentNotArchived(f"arşiv kaydı bulunamadı: {entry_id}")
    return entry_from_row(row)


def entry_from_row(row: Any) -> ArchiveEntry:
    """An :class:`ArchiveEntry` from a full ``archive_documents`` row."""
    meta = ArchiveMeta(**{name: getattr(row, name) for name in META_COLUMNS})
    archived_at: datetime = row.archived_at
    return ArchiveEntry(
        ref=ArchiveRef(row.sha256, int(row.id)),
        tenant_id=row.tenant_id,
        kind=ArchiveKind(row.kind),
        direction=row.direction,
        size=int(row.size),
        archived_at=archived_at,
        retain_until=row.retain_until,
        meta=meta,
        purged_at=row.purged_at,
    )
