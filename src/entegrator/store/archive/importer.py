"""Import of a taxpayer's historical archive (another integrator's export): XML files in a
folder or a zip, validated, de-duplicated by ETTN, searchable like the rest.

Each file must be a UBL-TR invoice, safe to parse (no DTD/entities, size-capped), valid
against GİB's XSD (the schematron is optional: rules changed over the years and GİB accepted
these documents under the rules of their day; our arithmetic rules only advise), with an
ETTN, a number and an issue date, and the taxpayer must be its supplier (``OUT``) or
customer (``IN``). An invoice whose ETTN the taxpayer's archive already holds is a
duplicate and is skipped. Every other file is reported with its reason; nothing stops the
import. Zips are read defensively: only ``.xml`` entries, each under the size cap, the
declared and the actual size checked while reading (zip bombs).

The bytes are archived exactly as found (entries marked ``source = import``), in batches of
one transaction each; one audit row records the run.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from sqlalchemy import Connection

from entegrator.store import audit
from entegrator.store.archive.entries import scoped_select
from entegrator.store.archive.errors import ImportRejected
from entegrator.store.archive.facts import summary_facts
from entegrator.store.archive.model import ArchiveKind, ArchiveMeta, Direction
from entegrator.store.archive.service import Archive
from entegrator.store.archive.tables import archive_documents as docs
from entegrator.store.audit import Actor
from entegrator.store.db import Database
from entegrator.ubl.identifiers import ettn as ettn_id
from entegrator.ubl.summary import summarize
from entegrator.validation import DocumentKind, RuleMode, ValidationOptions, validate

__all__ = ["MAX_FILE_BYTES", "ImportReport", "Rejected", "import_path", "read_sources"]

#: The largest XML file accepted (GİB's envelope limit is 5 MB zipped).
MAX_FILE_BYTES = 20 * 1024 * 1024
_BATCH = 100


@dataclass(frozen=True, slots=True)
class Rejected:
    """A file that was not imported, and why (Turkish)."""

    name: str
    reason: str


@dataclass(slots=True)
class ImportReport:
    """What an import did."""

    files: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)


def import_path(
    db: Database,
    archive: Archive,
    source: Path,
    *,
    tenant_id: int,
    taxpayer_vkn: str,
    actor: Actor,
    schematron: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every XML file under ``source`` (a folder or a zip) for ``tenant_id``."""
    options = ValidationOptions(
        schematron=schematron,
        rules=RuleMode.ADVISE,
        expect=frozenset({DocumentKind.INVOICE}),
        max_bytes=MAX_FILE_BYTES,
    )
    report = ImportReport()
    pending: list[tuple[str, bytes, Direction, ArchiveMeta]] = []
    seen: set[str] = set()
    for name, data in read_sources(source, report):
        report.files += 1
        try:
            direction, meta = _check(data, taxpayer_vkn, options)
        except ImportRejected as exc:
            report.rejected.append(Rejected(name, exc.message))
            continue
        key = meta.ettn.lower() if meta.ettn else ""
        if key in seen:
            report.duplicates += 1
            continue
        seen.add(key)
        pending.append((name, data, direction, meta))
        if len(pending) >= _BATCH:
            _store(db, archive, tenant_id, pending, report)
            if progress is not None:
                progress(report.files)
    _store(db, archive, tenant_id, pending, report)
    with db.transaction() as conn:
        audit.record(
            conn,
            actor,
            "archive.imported",
            tenant_id=tenant_id,
            object_type="archive",
            object_id=source.name,
            details={
                "files": report.files,
                "imported": report.imported,
                "duplicates": report.duplicates,
                "rejected": len(report.rejected),
            },
            clock=archive.clock,
        )
    if progress is not None:
        progress(report.files)
    return report


def _check(data: bytes, vkn: str, options: ValidationOptions) -> tuple[Direction, ArchiveMeta]:
    result = validate(data, options)
    if not result.ok:
        first = result.errors[0]
        raise ImportRejected(f"geçersiz belge ({first.rule}): {first.message}")
    summary = summarize(data)
    supplier, customer = summary.supplier.id, summary.customer.id
    if supplier == vkn:
        direction: Direction = "OUT"
    elif customer == vkn:
        direction = "IN"
    else:
        raise ImportRejected(f"fatura bu mükellefin değil (satıcı {supplier}, alıcı {customer})")
    meta = summary_facts(summary, direction)
    if not meta.ettn or not ettn_id.is_valid(meta.ettn):
        raise ImportRejected("faturada geçerli bir ETTN yok")
    if not meta.number or meta.issue_date is None:
        raise ImportRejected("faturada numara ya da düzenleme tarihi yok")
    return direction, meta


def _store(
    db: Database,
    archive: Archive,
    tenant_id: int,
    pending: list[tuple[str, bytes, Direction, ArchiveMeta]],
    report: ImportReport,
) -> None:
    if not pending:
        return
    with db.transaction() as conn:
        known = _known_ettns(conn, tenant_id, [meta.ettn or "" for _, _, _, meta in pending])
        for _name, data, direction, meta in pending:
            if (meta.ettn or "").lower() in known:
                report.duplicates += 1
                continue
            archive.put(
                conn,
                data,
                kind=ArchiveKind.INVOICE,
                direction=direction,
                tenant_id=tenant_id,
                meta=meta,
                source="import",
            )
            report.imported += 1
    pending.clear()


def _known_ettns(conn: Connection, tenant_id: int, ettns: list[str]) -> set[str]:
    wanted = [e.lower() for e in ettns if e]
    stmt = scoped_select(conn, tenant_id, docs.c.ettn).where(
        docs.c.kind == ArchiveKind.INVOICE.value, docs.c.ettn.in_(wanted)
    )
    return {e for e in conn.execute(stmt).scalars() if e}


def read_sources(source: Path, report: ImportReport) -> Iterator[tuple[str, bytes]]:
    """``(name, bytes)`` of every XML file in a folder (recursively, sorted) or a zip.

    Files that cannot be read are added to ``report.rejected``.
    """
    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            name = path.relative_to(source).as_posix()
            if path.suffix.lower() != ".xml":
                continue
            if path.stat().st_size > MAX_FILE_BYTES:
                report.rejected.append(Rejected(name, "dosya çok büyük"))
                continue
            yield name, path.read_bytes()
        return
    try:
        archive_file = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportRejected(f"{source.name} bir klasör ya da zip değil: {exc}") from exc
    with archive_file:
        for info in archive_file.infolist():
            name = info.filename
            if info.is_dir() or PurePosixPath(name).suffix.lower() != ".xml":
                continue
            if info.file_size > MAX_FILE_BYTES:
                report.rejected.append(Rejected(name, "dosya çok büyük"))
                continue
            try:
                with archive_file.open(info) as handle:
                    yield name, _read_capped(handle)
            except (zipfile.BadZipFile, OSError, ValueError, ImportRejected) as exc:
                report.rejected.append(Rejected(name, f"zip girdisi okunamadı: {exc}"))


def _read_capped(handle: IO[bytes]) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := handle.read(64 * 1024):
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise ImportRejected("dosya çok büyük")
        chunks.append(chunk)
    return b"".join(chunks)
