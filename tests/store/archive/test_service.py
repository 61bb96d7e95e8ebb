"""Tests of entegrator.store.archive.service: put, get, update in the caller's transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entegrator.store import Database, FakeClock
from entegrator.store.archive import (
    Archive,
    ArchiveError,
    ArchiveKind,
    ArchiveMeta,
    ArchiveRef,
    DocumentNotArchived,
)
from entegrator.store.archive.tables import archive_contents, archive_documents
from entegrator.store.tenancy import all_tenants


def _count(db: Database, table: sa.Table) -> int:
    with db.transaction(read_only=True) as conn:
        stmt = all_tenants(sa.select(sa.func.count()).select_from(table))
        return int(conn.execute(stmt).scalar_one())


def test_put_then_get_returns_the_same_bytes(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    data = invoice()
    with db.transaction() as conn:
        ref = archive.put(conn, data, kind=ArchiveKind.INVOICE, direction="OUT", tenant_id=None)
    with db.transaction(read_only=True) as conn:
        assert archive.get(conn, ref) == data
        assert archive.get(conn, ref.sha256) == data
    assert ref.sha256 == hashlib.sha256(data).hexdigest()


def test_put_is_undone_by_the_callers_rollback(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), db.transaction() as conn:
        ref = archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=None)
        raise Boom
    with db.transaction(read_only=True) as conn, pytest.raises(DocumentNotArchived):
        archive.get(conn, ref)


def test_same_content_for_the_same_taxpayer_gives_the_first_entry(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    with db.transaction() as conn:
        first = archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=None)
    with db.transaction() as conn:
        second = archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=None)
    assert first == second
    assert _count(db, archive_documents) == 1


def test_content_is_stored_once_for_every_entry_that_uses_it(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    data = invoice()
    with db.transaction() as conn:
        out = archive.put(conn, data, kind="invoice", direction="OUT", tenant_id=None)
        inbound = archive.put(conn, data, kind="invoice", direction="IN", tenant_id=None)
    assert out.sha256 == inbound.sha256 and out.id != inbound.id
    # the document itself and its embedded stylesheet (a shared part)
    assert _count(db, archive_contents) == 2


def test_two_invoices_share_their_embedded_stylesheet(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    with db.transaction() as conn:
        archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=None)
        archive.put(
            conn,
            invoice(number="ENT2025000000002", ettn="0f3a4cf8-3b5e-4a0e-9a55-2c7d6a1f0b11"),
            kind="invoice",
            direction="OUT",
            tenant_id=None,
        )
    assert _count(db, archive_contents) == 3
    with db.transaction(read_only=True) as conn:
        stored = conn.execute(sa.select(sa.func.sum(archive_contents.c.stored_size))).scalar_one()
    assert stored < len(invoice()) // 2


def test_facts_are_read_from_the_invoice_when_not_given(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    with db.transaction() as conn:
        ref = archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=None)
        entry = archive.entry(conn, ref)
    assert entry.meta.ettn == "d96d7ca3-5b61-5240-9291-46ed3310e9d6"
    assert entry.meta.number == "ENT2025000000001"
    assert entry.meta.issue_date == date(2025, 3, 14)
    assert entry.meta.counterpart_vkn_tckn == "9205121120"
    assert entry.meta.payable_amount == Decimal("78000.00")
    assert entry.retain_until == date(2035, 12, 31)


def test_given_facts_are_stored_as_given_with_ettn_lower_cased(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    meta = ArchiveMeta(ettn="ABCDEF00-0000-4000-8000-000000000001", number="X", status="QUEUED")
    with db.transaction() as conn:
        ref = archive.put(
            conn, invoice(), kind="invoice", direction="OUT", tenant_id=None, meta=meta
        )
        entry = archive.entry(conn, ref)
    assert entry.meta.ettn == "abcdef00-0000-4000-8000-000000000001"
    assert entry.meta.number == "X" and entry.meta.status == "QUEUED"
    assert entry.meta.issue_date == date(2026, 3, 10)  # none given: the day it was archived


def test_update_changes_the_status_only(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    with db.transaction() as conn:
        ref = archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=None)
        archive.update(conn, ref, ArchiveMeta(status="SEND_SUCCEED"))
        entry = archive.entry(conn, ref)
        assert archive.get(conn, ref) == invoice()
    assert entry.meta.status == "SEND_SUCCEED"
    assert entry.meta.number == "ENT2025000000001"


def test_update_refuses_to_move_the_issue_date(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    with db.transaction() as conn:
        ref = archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=None)
        with pytest.raises(ArchiveError):
            archive.update(conn, ref, ArchiveMeta(issue_date=date(2010, 1, 1)))


def test_update_of_an_unknown_reference_fails(db: Database, archive: Archive) -> None:
    with db.transaction() as conn, pytest.raises(DocumentNotArchived):
        archive.update(conn, ArchiveRef("0" * 64, 12345), ArchiveMeta(status="X"))


def test_assign_tenant_gives_an_unowned_entry_its_taxpayer(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    with db.transaction() as conn:
        ref = archive.put(conn, invoice(), kind="envelope", direction="IN", tenant_id=None)
        archive.assign_tenant(conn, ref, 7)
        assert archive.entry(conn, ref).tenant_id == 7
        with pytest.raises(DocumentNotArchived):
            archive.assign_tenant(conn, ref, 8)


def test_get_refuses_a_malformed_reference(db: Database, archive: Archive) -> None:
    with db.transaction(read_only=True) as conn, pytest.raises(DocumentNotArchived):
        archive.get(conn, "not-a-hash")


@pytest.mark.parametrize("content", [b"", "text"])
def test_put_refuses_empty_or_non_bytes_content(
    db: Database, archive: Archive, content: object
) -> None:
    with db.transaction() as conn, pytest.raises((ArchiveError, TypeError)):
        archive.put(conn, content, kind="invoice", direction="OUT", tenant_id=None)  # type: ignore[arg-type]


def test_put_refuses_an_unknown_kind_or_direction(db: Database, archive: Archive) -> None:
    with db.transaction() as conn:
        with pytest.raises(ArchiveError):
            archive.put(conn, b"<a/>", kind="receipt", direction="OUT", tenant_id=None)
        with pytest.raises(ArchiveError):
            archive.put(conn, b"<a/>", kind="invoice", direction="SIDEWAYS", tenant_id=None)  # type: ignore[arg-type]


def test_entries_carry_the_archive_clock(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    with db.transaction() as conn:
        ref = archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=None)
        assert archive.entry(conn, ref).archived_at == clock.now()


_EMBEDDED = st.builds(
    lambda before, text, after: before + b"<cbc:EmbeddedDocumentBinaryObject>" + text
    + b"</cbc:EmbeddedDocumentBinaryObject>" + after,
    st.binary(max_size=200),
    st.binary(min_size=1024, max_size=3000).map(lambda b: b.replace(b"<", b"A")),
    st.binary(max_size=200),
)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(min_size=1, max_size=5000), _EMBEDDED))
def test_whatever_is_put_comes_back_byte_for_byte(
    db: Database, archive: Archive, content: bytes
) -> None:
    with db.transaction() as conn:
        ref = archive.put(conn, content, kind="envelope", direction="IN", tenant_id=9)
    archive.contents.parts = type(archive.contents.parts)()
    with db.transaction(read_only=True) as conn:
        assert archive.get(conn, ref) == content
