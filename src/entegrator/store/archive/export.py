"""Export of a search result: one zip with every document's XML, its PDF and a CSV index.

The zip is written as a stream (``out`` need not be seekable: entries carry data
descriptors, Zip64 when large), documents are read page by page in short read
transactions, and a progress callback sees ``(done, total)`` after every document, so an
export of hundreds of thousands of invoices neither holds a long snapshot nor builds the
zip in memory. The index (``index.csv``, UTF-8 with BOM so Excel opens it with Turkish
letters intact) is spooled to a temporary file and added last. XML files are the archived
bytes exactly; PDFs are rendered with the document's own stylesheet when usable (sandboxed),
else ours; a document that cannot be rendered is exported without PDF and marked in the
index.
"""

from __future__ import annotations

import csv
import io
import logging
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from entegrator.errors import EntegratorError
from entegrator.render import render_pdf
from entegrator.store.archive.model import ArchiveEntry, ArchiveKind
from entegrator.store.archive.search import ArchiveQuery, count, search
from entegrator.store.archive.service import Archive
from entegrator.store.db import Database

__all__ = ["INDEX_COLUMNS", "ExportProgress", "ExportSummary", "export_zip"]

_log = logging.getLogger(__name__)

#: Columns of index.csv (Turkish headers, GİB's names kept).
INDEX_COLUMNS = (
    "Yön",
    "Tür",
    "Fatura No",
    "ETTN",
    "Zarf",
    "Düzenleme Tarihi",
    "Alınma Zamanı",
    "Karşı Taraf VKN/TCKN",
    "Karşı Taraf Unvan",
    "Senaryo",
    "Fatura Tipi",
    "Durum",
    "Ödenecek Tutar",
    "Para Birimi",
    "SHA-256",
    "XML Dosyası",
    "PDF Dosyası",
)
_RENDERED = (ArchiveKind.INVOICE, ArchiveKind.APPLICATION_RESPONSE, ArchiveKind.SYSTEM_RESPONSE)
_PAGE = 200


@dataclass(frozen=True, slots=True)
class ExportProgress:
    """Where an export is: documents written of the total."""

    done: int
    total: int


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote."""

    documents: int
    pdfs: int
    pdf_failures: int


def export_zip(
    db: Database,
    archive: Archive,
    tenant_id: int | None,
    query: ArchiveQuery,
    out: IO[bytes],
    *,
    include_pdf: bool = True,
    progress: Callable[[ExportProgress], None] | None = None,
) -> ExportSummary:
    """Write the entries matching ``query`` (newest first) into ``out`` as a zip."""
    with db.transaction(read_only=True) as conn:
        total = count(conn, tenant_id, query)
    done = pdfs = failures = 0
    with (
        tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+b") as index_file,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf,
    ):
        index_text = io.TextIOWrapper(index_file, encoding="utf-8-sig", newline="")
        writer = csv.writer(index_text)
        writer.writerow(INDEX_COLUMNS)
        cursor: str | None = None
        while True:
            with db.transaction(read_only=True) as conn:
                page = search(conn, tenant_id, query, limit=_PAGE, cursor=cursor)
                documents = [(entry, archive.get(conn, entry.ref)) for entry in page.entries]
            for entry, data in documents:
                base = _base_name(entry)
                xml_name = f"xml/{base}.{_extension(entry, data)}"
                _write(zf, xml_name, data, entry, zipfile.ZIP_DEFLATED)
                pdf_name = ""
                if include_pdf and entry.kind in _RENDERED:
                    pdf = _pdf(data, entry)
                    if pdf is None:
                        failures += 1
                    else:
                        pdf_name = f"pdf/{base}.pdf"
                        _write(zf, pdf_name, pdf, entry, zipfile.ZIP_STORED)
                        pdfs += 1
                writer.writerow(_index_row(entry, xml_name, pdf_name))
                done += 1
                if progress is not None:
                    progress(ExportProgress(done, total))
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        index_text.flush()
        index_file.seek(0)
        with zf.open("index.csv", "w", force_zip64=True) as target:
            while chunk := index_file.read(1024 * 1024):
                target.write(chunk)
        index_text.detach()
    return ExportSummary(done, pdfs, failures)


def _base_name(entry: ArchiveEntry) -> str:
    meta = entry.meta
    label = meta.number or meta.ettn or meta.envelope_uuid or entry.ref.sha256[:16]
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "_" for ch in label)
    day = meta.issue_date.isoformat() if meta.issue_date else "tarihsiz"
    return f"{day}_{safe}_{entry.ref.id}"


def _extension(entry: ArchiveEntry, data: bytes) -> str:
    return "zip" if entry.kind is ArchiveKind.ENVELOPE and data[:2] == b"PK" else "xml"


def _write(zf: zipfile.ZipFile, name: str, data: bytes, entry: ArchiveEntry, method: int) -> None:
    stamp = entry.archived_at.timetuple()[:6]
    info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
    info.compress_type = method
    zf.writestr(info, data)


def _pdf(data: bytes, entry: ArchiveEntry) -> bytes | None:
    try:
        return render_pdf(data)
    except (EntegratorError, ValueError) as exc:
        _log.warning("arşiv dışa aktarımı: %s için PDF üretilemedi: %s", entry.ref.id, exc)
        return None


def _index_row(entry: ArchiveEntry, xml_name: str, pdf_name: str) -> list[str]:
    meta = entry.meta
    values = (
        entry.direction,
        entry.kind.value,
        meta.number,
        meta.ettn,
        meta.envelope_uuid,
        meta.issue_date.isoformat() if meta.issue_date else None,
        meta.received_at.isoformat() if meta.received_at else None,
        meta.counterpart_vkn_tckn,
        meta.counterpart_name,
        meta.profile,
        meta.invoice_type,
        meta.status,
        f"{meta.payable_amount:.2f}" if meta.payable_amount is not None else None,
        meta.currency,
        entry.ref.sha256,
        xml_name,
        pdf_name,
    )
    return [_cell(v) for v in values]


def _cell(value: str | None) -> str:
    # A cell starting with = + - @ is a formula to Excel: neutralise (CSV injection).
    text = value or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
