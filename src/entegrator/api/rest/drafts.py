"""``/api/v1/drafts``: invoices kept editable (İzibiz LoadInvoice / CancelDraftInvoice).

A draft is saved without GİB's checks, gets its ETTN at once and no number; ``PUT`` replaces
its content (same ETTN), ``POST …/send`` validates and queues it, ``DELETE`` cancels it.
Drafts are listed with the invoices (``GET /api/v1/invoices?state=draft``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from entegrator.api.rest.context import DocumentRef, RestContext, call, document_id
from entegrator.api.rest.invoices import ERRORS, submit_response
from entegrator.api.rest.models import SendOptions, SubmitModel
from entegrator.api.rest.sending import idempotency_key, openapi_body, single_request
from entegrator.core import outbound
from entegrator.core.context import Caller

__all__ = ["drafts_router"]


def drafts_router(ctx: RestContext) -> APIRouter:
    """The draft routes over ``ctx``."""
    router = APIRouter(prefix="/drafts", tags=["taslaklar"], responses=ERRORS)
    integrator = ctx.integrator
    auth = Depends(ctx.authenticator)

    @router.post("", status_code=201, response_model=SubmitModel, summary="Taslak kaydet",
                 openapi_extra=openapi_body("SendItem", xml=True),
                 responses={200: {"model": SubmitModel, "description": "Tekrar (Idempotency)"}})
    async def create_draft(request: Request, caller: Caller = auth) -> Response:
        item, _ = await single_request(request, key=idempotency_key(request))
        result = await call(outbound.submit, integrator, caller, item.source,
                            series=item.series, receiver_alias=item.receiver_alias, draft=True,
                            idempotency_key=item.idempotency_key,
                            client_reference=item.client_reference, channel="api")
        return submit_response(SubmitModel.of(result), replayed=result.replayed, created=True,
                               location=f"/api/v1/drafts/{result.document_id}")

    @router.put("/{ref}", response_model=SubmitModel, summary="Taslağın içeriğini değiştir",
                openapi_extra=openapi_body("SendItem", xml=True))
    async def update_draft(ref: DocumentRef, request: Request,
                           caller: Caller = auth) -> SubmitModel:
        doc_id = await document_id(integrator, caller, ref)
        item, _ = await single_request(request, key=None)
        result = await call(outbound.update_draft, integrator, caller, doc_id, item.source,
                            series=item.series, receiver_alias=item.receiver_alias)
        return SubmitModel.of(result)

    @router.post("/{ref}/send", status_code=202, response_model=SubmitModel,
                 summary="Taslağı doğrula ve gönderim sırasına al")
    async def send_draft(ref: DocumentRef, caller: Caller = auth,
                         body: SendOptions | None = None) -> SubmitModel:
        doc_id = await document_id(integrator, caller, ref)
        options = body or SendOptions()
        result = await call(outbound.send_draft, integrator, caller, doc_id,
                            series=options.series, receiver_alias=options.receiver_alias)
        return SubmitModel.of(result)

    @router.delete("/{ref}", response_model=SubmitModel, summary="Taslağı iptal et")
    async def cancel_draft(ref: DocumentRef, caller: Caller = auth) -> SubmitModel:
        doc_id = await document_id(integrator, caller, ref)
        return SubmitModel.of(await call(outbound.cancel_draft, integrator, caller, doc_id))

    return router
