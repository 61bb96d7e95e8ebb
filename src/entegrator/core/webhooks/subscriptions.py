"""A taxpayer's webhook subscriptions and their delivery log: create, change, read, retry.

Every function takes ``(integrator, caller, …)`` and works inside the caller's
:class:`~entegrator.store.tenancy.TenantScope`: another taxpayer's subscription or delivery
is :class:`~entegrator.errors.NotFound`. Changing subscriptions needs ``MANAGE`` (a webhook
decides where the taxpayer's events go); reading them and their log needs ``READ``. The
secret is generated here (32 random bytes) and returned once, on creation and rotation.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func

from entegrator.core.context import Caller
from entegrator.core.permissions import Permission
from entegrator.core.webhooks.destinations import check_url
from entegrator.core.webhooks.model import (
    SUBSCRIBABLE,
    Delivery,
    DeliveryPage,
    DeliveryState,
    EventType,
    NewWebhook,
    Webhook,
    WebhookSettings,
)
from entegrator.errors import DocumentError, NotFound
from entegrator.store import audit
from entegrator.store.domain import webhook_deliveries, webhooks
from entegrator.store.tenancy import TenantScope
from entegrator.types import Secret

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = [
    "create_webhook",
    "delete_webhook",
    "get_delivery",
    "get_webhook",
    "list_deliveries",
    "list_webhooks",
    "rotate_secret",
    "update_webhook",
    "webhook_settings",
]

_w = webhooks.c
_dl = webhook_deliveries.c
_UNSET: Any = object()
MAX_LOG_PAGE = 200


def webhook_settings(integrator: Integrator) -> WebhookSettings:
    """The installation's webhook settings (defaults when the configuration has none)."""
    settings = getattr(integrator.config, "webhooks", None)
    return settings if isinstance(settings, WebhookSettings) else WebhookSettings()


def create_webhook(
    integrator: Integrator, caller: Caller, url: str, events: Iterable[str], *,
    description: str | None = None,
) -> NewWebhook:
    """Subscribe ``url`` to ``events``; the secret is returned once."""
    caller.require(Permission.MANAGE)
    settings = webhook_settings(integrator)
    url = check_url(url, settings)
    chosen = _events(events)
    secret = _new_secret()
    now = integrator.clock.now()
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        count = scope.execute(scope.select(webhooks, func.count())
                              .where(_w.deleted_at.is_(None))).scalar_one()
        if count >= settings.max_per_taxpayer:
            raise DocumentError(
                f"En fazla {settings.max_per_taxpayer} webhook tanımlanabilir")
        row_id = scope.execute(scope.insert(webhooks).values(
            url=url, events=[e.value for e in chosen], secret=secret.reveal(),
            description=_clip(description), active=True, created_at=now, updated_at=now,
        ).returning(_w.id)).scalar_one()
        audit.record(conn, caller.actor, "webhook.create", tenant_id=caller.tenant_id,
                     object_type="webhook", object_id=row_id,
                     details={"url": url, "events": [e.value for e in chosen]},
                     clock=integrator.clock)
        return NewWebhook(_webhook(_row(scope, row_id)), secret)


def list_webhooks(integrator: Integrator, caller: Caller) -> list[Webhook]:
    """The caller's subscriptions, oldest first."""
    caller.require(Permission.READ)
    with integrator.db.transaction(read_only=True) as conn:
        scope = caller.scope(conn)
        rows = scope.execute(scope.select(webhooks).where(_w.deleted_at.is_(None))
                             .order_by(_w.id)).all()
    return [_webhook(r) for r in rows]


def get_webhook(integrator: Integrator, caller: Caller, webhook_id: int) -> Webhook:
    """The caller's subscription ``webhook_id``."""
    caller.require(Permission.READ)
    with integrator.db.transaction(read_only=True) as conn:
        return _webhook(_row(caller.scope(conn), webhook_id))


def update_webhook(
    integrator: Integrator, caller: Caller, webhook_id: int, *, url: str | None = None,
    events: Iterable[str] | None = None, description: str | None = _UNSET,
    active: bool | None = None,
) -> Webhook:
    """Change what is given (None = keep; ``description=None`` clears it)."""
    caller.require(Permission.MANAGE)
    values: dict[str, Any] = {}
    if url is not None:
        values["url"] = check_url(url, webhook_settings(integrator))
    if events is not None:
        values["events"] = [e.value for e in _events(events)]
    if description is not _UNSET:
        values["description"] = _clip(description)
    if active is not None:
        values["active"] = bool(active)
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        _row(scope, webhook_id)
        if values:
            values["updated_at"] = integrator.clock.now()
            scope.execute(scope.update(webhooks).where(_w.id == webhook_id).values(values))
            audit.record(conn, caller.actor, "webhook.update", tenant_id=caller.tenant_id,
                         object_type="webhook", object_id=webhook_id,
                         details={k: v for k, v in values.items() if k != "updated_at"},
                         clock=integrator.clock)
        return _webhook(_row(scope, webhook_id))


def rotate_secret(integrator: Integrator, caller: Caller, webhook_id: int) -> NewWebhook:
    """Give the subscription a new secret (returned once); the old one stops at once."""
    caller.require(Permission.MANAGE)
    secret = _new_secret()
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        _row(scope, webhook_id)
        scope.execute(scope.update(webhooks).where(_w.id == webhook_id).values(
            secret=secret.reveal(), updated_at=integrator.clock.now()))
        audit.record(conn, caller.actor, "webhook.rotate_secret", tenant_id=caller.tenant_id,
                     object_type="webhook", object_id=webhook_id, clock=integrator.clock)
        return NewWebhook(_webhook(_row(scope, webhook_id)), secret)


def delete_webhook(integrator: Integrator, caller: Caller, webhook_id: int) -> None:
    """End the subscription; its delivery log stays readable through the audit trail."""
    caller.require(Permission.MANAGE)
    now = integrator.clock.now()
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        _row(scope, webhook_id)
        scope.execute(scope.update(webhooks).where(_w.id == webhook_id)
                      .values(deleted_at=now, active=False, updated_at=now))
        audit.record(conn, caller.actor, "webhook.delete", tenant_id=caller.tenant_id,
                     object_type="webhook", object_id=webhook_id, clock=integrator.clock)


def list_deliveries(
    integrator: Integrator, caller: Caller, webhook_id: int, *, limit: int = 50,
    cursor: str | None = None, state: DeliveryState | None = None,
) -> DeliveryPage:
    """The subscription's deliveries, newest first, a page at a time."""
    caller.require(Permission.READ)
    if not 1 <= limit <= MAX_LOG_PAGE:
        raise DocumentError(f"Sayfa boyu 1 ile {MAX_LOG_PAGE} arasında olmalı: {limit}")
    with integrator.db.transaction(read_only=True) as conn:
        scope = caller.scope(conn)
        _row(scope, webhook_id)
        stmt = scope.select(webhook_deliveries).where(_dl.webhook_id == webhook_id)
        if state is not None:
            stmt = stmt.where(_dl.state == DeliveryState(state).value)
        if cursor is not None:
            stmt = stmt.where(_dl.id < _decode(cursor))
        rows = scope.execute(stmt.order_by(_dl.id.desc()).limit(limit + 1)).all()
    items = tuple(delivery_from_row(r) for r in rows[:limit])
    more = len(rows) > limit and items
    return DeliveryPage(items, _encode(items[-1].id) if more else None)


def get_delivery(integrator: Integrator, caller: Caller, webhook_id: int,
                 delivery_id: int) -> Delivery:
    """One delivery of the caller's subscription ``webhook_id``."""
    caller.require(Permission.READ)
    with integrator.db.transaction(read_only=True) as conn:
        return delivery_row(caller.scope(conn), webhook_id, delivery_id)


def delivery_row(scope: TenantScope, webhook_id: int, delivery_id: int) -> Delivery:
    """The delivery ``delivery_id`` of ``webhook_id`` in ``scope`` (NotFound otherwise)."""
    row = scope.execute(scope.select(webhook_deliveries).where(
        _dl.id == delivery_id, _dl.webhook_id == webhook_id)).first()
    if row is None:
        raise NotFound(f"Webhook gönderimi bulunamadı: {delivery_id}")
    return delivery_from_row(row)


def delivery_from_row(row: Any) -> Delivery:
    """A :class:`Delivery` from a ``webhook_deliveries`` row."""
    return Delivery(
        id=row.id, webhook_id=row.webhook_id, event_id=row.event_id,
        event_type=row.event_type, document_id=row.document_id,
        state=DeliveryState(row.state), attempts=row.attempts,
        last_status_code=row.last_status_code, last_error=row.last_error,
        attempt_log=tuple(row.attempt_log or ()), payload=dict(row.payload),
        created_at=row.created_at, updated_at=row.updated_at, delivered_at=row.delivered_at,
    )


def live_row(conn: Connection, tenant_id: int, webhook_id: int) -> Any:
    """The subscription row (not deleted) of ``tenant_id``; NotFound otherwise."""
    return _row(TenantScope(conn, tenant_id), webhook_id)


def _row(scope: TenantScope, webhook_id: int) -> Any:
    row = scope.execute(scope.select(webhooks).where(
        _w.id == webhook_id, _w.deleted_at.is_(None))).first()
    if row is None:
        raise NotFound(f"Webhook bulunamadı: {webhook_id}")
    return row


def _webhook(row: Any) -> Webhook:
    known = {e.value for e in EventType}
    return Webhook(
        id=row.id, url=row.url,
        events=tuple(EventType(e) for e in row.events if e in known),
        description=row.description, active=bool(row.active),
        created_at=row.created_at, updated_at=row.updated_at,
    )


def _events(events: Iterable[str]) -> tuple[EventType, ...]:
    chosen: list[EventType] = []
    for name in events:
        try:
            event = EventType(str(name).strip())
        except ValueError as exc:
            raise DocumentError(f"Bilinmeyen olay türü: {name!r}") from exc
        if event not in SUBSCRIBABLE:
            raise DocumentError(f"Bu olay türüne abone olunamaz: {event.value}")
        if event not in chosen:
            chosen.append(event)
    if not chosen:
        raise DocumentError("En az bir olay türü seçilmeli")
    return tuple(chosen)


def _new_secret() -> Secret:
    return Secret("whsec_" + secrets.token_urlsafe(32))


def _clip(text: str | None) -> str | None:
    value = (text or "").strip()
    return value[:200] or None


def _encode(row_id: int) -> str:
    return base64.urlsafe_b64encode(str(row_id).encode()).decode("ascii").rstrip("=")


def _decode(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
        if not raw.isdigit():
            raise ValueError(cursor)
        return int(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise DocumentError("Geçersiz sayfa imleci (cursor)") from exc
