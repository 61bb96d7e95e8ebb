"""The archive as core's services see it: tenant-scoped, role-checked, audited.

:func:`open_archive` builds the :class:`~entegrator.store.archive.Archive` the
:class:`~entegrator.core.wiring.Integrator` holds; core's transactions call
``integrator.archive.put/get/update`` directly. The functions here serve the faces: a
caller (:class:`~entegrator.core.context.Caller`) searches, reads, renders, exports and
imports **its own taxpayer's** archive; reading needs ``READ``, importing ``MANAGE``.
Another taxpayer's document is :class:`~entegrator.errors.NotFound`, never "forbidden".
The job ``archive.maintain`` (:func:`register`) seals days into the hash chain, creates
PostgreSQL partitions ahead, trains compression dictionaries and removes orphan files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Literal, Protocol

from sqlalchemy import Connection, select

from entegrator.core.context import Caller
from entegrator.core.permissions import Permission
from entegrator.errors import NotFound
from entegrator.render import render_html, render_pdf
from entegrator.store import audit, jobs
from entegrator.store.archive import Archive, ArchiveConfig, ArchiveEntry, DocumentNotArchived
from entegrator.store.archive.entries import entry_from_row, scoped_select
from entegrator.store.archive.export import ExportProgress, ExportSummary, export_zip
from entegrator.store.archive.importer import ImportReport, import_path
from entegrator.store.archive.maintenance import MaintenanceReport, maintain
from entegrator.store.archive.search import ArchiveQuery, Page, search
from entegrator.store.archive.tables import archive_documents
from entegrator.store.audit import Actor
from entegrator.store.clock import Clock
from entegrator.store.db import Database
from entegrator.store.domain import taxpayers

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator


class ArchiveHost(Protocol):
    """What these services need: the :class:`~entegrator.core.wiring.Integrator` has it; the
    archive commands of the CLI build just this much."""

    db: Database
    archive: Archive
    clock: Clock


@dataclass(frozen=True, slots=True)
class ArchiveServices:
    """A minimal :class:`ArchiveHost` (database, archive, clock) for operator tools."""

    db: Database
    archive: Archive
    clock: Clock

__all__ = [
    "MAINTAIN_JOB",
    "ArchiveHost",
    "ArchiveServices",
    "Rendered",
    "ensure_maintenance_scheduled",
    "export_documents",
    "get_document",
    "get_entry",
    "import_documents",
    "open_archive",
    "register",
    "render_document",
    "run_maintenance",
    "search_documents",
]

MAINTAIN_JOB = "archive.maintain"
Format = Literal["xml", "html", "pdf"]
_MEDIA_TYPES = {"xml": "application/xml", "html": "text/html; charset=utf-8",
                "pdf": "application/pdf"}


def open_archive(config: ArchiveConfig, *, db: Database, clock: Clock) -> Archive:
    """The archive of one process (``db`` is accepted for back ends that need it later)."""
    del db  # the database back end writes on the caller's connection
    return Archive(config, clock=clock)


# -- reading ---------------------------------------------------------------------------------


def search_documents(
    integrator: ArchiveHost,
    caller: Caller,
    query: ArchiveQuery,
    *,
    limit: int = 50,
    cursor: str | None = None,
) -> Page:
    """One page of the caller's archived documents matching ``query`` (newest first)."""
    caller.require(Permission.READ)
    with integrator.db.transaction(read_only=True) as conn:
        return search(conn, caller.tenant_id, query, limit=limit, cursor=cursor)


def get_entry(conn: Connection, caller: Caller, entry_id: int) -> ArchiveEntry:
    """The caller's archive entry ``entry_id`` (NotFound for anyone else's)."""
    stmt = scoped_select(conn, caller.tenant_id).where(archive_documents.c.id == entry_id)
    row = conn.execute(stmt).one_or_none()
    if row is None or row.purged_at is not None:
        raise DocumentNotArchived(f"arşivde böyle bir belge yok: {entry_id}")
    return entry_from_row(row)


def get_document(
    integrator: ArchiveHost, caller: Caller, entry_id: int
) -> tuple[ArchiveEntry, bytes]:
    """The entry and its exact bytes (verified against the SHA-256)."""
    caller.require(Permission.READ)
    with integrator.db.transaction(read_only=True) as conn:
        entry = get_entry(conn, caller, entry_id)
        return entry, integrator.archive.get(conn, entry.ref)


@dataclass(frozen=True, slots=True)
class Rendered:
    """A document in one format, with the media type and a download file name."""

    data: bytes
    media_type: str
    file_name: str


def render_document(
    integrator: ArchiveHost,
    caller: Caller,
    entry_id: int,
    fmt: Format = "xml",
    *,
    stylesheet: Literal["auto", "own", "embedded"] = "auto",
) -> Rendered:
    """The caller's document as XML (byte for byte), HTML or PDF.

    ``stylesheet``: ``embedded`` = the document's own XSLT (sandboxed), ``own`` = ours,
    ``auto`` = its own when usable, else ours.
    """
    entry, data = get_document(integrator, caller, entry_id)
    base = entry.meta.number or entry.meta.ettn or entry.ref.sha256[:16]
    if fmt == "xml":
        return Rendered(data, _MEDIA_TYPES["xml"], f"{base}.xml")
    if fmt == "html":
        return Rendered(render_html(data, stylesheet=stylesheet), _MEDIA_TYPES["html"],
                        f"{base}.html")
    if fmt == "pdf":
        return Rendered(render_pdf(data, stylesheet=stylesheet), _MEDIA_TYPES["pdf"],
                        f"{base}.pdf")
    raise ValueError(f"bilinmeyen biçim: {fmt!r} (xml, html, pdf)")


# -- export and import -----------------------------------------------------------------------


def export_documents(
    integrator: ArchiveHost,
    caller: Caller,
    query: ArchiveQuery,
    out: IO[bytes],
    *,
    include_pdf: bool = True,
    progress: Callable[[ExportProgress], None] | None = None,
) -> ExportSummary:
    """Stream the caller's matching documents into ``out`` as a zip (XML, PDF, CSV index)."""
    caller.require(Permission.READ)
    summary = export_zip(
        integrator.db,
        integrator.archive,
        caller.tenant_id,
        query,
        out,
        include_pdf=include_pdf,
        progress=progress,
    )
    with integrator.db.transaction() as conn:
        audit.record(
            conn,
            caller.actor,
            "archive.exported",
            tenant_id=caller.tenant_id,
            object_type="archive",
            details={"documents": summary.documents, "pdf_failures": summary.pdf_failures},
            clock=integrator.clock,
        )
    return summary


def import_documents(
    integrator: ArchiveHost,
    caller: Caller,
    source: Path,
    *,
    schematron: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import a folder or zip of UBL-TR XML files into the caller's archive (MANAGE)."""
    caller.require(Permission.MANAGE)
    vkn = _taxpayer_vkn(integrator, caller)
    return import_path(
        integrator.db,
        integrator.archive,
        source,
        tenant_id=caller.tenant_id,
        taxpayer_vkn=vkn,
        actor=caller.actor,
        schematron=schematron,
        progress=progress,
    )


def _taxpayer_vkn(integrator: ArchiveHost, caller: Caller) -> str:
    with integrator.db.transaction(read_only=True) as conn:
        vkn = conn.execute(
            select(taxpayers.c.vkn_tckn).where(taxpayers.c.id == caller.tenant_id)
        ).scalar_one_or_none()
    if vkn is None:
        raise NotFound(f"mükellef bulunamadı: {caller.tenant_id}")
    return str(vkn)


# -- upkeep ----------------------------------------------------------------------------------


def run_maintenance(integrator: ArchiveHost) -> MaintenanceReport:
    """Seal finished days, prepare partitions, train dictionaries, remove orphan files."""
    return maintain(integrator.db, integrator.archive, actor=Actor.system("archive"))


def register(registry: jobs.HandlerRegistry, integrator: Integrator) -> None:
    """Add ``archive.maintain``: run the upkeep, then again after an hour."""

    def run(ctx: jobs.JobContext) -> None:
        run_maintenance(integrator)
        ctx.reschedule(delay=3600.0)

    registry.register(
        MAINTAIN_JOB,
        run,
        retry=jobs.RetryPolicy(max_attempts=50, base_delay=60.0, max_delay=3600.0),
    )


def ensure_maintenance_scheduled(conn: Connection, integrator: Integrator) -> int:
    """Make sure the recurring ``archive.maintain`` job exists (idempotent); its id."""
    job_id = jobs.enqueue(conn, MAINTAIN_JOB, {}, dedupe_key=MAINTAIN_JOB, clock=integrator.clock)
    jobs.retry_dead(conn, job_id, clock=integrator.clock)
    return job_id
