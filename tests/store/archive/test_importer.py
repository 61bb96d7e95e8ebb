"""Tests of entegrator.store.archive.importer: folders and zips, duplicates, rejections."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from entegrator.store import Database, audit
from entegrator.store.archive import Archive, ImportRejected
from entegrator.store.archive.importer import import_path
from entegrator.store.archive.search import ArchiveQuery, search
from entegrator.store.audit import Actor
from entegrator.store.tenancy import all_tenants

SUPPLIER = "4540536920"  # examples/01: Anadolu Bilişim (supplier)
CUSTOMER = "9205121120"  # examples/01: Karadeniz Gıda (customer)
OPERATOR = Actor.system("test-import")


@pytest.fixture
def history(tmp_path: Path, invoice: Callable[..., bytes]) -> Path:
    folder = tmp_path / "eski"
    (folder / "2025").mkdir(parents=True)
    (folder / "2025" / "a.xml").write_bytes(invoice())
    (folder / "2025" / "b.XML").write_bytes(
        invoice(number="ENT2025000000002", ettn="0f3a4cf8-3b5e-4a0e-9a55-2c7d6a1f0b11"))
    (folder / "kopya.xml").write_bytes(invoice())  # the same ETTN again
    (folder / "bozuk.xml").write_bytes(b"<Invoice><unclosed>")
    (folder / "zarf.xml").write_bytes(b"<a>not an invoice</a>")
    (folder / "notlar.txt").write_text("ignored")
    return folder


def _import(db: Database, archive: Archive, source: Path, vkn: str = SUPPLIER, tenant: int = 1):
    return import_path(db, archive, source, tenant_id=tenant, taxpayer_vkn=vkn, actor=OPERATOR)


def test_a_folder_is_imported_with_duplicates_and_rejections_reported(
    db: Database, archive: Archive, history: Path
) -> None:
    report = _import(db, archive, history)
    assert (report.files, report.imported, report.duplicates) == (5, 2, 1)
    assert sorted(r.name for r in report.rejected) == ["bozuk.xml", "zarf.xml"]
    with db.transaction(read_only=True) as conn:
        entries = search(conn, 1, ArchiveQuery(direction="OUT")).entries
        actions = conn.execute(all_tenants(sa.select(audit.audit_log.c.action))).scalars().all()
    assert sorted(e.meta.number or "" for e in entries) == ["ENT2025000000001", "ENT2025000000002"]
    assert "archive.imported" in actions


def test_imported_bytes_come_back_exactly(
    db: Database, archive: Archive, history: Path, invoice: Callable[..., bytes]
) -> None:
    _import(db, archive, history)
    with db.transaction(read_only=True) as conn:
        entry = search(conn, 1, ArchiveQuery(number="ENT2025000000001")).entries[0]
        assert archive.get(conn, entry.ref) == invoice()


def test_a_second_import_finds_only_duplicates(
    db: Database, archive: Archive, history: Path
) -> None:
    _import(db, archive, history)
    again = _import(db, archive, history)
    assert (again.imported, again.duplicates) == (0, 3)


def test_the_customers_import_files_them_as_received(
    db: Database, archive: Archive, history: Path
) -> None:
    report = _import(db, archive, history, vkn=CUSTOMER, tenant=2)
    assert report.imported == 2
    with db.transaction(read_only=True) as conn:
        entries = search(conn, 2, ArchiveQuery()).entries
    assert {e.direction for e in entries} == {"IN"}
    assert {e.meta.counterpart_vkn_tckn for e in entries} == {SUPPLIER}


def test_someone_elses_invoices_are_rejected(
    db: Database, archive: Archive, history: Path
) -> None:
    report = _import(db, archive, history, vkn="1111111111")
    assert report.imported == 0
    assert any("bu mükellefin değil" in r.reason for r in report.rejected)


def test_a_zip_is_imported_like_a_folder(
    db: Database, archive: Archive, history: Path, tmp_path: Path
) -> None:
    packed = tmp_path / "eski.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(history.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(history).as_posix())
    report = _import(db, archive, packed)
    assert (report.files, report.imported, report.duplicates) == (5, 2, 1)


def test_an_oversized_zip_entry_is_rejected_without_inflating_it(
    db: Database, archive: Archive, tmp_path: Path
) -> None:
    packed = tmp_path / "bomba.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomba.xml", b"<a>" + b" " * (21 * 1024 * 1024) + b"</a>")
    report = _import(db, archive, packed)
    assert [r.reason for r in report.rejected] == ["dosya çok büyük"]


def test_something_neither_folder_nor_zip_is_refused(
    db: Database, archive: Archive, tmp_path: Path
) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"nope")
    with pytest.raises(ImportRejected):
        _import(db, archive, junk)
