"""Tests of entegrator.store.archive.maintenance, dictionaries and PostgreSQL partitions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import sqlalchemy as sa

from entegrator.store import Database, FakeClock
from entegrator.store.archive import Archive, ArchiveConfig
from entegrator.store.archive.maintenance import maintain, train_due
from entegrator.store.archive.partitions import ensure_partitions, partitions
from entegrator.store.archive.tables import archive_contents


def _fill(
    db: Database, archive: Archive, invoice: Callable[..., bytes], count: int, start: int = 0
) -> list:
    template = invoice()
    refs = []
    with db.transaction() as conn:
        for n in range(start, start + count):
            data = template.replace(b"ENT2025000000001", f"ENT2025{n:09d}".encode())
            refs.append((data, archive.put(conn, data, kind="invoice", direction="OUT",
                                           tenant_id=1)))
    return refs


@pytest.fixture
def small_dictionaries(clock: FakeClock) -> Archive:
    return Archive(ArchiveConfig(dictionary_min_samples=20, dictionary_size=8 * 1024),
                   clock=clock)


def test_no_dictionary_is_trained_from_too_few_documents(
    db: Database, small_dictionaries: Archive, invoice: Callable[..., bytes]
) -> None:
    _fill(db, small_dictionaries, invoice, 5)
    with db.transaction() as conn:
        assert train_due(conn, small_dictionaries) == {}


def test_a_trained_dictionary_shrinks_new_documents_and_old_ones_still_read(
    db: Database, small_dictionaries: Archive, invoice: Callable[..., bytes]
) -> None:
    archive = small_dictionaries
    before = _fill(db, archive, invoice, 30)
    with db.transaction() as conn:
        trained = train_due(conn, archive)
        assert list(trained) == ["invoice"]
        assert train_due(conn, archive) == {}  # fresh: not retrained
    template = invoice().replace(b"ENT2025000000001", b"ENT2026000000099")
    with db.transaction() as conn:
        ref = archive.put(conn, template, kind="invoice", direction="OUT", tenant_id=1)
        rows = conn.execute(
            sa.select(archive_contents.c.sha256, archive_contents.c.stored_size,
                      archive_contents.c.dictionary_id)
        ).all()
    sizes = {r.sha256: (r.stored_size, r.dictionary_id) for r in rows}
    assert sizes[ref.sha256][1] == trained["invoice"]
    assert sizes[ref.sha256][0] < sizes[before[0][1].sha256][0] / 2
    fresh = Archive(archive.config, clock=archive.clock)  # another process: cold caches
    with db.transaction(read_only=True) as conn:
        assert fresh.get(conn, ref) == template
        for data, old in before:
            assert fresh.get(conn, old) == data


def test_an_old_dictionary_is_retrained(
    db: Database, small_dictionaries: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    _fill(db, small_dictionaries, invoice, 25)
    with db.transaction() as conn:
        first = train_due(conn, small_dictionaries)
    clock.advance(timedelta(days=31).total_seconds())
    _fill(db, small_dictionaries, invoice, 3, start=100)
    with db.transaction() as conn:
        assert train_due(conn, small_dictionaries) == {}  # old, but too little new material
    _fill(db, small_dictionaries, invoice, 25, start=200)
    with db.transaction() as conn:
        again = train_due(conn, small_dictionaries)
    assert again and again["invoice"] != first["invoice"]


def test_maintain_seals_finished_days(
    db: Database, archive: Archive, clock: FakeClock
) -> None:
    with db.transaction() as conn:
        archive.put(conn, b"<a/>", kind="envelope", direction="IN", tenant_id=None)
    clock.advance(2 * 86400)
    report = maintain(db, archive)
    assert len(report.sealed) == 2
    assert maintain(db, archive).sealed == []


@pytest.mark.postgres
def test_partitions_are_created_ahead_and_adopt_rows_from_the_default(
    pg_schema_config, clock: FakeClock
) -> None:
    from entegrator.store.migrate import upgrade

    db = Database.from_config(pg_schema_config)
    try:
        upgrade(db.engine)
        archive = Archive(ArchiveConfig(partitions_ahead=2), clock=clock)
        with db.transaction() as conn:
            ref = archive.put(conn, b"<early/>", kind="envelope", direction="IN",
                              tenant_id=None)
            assert conn.exec_driver_sql(
                "SELECT count(*) FROM archive_blobs_default").scalar_one() == 1
        report = maintain(db, archive)
        assert report.partitions == [202603, 202604, 202605]
        with db.transaction() as conn:
            assert partitions(conn) == [202603, 202604, 202605]
            assert conn.exec_driver_sql(
                "SELECT count(*) FROM archive_blobs_default").scalar_one() == 0
            assert conn.exec_driver_sql(
                "SELECT count(*) FROM archive_blobs_202603").scalar_one() == 1
            assert archive.get(conn, ref) == b"<early/>"
            assert ensure_partitions(conn, 202603, 3) == []
    finally:
        db.dispose()


def test_partitions_do_nothing_on_sqlite(sqlite_config) -> None:
    db = Database.from_config(sqlite_config)
    try:
        with db.transaction() as conn:
            assert ensure_partitions(conn, 202603, 3) == [] and partitions(conn) == []
    finally:
        db.dispose()
