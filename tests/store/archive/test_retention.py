"""Tests of entegrator.store.archive.retention: expiry, legal holds, confirmed purge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from entegrator.store import Database, FakeClock, audit
from entegrator.store.archive import (
    Archive,
    ArchiveConfig,
    ArchiveMeta,
    ArchiveRef,
    DocumentNotArchived,
    RetentionViolation,
)
from entegrator.store.archive.chain import seal
from entegrator.store.archive.retention import expired, list_holds, place_hold, purge, release_hold
from entegrator.store.archive.tables import archive_contents
from entegrator.store.archive.verify import verify
from entegrator.store.audit import Actor
from entegrator.store.tenancy import all_tenants

OPERATOR = Actor.system("test-operator")


def _put(db: Database, archive: Archive, n: int, issued: date, tenant: int = 1) -> ArchiveRef:
    with db.transaction() as conn:
        return archive.put(conn, f"<inv n='{n}'/>".encode(), kind="invoice", direction="OUT",
                           tenant_id=tenant, meta=ArchiveMeta(issue_date=issued, number=str(n)))


@pytest.fixture
def late_clock() -> FakeClock:
    return FakeClock(datetime(2036, 1, 2, 12, tzinfo=UTC))


def _expired_ids(db: Database, archive: Archive, tenant: int | None = None) -> list[int]:
    with db.transaction(read_only=True) as conn:
        return [e.ref.id for e in expired(conn, archive, tenant_id=tenant)]


def test_documents_expire_after_the_tenth_year_after_issue(
    db: Database, archive: Archive
) -> None:
    old = _put(db, archive, 1, date(2025, 12, 31))
    _put(db, archive, 2, date(2026, 1, 1))
    late = Archive(archive.config, clock=FakeClock(datetime(2036, 1, 1, 12, tzinfo=UTC)))
    before = Archive(archive.config, clock=FakeClock(datetime(2035, 12, 31, 12, tzinfo=UTC)))
    assert _expired_ids(db, before) == []
    assert _expired_ids(db, late) == [old.id]


def test_raising_the_retention_protects_documents_archived_earlier(
    db: Database, archive: Archive, late_clock: FakeClock
) -> None:
    _put(db, archive, 1, date(2025, 6, 1))
    longer = Archive(ArchiveConfig(retention_years=12), clock=late_clock)
    assert _expired_ids(db, longer) == []


def test_a_hold_keeps_documents_until_released(
    db: Database, archive: Archive, late_clock: FakeClock
) -> None:
    ref = _put(db, archive, 1, date(2025, 6, 1))
    other = _put(db, archive, 2, date(2025, 6, 1), tenant=2)
    late = Archive(archive.config, clock=late_clock)
    with db.transaction() as conn:
        hold = place_hold(conn, late, actor=OPERATOR, reason="vergi incelemesi", tenant_id=1,
                          issued_from=date(2025, 1, 1), issued_to=date(2025, 12, 31))
    assert _expired_ids(db, late) == [other.id]
    with db.transaction() as conn:
        release_hold(conn, late, hold, actor=OPERATOR)
        assert list_holds(conn) == []
    assert _expired_ids(db, late) == [ref.id, other.id]


def test_a_hold_outside_the_date_range_does_not_hold(
    db: Database, archive: Archive, late_clock: FakeClock
) -> None:
    ref = _put(db, archive, 1, date(2025, 6, 1))
    late = Archive(archive.config, clock=late_clock)
    with db.transaction() as conn:
        place_hold(conn, late, actor=OPERATOR, reason="x", issued_from=date(2025, 7, 1))
    assert _expired_ids(db, late) == [ref.id]


def test_a_hold_without_a_taxpayer_holds_everyone(
    db: Database, archive: Archive, late_clock: FakeClock
) -> None:
    _put(db, archive, 1, date(2025, 6, 1))
    _put(db, archive, 2, date(2025, 6, 1), tenant=2)
    late = Archive(archive.config, clock=late_clock)
    with db.transaction() as conn:
        place_hold(conn, late, actor=OPERATOR, reason="mahkeme kararı")
    assert _expired_ids(db, late) == []


def test_a_hold_needs_a_reason(db: Database, archive: Archive) -> None:
    with db.transaction() as conn, pytest.raises(Exception, match="gerekçe"):
        place_hold(conn, archive, actor=OPERATOR, reason="  ")


def test_purge_without_confirmation_deletes_nothing(
    db: Database, archive: Archive, late_clock: FakeClock
) -> None:
    _put(db, archive, 1, date(2025, 6, 1))
    late = Archive(archive.config, clock=late_clock)
    with pytest.raises(RetentionViolation):
        purge(db, late, actor=OPERATOR, confirm=False)
    assert len(_expired_ids(db, late)) == 1


def test_purge_removes_expired_content_leaves_a_tombstone_and_audits(
    db: Database, archive: Archive, clock: FakeClock, late_clock: FakeClock
) -> None:
    gone = _put(db, archive, 1, date(2025, 6, 1))
    kept = _put(db, archive, 2, date(2030, 6, 1))
    clock.advance(86400)
    with db.transaction() as conn:
        seal(conn, clock=clock, zone=archive.config.zone, grace=archive.config.seal_grace)
    late = Archive(archive.config, clock=late_clock)
    report = purge(db, late, actor=OPERATOR, confirm=True)
    assert (report.entries, report.contents) == (1, 1)
    with db.transaction(read_only=True) as conn:
        entry = late.entry(conn, gone)
        assert entry.purged_at is not None and entry.meta.number is None
        with pytest.raises(DocumentNotArchived):
            late.get(conn, gone)
        assert late.get(conn, kept) == b"<inv n='2'/>"
        actions = conn.execute(all_tenants(sa.select(audit.audit_log.c.action))).scalars().all()
    assert "archive.purged" in actions
    assert verify(db, late).ok  # the chain still holds: the tombstone keeps its leaf


def test_purge_keeps_content_another_entry_still_uses(
    db: Database, archive: Archive, late_clock: FakeClock
) -> None:
    with db.transaction() as conn:
        archive.put(conn, b"<same/>", kind="invoice", direction="OUT", tenant_id=1,
                    meta=ArchiveMeta(issue_date=date(2025, 1, 1)))
        shared = archive.put(conn, b"<same/>", kind="invoice", direction="IN", tenant_id=2,
                             meta=ArchiveMeta(issue_date=date(2030, 1, 1)))
    late = Archive(archive.config, clock=late_clock)
    report = purge(db, late, actor=OPERATOR, confirm=True)
    assert (report.entries, report.contents) == (1, 0)
    with db.transaction(read_only=True) as conn:
        assert late.get(conn, shared) == b"<same/>"


def test_purging_the_last_invoice_frees_its_shared_stylesheet(
    db: Database, archive: Archive, late_clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    with db.transaction() as conn:
        archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=1)
    late = Archive(archive.config, clock=late_clock)
    report = purge(db, late, actor=OPERATOR, confirm=True)
    assert (report.entries, report.contents) == (1, 2)
    with db.transaction(read_only=True) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(archive_contents)).scalar() == 0


def test_purge_of_one_taxpayer_leaves_the_others(
    db: Database, archive: Archive, late_clock: FakeClock
) -> None:
    _put(db, archive, 1, date(2025, 6, 1))
    other = _put(db, archive, 2, date(2025, 6, 1), tenant=2)
    late = Archive(archive.config, clock=late_clock)
    assert purge(db, late, actor=OPERATOR, confirm=True, tenant_id=1).entries == 1
    assert _expired_ids(db, late) == [other.id]
