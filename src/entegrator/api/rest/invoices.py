"""``/api/v1/invoices``: send (one or a batch), list and search, read in four formats, status
history, KABUL/RED, return invoices, read flags, resend.

Each route authenticates (:mod:`.auth`), then calls one core service with the caller —
core checks the role and keeps to the caller's taxpayer: another taxpayer's document is 404
exactly like one that does not exist. Sending answers ``202 Accepted`` (the invoice is queued;
numbering, signing and sending happen in jobs) and ``200`` for an idempotent replay.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse

from entegrator.api.rest.context import DocumentRef, RestContext, call, document_id
from entegrator.api.rest.models import (
    BatchResult,
    DocumentModel,
    DocumentPage,
    HistoryItem,
    InvoiceQuery,
    MarkRequest,
    MarkResult,
    ReadFlag,
    RespondRequest,
    ResponseModel,
    ReturnRequest,
    SubmitModel,
)
from entegrator.api.rest.negotiation import MEDIA_TYPES, Format, choose, document_responses
from entegrator.api.rest.problems import Problem
from entegrator.api.rest.sending import (
    batch_requests,
    idempotency_key,
    openapi_body,
    single_request,
)
from entegrator.core import documents, outbound, responses, returns
from entegrator.core.context import Caller
from entegrator.core.documents import DocumentFilter
from entegrator.core.outbound import SubmitResult
from entegrator.core.states import Direction, DocumentState

__all__ = ["invoices_router", "submit_response"]

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": Problem, "description": text} for code, text in (
        (400, "Geçersiz istek"), (401, "Kimlik doğrulanamadı"), (403, "Yetki yok"),
        (404, "Bulunamadı"), (409, "Durum uygun değil / mükerrer"),
        (413, "İstek gövdesi çok büyük"), (422, "Doğrulama hatası"), (429, "İstek sınırı"),
        (503, "Geçici olarak hizmet verilemiyor"))
}


def submit_response(result: SubmitModel | BatchResult, *, replayed: bool, created: bool = False,
                    location: str | None = None) -> Response:
    """``202``/``201`` for new work (``Location`` set), ``200`` for an idempotent replay."""
    status = 200 if replayed else (201 if created else 202)
    headers = {"Location": location} if location and not replayed else {}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return JSONResponse(result.model_dump(mode="json"), status_code=status, headers=headers)


def invoices_router(ctx: RestContext) -> APIRouter:
    """The invoice routes over ``ctx``."""
    router = APIRouter(prefix="/invoices", tags=["faturalar"], responses=ERRORS)
    integrator = ctx.integrator
    auth = Depends(ctx.authenticator)

    @router.post("", status_code=202, response_model=SubmitModel,
                 summary="Fatura gönder (JSON modeli ya da UBL-TR XML)",
                 openapi_extra=openapi_body("SendItem", xml=True),
                 responses={200: {"model": SubmitModel, "description": "Tekrar (Idempotency)"}})
    async def send(request: Request, caller: Caller = auth) -> Response:
        key = idempotency_key(request)
        item, draft = await single_request(request, key=key)
        result: SubmitResult = await call(
            outbound.submit, integrator, caller, item.source, series=item.series,
            receiver_alias=item.receiver_alias, draft=draft, idempotency_key=item.idempotency_key,
            client_reference=item.client_reference, channel="api")
        return submit_response(SubmitModel.of(result), replayed=result.replayed,
                               created=draft, location=f"/api/v1/invoices/{result.document_id}")

    @router.post("/batch", status_code=202, response_model=BatchResult,
                 summary="En fazla 100 faturayı birlikte gönder (hepsi ya da hiçbiri)",
                 openapi_extra=openapi_body("BatchRequest", xml=False),
                 responses={200: {"model": BatchResult, "description": "Tekrar (Idempotency)"}})
    async def send_batch(request: Request, caller: Caller = auth) -> Response:
        items, draft = await batch_requests(request, key=idempotency_key(request))
        results = await call(outbound.submit_many, integrator, caller, items, draft=draft,
                             channel="api")
        body = BatchResult(items=[SubmitModel.of(r) for r in results])
        return submit_response(body, replayed=all(r.replayed for r in results), created=draft)

    @router.get("", response_model=DocumentPage, summary="Faturaları listele ve ara")
    async def list_invoices(query: Annotated[InvoiceQuery, Query()],
                            caller: Caller = auth) -> DocumentPage:
        q = query
        filters = DocumentFilter(
            direction=Direction(q.direction) if q.direction else None,
            states=frozenset(DocumentState(s) for s in q.state) if q.state else None,
            date_from=q.date_from, date_to=q.date_to, date_type=q.date_type,
            counterpart=q.counterpart, number=q.number, ettn=q.ettn, profile=q.profile,
            invoice_type=q.invoice_type, sender_alias=q.sender_alias,
            receiver_alias=q.receiver_alias, unread=q.unread)
        page = await call(documents.list_documents, integrator, caller, filters,
                          limit=q.limit, cursor=q.cursor, order=q.order)
        return DocumentPage(items=[DocumentModel.of(v) for v in page.items],
                            next_cursor=page.next_cursor)

    @router.post("/mark", response_model=MarkResult,
                 summary="Okundu / okunmadı işaretle (birden çok belge)")
    async def mark_many(body: MarkRequest, caller: Caller = auth) -> MarkResult:
        changed = await call(documents.mark, integrator, caller, body.ids, read=body.read)
        return MarkResult(changed=changed)

    @router.get("/{ref}", summary="Bir fatura: JSON, XML, HTML ya da PDF",
                responses=document_responses(DocumentModel, "Fatura"))
    async def get_invoice(
        ref: DocumentRef, request: Request, caller: Caller = auth,
        format: Annotated[Format | None, Query(description="Accept yerine biçim")] = None,
    ) -> Response:
        doc_id = await document_id(integrator, caller, ref)
        kind = choose(request, format)
        if kind == "json":
            view = await call(documents.get_document, integrator, caller, doc_id)
            return JSONResponse(DocumentModel.of(view).model_dump(mode="json"))
        produce = {"xml": documents.document_xml, "html": documents.document_html,
                   "pdf": documents.document_pdf}[kind]
        data = await call(produce, integrator, caller, doc_id)
        return Response(data, media_type=MEDIA_TYPES[kind])

    @router.get("/{ref}/history", response_model=list[HistoryItem],
                summary="Durum geçmişi")
    async def get_history(ref: DocumentRef, caller: Caller = auth) -> list[HistoryItem]:
        doc_id = await document_id(integrator, caller, ref)
        entries = await call(documents.history, integrator, caller, doc_id)
        return [HistoryItem.of(e) for e in entries]

    @router.post("/{ref}/response", status_code=202, response_model=ResponseModel,
                 summary="Ticari faturaya KABUL ya da RED yanıtı ver")
    async def respond(ref: DocumentRef, body: RespondRequest,
                      caller: Caller = auth) -> ResponseModel:
        doc_id = await document_id(integrator, caller, ref)
        result = await call(responses.respond, integrator, caller, doc_id, body.code,
                            body.reason)
        return ResponseModel.of(result)

    @router.post("/{ref}/return", status_code=201, response_model=SubmitModel,
                 summary="Gelen faturadan iade faturası taslağı oluştur")
    async def create_return(ref: DocumentRef, body: ReturnRequest,
                            caller: Caller = auth) -> Response:
        doc_id = await document_id(integrator, caller, ref)
        lines = None if body.lines is None else [
            returns.ReturnLine(line.line_id, line.quantity) for line in body.lines]
        result = await call(returns.create_return, integrator, caller, doc_id, lines,
                            issue_date=body.issue_date, note=body.note)
        return submit_response(SubmitModel.of(result), replayed=False, created=True,
                               location=f"/api/v1/drafts/{result.document_id}")

    @router.put("/{ref}/read", response_model=MarkResult, summary="Okundu bilgisini ayarla")
    async def set_read(ref: DocumentRef, body: ReadFlag, caller: Caller = auth) -> MarkResult:
        doc_id = await document_id(integrator, caller, ref)
        changed = await call(documents.mark, integrator, caller, [doc_id], read=body.read)
        return MarkResult(changed=changed)

    @router.post("/{ref}/resend", status_code=202, response_model=SubmitModel,
                 summary="Gönderimi başarısız faturayı yeniden gönder")
    async def resend(ref: DocumentRef, caller: Caller = auth) -> SubmitModel:
        doc_id = await document_id(integrator, caller, ref)
        return SubmitModel.of(await call(outbound.resend, integrator, caller, doc_id))

    return router
