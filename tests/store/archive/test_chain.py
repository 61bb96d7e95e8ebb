"""Tests of entegrator.store.archive.chain: sealing days into the hash chain."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from entegrator.store import Database, FakeClock, audit
from entegrator.store.archive import Archive
from entegrator.store.archive.chain import GENESIS, SEALED_ACTION, seal
from entegrator.store.archive.tables import archive_chain, archive_documents
from entegrator.store.tenancy import all_tenants


def _put(db: Database, archive: Archive, content: bytes) -> None:
    with db.transaction() as conn:
        archive.put(conn, content, kind="envelope", direction="IN", tenant_id=None)


def _seal(db: Database, archive: Archive, clock: FakeClock) -> list:
    with db.transaction() as conn:
        return seal(conn, clock=clock, zone=archive.config.zone, grace=archive.config.seal_grace)


def test_nothing_is_sealed_before_the_day_is_over(
    db: Database, archive: Archive, clock: FakeClock
) -> None:
    _put(db, archive, b"<a>1</a>")
    assert _seal(db, archive, clock) == []


def test_a_finished_day_is_sealed_with_its_entries_in_order(
    db: Database, archive: Archive, clock: FakeClock
) -> None:
    for n in range(3):
        _put(db, archive, f"<a>{n}</a>".encode())
    clock.advance(86400)
    sealed = _seal(db, archive, clock)
    assert [s.day for s in sealed] == [date(2026, 3, 10)]
    assert sealed[0].count == 3 and sealed[0].previous_root == GENESIS
    with db.transaction(read_only=True) as conn:
        seqs = conn.execute(
            all_tenants(
                sa.select(archive_documents.c.chain_seq).order_by(archive_documents.c.id)
            )
        ).scalars().all()
    assert seqs == [1, 2, 3]


def test_every_day_is_sealed_also_empty_ones_and_roots_chain(
    db: Database, archive: Archive, clock: FakeClock
) -> None:
    _put(db, archive, b"<a>1</a>")
    clock.advance(3 * 86400)
    sealed = _seal(db, archive, clock)
    assert [s.count for s in sealed] == [1, 0, 0]
    assert [s.previous_root for s in sealed[1:]] == [s.root for s in sealed[:-1]]


def test_sealing_twice_seals_nothing_new(db: Database, archive: Archive, clock: FakeClock) -> None:
    _put(db, archive, b"<a>1</a>")
    clock.advance(86400)
    assert len(_seal(db, archive, clock)) == 1
    assert _seal(db, archive, clock) == []


def test_each_root_is_recorded_in_the_audit_log(
    db: Database, archive: Archive, clock: FakeClock
) -> None:
    _put(db, archive, b"<a>1</a>")
    clock.advance(86400)
    (day_seal,) = _seal(db, archive, clock)
    with db.transaction(read_only=True) as conn:
        details = conn.execute(
            all_tenants(
                sa.select(audit.audit_log.c.details).where(
                    audit.audit_log.c.action == SEALED_ACTION
                )
            )
        ).scalar_one()
    assert details["root"] == day_seal.root and details["count"] == 1


def test_an_entry_committed_late_goes_into_the_next_sealed_day(
    db: Database, archive: Archive, clock: FakeClock
) -> None:
    _put(db, archive, b"<a>1</a>")
    clock.advance(86400)
    _seal(db, archive, clock)
    clock.advance(-86400 + 3600)  # a transaction stamped in the sealed day commits late
    _put(db, archive, b"<a>late</a>")
    clock.advance(2 * 86400)
    sealed = _seal(db, archive, clock)
    assert sealed[0].day == date(2026, 3, 11) and sealed[0].count == 1


def test_chain_rows_cannot_be_changed_or_deleted(
    db: Database, archive: Archive, clock: FakeClock
) -> None:
    _put(db, archive, b"<a>1</a>")
    clock.advance(86400)
    _seal(db, archive, clock)
    with pytest.raises(sa.exc.DBAPIError), db.transaction() as conn:
        conn.execute(sa.delete(archive_chain))
    with pytest.raises(sa.exc.DBAPIError), db.transaction() as conn:
        conn.execute(sa.update(archive_chain).values(root="0" * 64))


def test_entries_cannot_be_deleted(db: Database, archive: Archive, clock: FakeClock) -> None:
    _put(db, archive, b"<a>1</a>")
    with pytest.raises(sa.exc.DBAPIError), db.transaction() as conn:
        conn.execute(all_tenants(sa.delete(archive_documents)))


def test_sealing_stops_at_until(db: Database, archive: Archive, clock: FakeClock) -> None:
    _put(db, archive, b"<a>1</a>")
    clock.advance(5 * 86400)
    with db.transaction() as conn:
        sealed = seal(
            conn,
            clock=clock,
            zone=archive.config.zone,
            grace=timedelta(0),
            until=date(2026, 3, 11),
        )
    assert [s.day for s in sealed] == [date(2026, 3, 10), date(2026, 3, 11)]

