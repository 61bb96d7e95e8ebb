"""``/api/v1/webhooks``: subscribe URLs to events, read the delivery log, ping, redeliver.

Creating a subscription (or rotating its secret) returns the signing secret once. Payloads
are signed ``Entegrator-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>``;
verify with :func:`entegrator.client.verify_webhook` or any HMAC library (see
:mod:`entegrator.core.webhooks`). Managing subscriptions needs the ``admin`` role.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from entegrator.api.rest.context import PathId, RestContext, call
from entegrator.api.rest.invoices import ERRORS
from entegrator.core import webhooks
from entegrator.core.context import Caller
from entegrator.core.webhooks import Delivery, DeliveryState, NewWebhook, Webhook

__all__ = ["webhooks_router"]

EventName = Literal[tuple(e.value for e in webhooks.SUBSCRIBABLE)]  # type: ignore[valid-type]


class WebhookCreate(BaseModel):
    """A new subscription."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000, examples=["https://erp.example.com/hook"])
    events: list[EventName] = Field(min_length=1, max_length=10)  # type: ignore[valid-type]
    description: str | None = Field(None, max_length=200)


class WebhookUpdate(BaseModel):
    """Changes to a subscription (absent fields stay)."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(None, min_length=8, max_length=2000)
    events: list[EventName] | None = Field(None, min_length=1, max_length=10)  # type: ignore[valid-type]
    description: str | None = Field(None, max_length=200)
    active: bool | None = None


class WebhookModel(BaseModel):
    """A subscription."""

    id: int
    url: str
    events: list[str]
    description: str | None
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @classmethod
    def of(cls, hook: Webhook) -> WebhookModel:
        """From core's subscription."""
        return cls(id=hook.id, url=hook.url, events=[e.value for e in hook.events],
                   description=hook.description, active=hook.active,
                   created_at=hook.created_at, updated_at=hook.updated_at)


class WebhookSecret(WebhookModel):
    """A subscription with its signing secret (shown only now)."""

    secret: str

    @classmethod
    def made(cls, new: NewWebhook) -> WebhookSecret:
        """From core's new subscription."""
        return cls(**WebhookModel.of(new.webhook).model_dump(), secret=new.secret.reveal())


class AttemptModel(BaseModel):
    """One delivery attempt."""

    at: str
    status: int | None
    error: str | None
    ms: int | None


class DeliveryModel(BaseModel):
    """One event sent to the subscription, and how its delivery went."""

    id: int
    event_id: str
    event_type: str
    document_id: int | None
    state: Literal["pending", "succeeded", "failed"]
    attempts: int
    last_status_code: int | None
    last_error: str | None
    attempt_log: list[AttemptModel]
    payload: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    delivered_at: dt.datetime | None

    @classmethod
    def of(cls, d: Delivery) -> DeliveryModel:
        """From core's delivery."""
        return cls(id=d.id, event_id=d.event_id, event_type=d.event_type,
                   document_id=d.document_id, state=d.state.value, attempts=d.attempts,
                   last_status_code=d.last_status_code, last_error=d.last_error,
                   attempt_log=[AttemptModel(**{k: a.get(k) for k in ("at", "status", "error",
                                                                       "ms")})
                                for a in d.attempt_log],
                   payload=d.payload, created_at=d.created_at, updated_at=d.updated_at,
                   delivered_at=d.delivered_at)


class DeliveryPageModel(BaseModel):
    """A page of the delivery log, newest first."""

    items: list[DeliveryModel]
    next_cursor: str | None


def webhooks_router(ctx: RestContext) -> APIRouter:
    """The webhook routes over ``ctx``."""
    router = APIRouter(prefix="/webhooks", tags=["webhook"], responses=ERRORS)
    integrator = ctx.integrator
    auth = Depends(ctx.authenticator)

    @router.post("", status_code=201, response_model=WebhookSecret,
                 summary="Olaylar için adres kaydet (gizli anahtar yalnız şimdi gösterilir)")
    async def create(body: WebhookCreate, caller: Caller = auth) -> WebhookSecret:
        made = await call(webhooks.create_webhook, integrator, caller, body.url, body.events,
                          description=body.description)
        return WebhookSecret.made(made)

    @router.get("", response_model=list[WebhookModel], summary="Kayıtlı webhook'lar")
    async def list_all(caller: Caller = auth) -> list[WebhookModel]:
        return [WebhookModel.of(h) for h in await call(webhooks.list_webhooks, integrator,
                                                       caller)]

    @router.get("/{webhook_id}", response_model=WebhookModel, summary="Bir webhook")
    async def get(webhook_id: PathId, caller: Caller = auth) -> WebhookModel:
        return WebhookModel.of(await call(webhooks.get_webhook, integrator, caller, webhook_id))

    @router.patch("/{webhook_id}", response_model=WebhookModel, summary="Webhook'u değiştir")
    async def update(webhook_id: PathId, body: WebhookUpdate,
                     caller: Caller = auth) -> WebhookModel:
        changes: dict[str, Any] = {k: getattr(body, k) for k in ("url", "events", "active")
                                   if getattr(body, k) is not None}
        if "description" in body.model_fields_set:
            changes["description"] = body.description
        hook = await call(webhooks.update_webhook, integrator, caller, webhook_id, **changes)
        return WebhookModel.of(hook)

    @router.delete("/{webhook_id}", status_code=204, response_class=Response,
                   summary="Webhook'u sil (gönderim kaydı kalır)")
    async def delete(webhook_id: PathId, caller: Caller = auth) -> Response:
        await call(webhooks.delete_webhook, integrator, caller, webhook_id)
        return Response(status_code=204)

    @router.post("/{webhook_id}/secret", response_model=WebhookSecret,
                 summary="Yeni gizli anahtar üret (eskisi hemen geçersiz)")
    async def rotate(webhook_id: PathId, caller: Caller = auth) -> WebhookSecret:
        return WebhookSecret.made(await call(webhooks.rotate_secret, integrator, caller,
                                             webhook_id))

    @router.post("/{webhook_id}/ping", status_code=202, response_model=DeliveryModel,
                 summary="Deneme olayı gönder")
    async def ping(webhook_id: PathId, caller: Caller = auth) -> DeliveryModel:
        return DeliveryModel.of(await call(webhooks.ping, integrator, caller, webhook_id))

    @router.get("/{webhook_id}/deliveries", response_model=DeliveryPageModel,
                summary="Gönderim kaydı (en yeni önce)")
    async def deliveries(
        webhook_id: PathId, caller: Caller = auth,
        state: Literal["pending", "succeeded", "failed"] | None = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        cursor: Annotated[str | None, Query(max_length=100)] = None,
    ) -> DeliveryPageModel:
        page = await call(webhooks.list_deliveries, integrator, caller, webhook_id,
                          limit=limit, cursor=cursor,
                          state=DeliveryState(state) if state else None)
        return DeliveryPageModel(items=[DeliveryModel.of(d) for d in page.items],
                                 next_cursor=page.next_cursor)

    @router.get("/{webhook_id}/deliveries/{delivery_id}", response_model=DeliveryModel,
                summary="Bir gönderim")
    async def delivery(webhook_id: PathId, delivery_id: PathId,
                       caller: Caller = auth) -> DeliveryModel:
        return DeliveryModel.of(await call(webhooks.get_delivery, integrator, caller,
                                           webhook_id, delivery_id))

    @router.post("/{webhook_id}/deliveries/{delivery_id}/redeliver", status_code=202,
                 response_model=DeliveryModel, summary="Gönderimi yeniden dene")
    async def redeliver(webhook_id: PathId, delivery_id: PathId,
                        caller: Caller = auth) -> DeliveryModel:
        return DeliveryModel.of(await call(webhooks.redeliver, integrator, caller, webhook_id,
                                           delivery_id))

    return router
