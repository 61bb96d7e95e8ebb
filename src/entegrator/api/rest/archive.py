"""``/api/v1/archive``: search the taxpayer's 10-year archive, read a document in any format,
export a selection as a zip (XML files, optional PDFs, a CSV index; :mod:`entegrator.core.archive`).

An export runs while the request waits, into a temporary file streamed back; it is capped at
:data:`MAX_EXPORT` documents (narrow the dates for more). Larger exports belong to the
operator's ``entegrator archive export`` command.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Final, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.background import BackgroundTask

from entegrator.api.rest.context import PathId, RestContext, call
from entegrator.api.rest.invoices import ERRORS
from entegrator.api.rest.negotiation import Format, choose, document_responses
from entegrator.core import archive
from entegrator.core.context import Caller
from entegrator.core.permissions import Permission
from entegrator.errors import DocumentError
from entegrator.store.archive import ArchiveEntry
from entegrator.store.archive.model import ArchiveKind
from entegrator.store.archive.search import ArchiveQuery, count

__all__ = ["archive_router"]

#: Most documents one REST export may hold.
MAX_EXPORT: Final = 5000


class ArchiveFilter(BaseModel):
    """Archive search filters (Saklama Kılavuzu §3: party, VKN/TCKN, year, number …)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["invoice", "application_response", "system_response", "envelope"] | None = None
    direction: Literal["IN", "OUT"] | None = None
    counterpart_vkn_tckn: str | None = Field(None, max_length=11)
    title: str | None = Field(None, max_length=200, description="Karşı taraf unvanı (kelime başı)")
    number: str | None = Field(None, max_length=16)
    ettn: str | None = Field(None, max_length=36)
    envelope_uuid: str | None = Field(None, max_length=36)
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    received_from: dt.datetime | None = None
    received_to: dt.datetime | None = None
    profile: str | None = Field(None, max_length=40)
    invoice_type: str | None = Field(None, max_length=40)
    status: str | None = Field(None, max_length=64)
    currency: str | None = Field(None, max_length=3)
    amount_min: Decimal | None = Field(None, ge=0, le=Decimal("1e15"))
    amount_max: Decimal | None = Field(None, ge=0, le=Decimal("1e15"))

    def query(self) -> ArchiveQuery:
        """Core's query."""
        values = self.model_dump(include=set(ArchiveFilter.model_fields), exclude_none=True)
        if "kind" in values:
            values["kind"] = ArchiveKind(values["kind"])
        return ArchiveQuery(**values)


class ArchiveSearch(ArchiveFilter):
    """Filters plus paging."""

    limit: int = Field(50, ge=1, le=500)
    cursor: str | None = Field(None, max_length=200)


class ExportRequest(ArchiveFilter):
    """What to export and whether to add a PDF of each invoice."""

    include_pdf: bool = False


class ArchiveEntryModel(BaseModel):
    """One archived document and its index facts."""

    id: int
    sha256: str
    kind: str
    direction: str
    size: int
    archived_at: dt.datetime
    retain_until: dt.date
    ettn: str | None
    number: str | None
    envelope_uuid: str | None
    issue_date: dt.date | None
    received_at: dt.datetime | None
    counterpart_vkn_tckn: str | None
    counterpart_name: str | None
    profile: str | None
    invoice_type: str | None
    status: str | None
    payable_amount: Decimal | None
    currency: str | None

    @classmethod
    def of(cls, entry: ArchiveEntry) -> ArchiveEntryModel:
        """From the archive's entry."""
        m = entry.meta
        return cls(id=entry.ref.id, sha256=entry.ref.sha256, kind=entry.kind.value,
                   direction=entry.direction, size=entry.size, archived_at=entry.archived_at,
                   retain_until=entry.retain_until, ettn=m.ettn, number=m.number,
                   envelope_uuid=m.envelope_uuid, issue_date=m.issue_date,
                   received_at=m.received_at, counterpart_vkn_tckn=m.counterpart_vkn_tckn,
                   counterpart_name=m.counterpart_name, profile=m.profile,
                   invoice_type=m.invoice_type, status=m.status,
                   payable_amount=m.payable_amount, currency=m.currency)


class ArchivePage(BaseModel):
    """A page of archive entries, newest first."""

    items: list[ArchiveEntryModel]
    next_cursor: str | None


def archive_router(ctx: RestContext) -> APIRouter:
    """The archive routes over ``ctx``."""
    router = APIRouter(prefix="/archive", tags=["arşiv"], responses=ERRORS)
    integrator = ctx.integrator
    auth = Depends(ctx.authenticator)

    @router.get("", response_model=ArchivePage, summary="Arşivde ara")
    async def search(query: Annotated[ArchiveSearch, Query()],
                     caller: Caller = auth) -> ArchivePage:
        page = await call(archive.search_documents, integrator, caller, query.query(),
                          limit=query.limit, cursor=query.cursor)
        return ArchivePage(items=[ArchiveEntryModel.of(e) for e in page.entries],
                           next_cursor=page.next_cursor)

    @router.get("/{entry_id}", summary="Arşivdeki bir belge: JSON, XML, HTML ya da PDF",
                responses=document_responses(ArchiveEntryModel, "Arşiv kaydı"))
    async def read(entry_id: PathId, request: Request, caller: Caller = auth,
                   format: Annotated[Format | None, Query()] = None) -> Response:
        kind = choose(request, format)
        if kind == "json":
            def entry() -> ArchiveEntry:
                caller.require(Permission.READ)
                with integrator.db.transaction(read_only=True) as conn:
                    return archive.get_entry(conn, caller, entry_id)

            found = await call(entry)
            return JSONResponse(ArchiveEntryModel.of(found).model_dump(mode="json"))
        rendered = await call(archive.render_document, integrator, caller, entry_id, kind)
        return Response(rendered.data, media_type=rendered.media_type, headers={
            "Content-Disposition": f'inline; filename="{rendered.file_name}"'})

    @router.post("/export", summary="Seçilen belgeleri zip olarak indir",
                 responses={200: {"description": "Zip: XML, isteğe bağlı PDF, CSV dizin",
                                  "content": {"application/zip": {"schema": {
                                      "type": "string", "format": "binary"}}}}},
                 response_class=Response)
    async def export(body: ExportRequest, caller: Caller = auth) -> Response:
        query = body.query()

        def run() -> str:
            caller.require(Permission.READ)
            with integrator.db.transaction(read_only=True) as conn:
                total = count(conn, caller.tenant_id, query)
            if total > MAX_EXPORT:
                raise DocumentError(f"En fazla {MAX_EXPORT} belge dışa aktarılabilir; "
                                    f"seçim {total} belge: tarih aralığını daraltın")
            handle, path = tempfile.mkstemp(prefix="entegrator-export-", suffix=".zip")
            try:
                with os.fdopen(handle, "wb") as out:
                    archive.export_documents(integrator, caller, query, out,
                                             include_pdf=body.include_pdf)
            except BaseException:
                Path(path).unlink()
                raise
            return path

        path = await call(run)
        stamp = integrator.clock.now().strftime("%Y%m%d%H%M%S")
        return FileResponse(path, media_type="application/zip",
                            filename=f"arsiv-{stamp}.zip",
                            background=BackgroundTask(Path(path).unlink))

    return router
