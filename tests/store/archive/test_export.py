"""Tests of entegrator.store.archive.export: zip of XML + PDF + CSV index, streamed."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date

import pytest

from entegrator.store import Database
from entegrator.store.archive import Archive, ArchiveMeta
from entegrator.store.archive.export import INDEX_COLUMNS, ExportProgress, export_zip
from entegrator.store.archive.search import ArchiveQuery


class _Unseekable(io.RawIOBase):
    """A write-only stream (like an HTTP response): no seek, no tell."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.data += b
        return len(b)


@pytest.fixture
def stocked(db: Database, archive: Archive, invoice: Callable[..., bytes]) -> Database:
    with db.transaction() as conn:
        archive.put(conn, invoice(), kind="invoice", direction="OUT", tenant_id=1)
        archive.put(conn, b"PK\x03\x04 not really", kind="envelope", direction="IN", tenant_id=1,
                    meta=ArchiveMeta(envelope_uuid="11111111-1111-4111-8111-111111111111",
                                     issue_date=date(2025, 1, 1)))
        archive.put(conn, b"<broken", kind="invoice", direction="IN", tenant_id=1,
                    meta=ArchiveMeta(number="=HYPERLINK(1)", issue_date=date(2024, 1, 1)))
        archive.put(conn, b"<other/>", kind="invoice", direction="IN", tenant_id=2)
    return db


def _read(data: bytes) -> tuple[zipfile.ZipFile, list[list[str]]]:
    zf = zipfile.ZipFile(io.BytesIO(data))
    text = zf.read("index.csv").decode("utf-8-sig")
    return zf, list(csv.reader(io.StringIO(text)))


def test_export_writes_exact_xml_pdfs_and_an_index(
    stocked: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    out = _Unseekable()
    summary = export_zip(stocked, archive, 1, ArchiveQuery(), out)
    zf, rows = _read(bytes(out.data))
    assert rows[0] == list(INDEX_COLUMNS)
    assert len(rows) == 4 and summary.documents == 3
    first = rows[1]
    assert first[2] == "ENT2025000000001"
    assert zf.read(first[15]) == invoice()
    assert zf.read(first[16]).startswith(b"%PDF")
    assert summary.pdfs == 1 and summary.pdf_failures == 1  # "<broken" cannot be rendered


def test_envelopes_keep_their_zip_name_and_get_no_pdf(
    stocked: Database, archive: Archive
) -> None:
    out = io.BytesIO()
    export_zip(stocked, archive, 1, ArchiveQuery(kind=None, direction="IN"), out)
    zf, rows = _read(out.getvalue())
    envelope = next(r for r in rows[1:] if r[1] == "envelope")
    assert envelope[15].endswith(".zip") and envelope[16] == ""
    assert zf.read(envelope[15]) == b"PK\x03\x04 not really"


def test_formula_like_cells_are_neutralised(stocked: Database, archive: Archive) -> None:
    out = io.BytesIO()
    export_zip(stocked, archive, 1, ArchiveQuery(direction="IN"), out, include_pdf=False)
    _, rows = _read(out.getvalue())
    assert "'=HYPERLINK(1)" in [r[2] for r in rows]


def test_progress_counts_up_to_the_total(stocked: Database, archive: Archive) -> None:
    seen: list[ExportProgress] = []
    export_zip(stocked, archive, 1, ArchiveQuery(), io.BytesIO(), include_pdf=False,
               progress=seen.append)
    assert [(p.done, p.total) for p in seen] == [(1, 3), (2, 3), (3, 3)]


def test_only_the_taxpayers_own_documents_are_exported(
    stocked: Database, archive: Archive
) -> None:
    out = io.BytesIO()
    summary = export_zip(stocked, archive, 2, ArchiveQuery(), out, include_pdf=False)
    zf, rows = _read(out.getvalue())
    assert summary.documents == 1 and zf.read(rows[1][15]) == b"<other/>"
