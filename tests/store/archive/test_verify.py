"""Tests of entegrator.store.archive.verify: tampering is detected, an intact archive is clean."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa

from entegrator.store import Database, FakeClock
from entegrator.store.archive import Archive, ArchiveRef
from entegrator.store.archive.chain import seal
from entegrator.store.archive.tables import archive_blobs, archive_contents, archive_documents
from entegrator.store.archive.verify import verify
from entegrator.store.tenancy import all_tenants


def _fill(db: Database, archive: Archive, invoice: Callable[..., bytes]) -> list[ArchiveRef]:
    refs = []
    with db.transaction() as conn:
        refs.append(archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=None))
        refs.append(archive.put(conn, b"PK-not-really-a-zip" * 3, kind="envelope",
                                direction="OUT", tenant_id=None))
        for n in range(3):
            refs.append(archive.put(conn, f"<r>{n}</r>".encode(), kind="system_response",
                                    direction="IN", tenant_id=None))
    return refs


def _seal(db: Database, archive: Archive, clock: FakeClock) -> None:
    clock.advance(86400)
    with db.transaction() as conn:
        seal(conn, clock=clock, zone=archive.config.zone, grace=archive.config.seal_grace)


def _drop_delete_guard(conn: sa.Connection) -> None:
    # Tampering needs DDL rights: an attacker drops the guard first.
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DROP TRIGGER archive_documents_keep ON archive_documents")
    else:
        conn.exec_driver_sql("DROP TRIGGER archive_documents_keep")


def _content_id(conn: sa.Connection, sha256: str) -> int:
    return int(
        conn.execute(
            sa.select(archive_contents.c.id).where(archive_contents.c.sha256 == sha256)
        ).scalar_one()
    )


def test_an_intact_archive_verifies_clean(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    _fill(db, archive, invoice)
    _seal(db, archive, clock)
    report = verify(db, archive)
    assert report.ok, report.findings
    assert report.documents == 5 and report.days == 1
    assert report.contents == 5


def test_a_flipped_byte_in_a_compressed_blob_is_reported_changed(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    refs = _fill(db, archive, invoice)
    with db.transaction() as conn:
        content_id = _content_id(conn, refs[0].sha256)
        data = bytearray(conn.execute(
            sa.select(archive_blobs.c.data).where(archive_blobs.c.content_id == content_id)
        ).scalar_one())
        data[len(data) // 2] ^= 0x01
        conn.execute(
            sa.update(archive_blobs)
            .where(archive_blobs.c.content_id == content_id)
            .values(data=bytes(data))
        )
    report = verify(db, archive)
    assert [(f.problem, f.entry_id) for f in report.findings] == [("changed", refs[0].id)]


def test_a_flipped_byte_in_a_raw_blob_is_reported_changed(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    refs = _fill(db, archive, invoice)
    with db.transaction() as conn:
        content_id = _content_id(conn, refs[2].sha256)
        conn.execute(
            sa.update(archive_blobs)
            .where(archive_blobs.c.content_id == content_id)
            .values(data=b"<r>9</r>")
        )
    report = verify(db, archive)
    assert [(f.problem, f.entry_id) for f in report.findings] == [("changed", refs[2].id)]


def test_a_vanished_blob_is_reported(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    refs = _fill(db, archive, invoice)
    with db.transaction() as conn:
        content_id = _content_id(conn, refs[1].sha256)
        conn.execute(sa.delete(archive_blobs).where(archive_blobs.c.content_id == content_id))
    report = verify(db, archive)
    assert [(f.problem, f.entry_id) for f in report.findings] == [("vanished", refs[1].id)]


def test_a_vanished_shared_part_breaks_the_invoice(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    refs = _fill(db, archive, invoice)
    with db.transaction() as conn:
        part = conn.execute(
            sa.select(archive_contents.c.id).where(
                archive_contents.c.sha256.not_in([r.sha256 for r in refs])
            )
        ).scalar_one()
        conn.execute(sa.delete(archive_blobs).where(archive_blobs.c.content_id == part))
    archive.contents.parts = type(archive.contents.parts)()  # another process: cold cache
    report = verify(db, archive)
    assert [f.entry_id for f in report.findings] == [refs[0].id]


def test_a_deleted_entry_is_detected_by_the_chain(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    refs = _fill(db, archive, invoice)
    _seal(db, archive, clock)
    with db.transaction() as conn:
        _drop_delete_guard(conn)
        conn.execute(all_tenants(sa.delete(archive_documents).where(
            archive_documents.c.id == refs[3].id)))
    report = verify(db, archive)
    assert [f.problem for f in report.findings] == ["chain", "chain"]
    assert "silinmiş" in report.findings[1].detail or "kesintili" in report.findings[0].detail


def test_a_reordered_chain_is_detected(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    refs = _fill(db, archive, invoice)
    _seal(db, archive, clock)
    with db.transaction() as conn:
        for ref, seq in ((refs[2], 4), (refs[3], 3)):
            conn.execute(all_tenants(
                sa.update(archive_documents)
                .where(archive_documents.c.id == ref.id)
                .values(chain_seq=seq)
            ))
    report = verify(db, archive)
    assert len(report.findings) == 1 and "sırası" in report.findings[0].detail


def test_a_changed_entry_hash_is_detected_by_the_chain(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    refs = _fill(db, archive, invoice)
    _seal(db, archive, clock)
    with db.transaction() as conn:
        conn.execute(all_tenants(
            sa.update(archive_documents)
            .where(archive_documents.c.id == refs[4].id)
            .values(sha256=refs[3].sha256)
        ))
    report = verify(db, archive)
    assert [f.problem for f in report.findings] == ["chain"]


def test_a_rewritten_chain_is_caught_by_the_audit_log(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    refs = _fill(db, archive, invoice)
    _seal(db, archive, clock)
    with db.transaction() as conn:
        # an attacker deletes an entry and re-seals the day consistently
        _drop_delete_guard(conn)
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP TRIGGER archive_chain_keep ON archive_chain")
        else:
            conn.exec_driver_sql("DROP TRIGGER archive_chain_keep_delete")
        conn.execute(all_tenants(sa.delete(archive_documents).where(
            archive_documents.c.id == refs[0].id)))
        conn.execute(all_tenants(sa.update(archive_documents).values(chain_day=None,
                                                                     chain_seq=None)))
        conn.exec_driver_sql("DELETE FROM archive_chain")
        seal(conn, clock=clock, zone=archive.config.zone, grace=archive.config.seal_grace,
             until=date(2026, 3, 10))
    report = verify(db, archive)
    assert "2026-03-10: zincir kökü denetim kaydındakinden farklı" in [
        f.detail for f in report.findings
    ]


def test_since_limits_the_contents_checked(
    db: Database, archive: Archive, clock: FakeClock, invoice: Callable[..., bytes]
) -> None:
    _fill(db, archive, invoice)
    clock.advance(86400)
    with db.transaction() as conn:
        archive.put(conn, b"<late/>", kind="envelope", direction="IN", tenant_id=None)
    report = verify(db, archive, since=date(2026, 3, 11))
    assert report.documents == 1 and report.ok
