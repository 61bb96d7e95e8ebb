"""Tests of entegrator.store.archive.bulk: put_many gives what put would."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from entegrator.store import Database
from entegrator.store.archive import Archive, ArchiveKind, ArchiveMeta
from entegrator.store.archive.bulk import BulkItem, put_many
from entegrator.store.archive.search import ArchiveQuery, search
from entegrator.store.archive.tables import archive_contents


def test_put_many_stores_each_document_once_and_returns_refs_in_order(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    first = invoice()
    second = invoice(number="ENT2025000000002", ettn="0f3a4cf8-3b5e-4a0e-9a55-2c7d6a1f0b11")
    items = [
        BulkItem(first, ArchiveKind.INVOICE, "OUT", ArchiveMeta(counterpart_name="Işık A.Ş.")),
        BulkItem(second, ArchiveKind.INVOICE, "OUT", ArchiveMeta(number="N2")),
        BulkItem(first, ArchiveKind.INVOICE, "OUT", ArchiveMeta()),
    ]
    with db.transaction() as conn:
        refs = put_many(conn, archive, items, tenant_id=3)
        assert refs[0] == refs[2] and refs[0] != refs[1]
        assert archive.get(conn, refs[1]) == second
        assert put_many(conn, archive, items[:1], tenant_id=3) == refs[:1]
        assert conn.execute(sa.select(sa.func.count()).select_from(archive_contents)).scalar() == 3
        found = search(conn, 3, ArchiveQuery(title="isik")).entries
    assert [e.ref for e in found] == [refs[0]]


def test_put_many_shares_content_with_put(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    with db.transaction() as conn:
        single = archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=None)
        (bulk,) = put_many(conn, archive,
                           [BulkItem(invoice(), ArchiveKind.INVOICE, "IN", ArchiveMeta())],
                           tenant_id=None)
    assert bulk.sha256 == single.sha256 and bulk.id != single.id


def test_put_many_of_nothing_is_nothing(db: Database, archive: Archive) -> None:
    with db.transaction() as conn:
        assert put_many(conn, archive, [], tenant_id=1) == []
