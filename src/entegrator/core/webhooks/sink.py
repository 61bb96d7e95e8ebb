"""Turning core's events into webhook deliveries, inside the transaction of the change.

:class:`WebhookSink` is the :class:`~entegrator.core.events.EventSink` the composition root
plugs into the :class:`~entegrator.core.wiring.Integrator`. For an event of a taxpayer it
finds the active subscriptions to that event type and writes, per subscription, one
``webhook_deliveries`` row and one ``webhooks.deliver`` job — in the caller's transaction,
so a change and its notifications commit (or vanish) together (core/events.py). No network
here: the job delivers.

Payload (JSON, UTF-8)::

    {"id": "<delivery uuid>", "type": "invoice.status_changed",
     "created_at": "2026-01-02T10:00:00+00:00",
     "data": {"document": {"id": 7, "ettn": "…", "number": "ABC2026000000001",
                           "direction": "OUT", "profile": "TICARIFATURA"}, …event fields…}}
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any, Final

from sqlalchemy import Connection

from entegrator.core.events import (
    Event,
    InvoiceReceived,
    ResponseDeadlineNear,
    ResponseDeadlinePassed,
    ResponseReceived,
    StatusChanged,
)
from entegrator.core.states import DocumentState
from entegrator.core.webhooks.model import DeliveryState, EventType
from entegrator.store import jobs
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.domain import documents, webhook_deliveries, webhooks
from entegrator.store.tenancy import TenantScope

__all__ = ["DELIVER_JOB", "WebhookSink", "describe", "enqueue_delivery"]

log = logging.getLogger("entegrator.core.webhooks")

#: Job kind delivering one ``webhook_deliveries`` row.
DELIVER_JOB: Final = "webhooks.deliver"
_w = webhooks.c
_d = documents.c


class WebhookSink:
    """Records a delivery per subscribed webhook for every event (module docstring)."""

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock

    def publish(self, conn: Connection, event: Event) -> None:
        """Write the deliveries of ``event`` in ``conn``'s transaction (quick, no I/O)."""
        try:
            kind, data = describe(event)
        except (ValueError, TypeError):  # an event this version cannot describe
            log.exception("webhook: olay tanımlanamadı: %r", event)
            return
        scope = TenantScope(conn, event.tenant_id)
        rows = scope.execute(scope.select(webhooks, _w.id, _w.events).where(
            _w.active.is_(True), _w.deleted_at.is_(None))).all()
        targets = [r.id for r in rows if kind.value in (r.events or ())]
        if not targets:
            return
        document_id = data.get("document_id")
        if document_id is not None:
            data["document"] = _document(scope, int(document_id))
        for webhook_id in targets:
            enqueue_delivery(conn, event.tenant_id, webhook_id, kind, data,
                             document_id=document_id, clock=self._clock)


def enqueue_delivery(
    conn: Connection, tenant_id: int, webhook_id: int, kind: EventType,
    data: dict[str, Any], *, document_id: int | None = None, clock: Clock = SYSTEM_CLOCK,
) -> int:
    """Write one pending delivery of ``kind`` to ``webhook_id`` and its job; the row id."""
    now = clock.now()
    event_id = str(uuid.uuid4())
    payload = {"id": event_id, "type": kind.value, "created_at": now.isoformat(),
               "data": data}
    scope = TenantScope(conn, tenant_id)
    delivery_id: int = scope.execute(scope.insert(webhook_deliveries).values(
        webhook_id=webhook_id, event_id=event_id, event_type=kind.value,
        document_id=document_id, payload=payload, state=DeliveryState.PENDING.value,
        attempts=0, created_at=now, updated_at=now,
    ).returning(webhook_deliveries.c.id)).scalar_one()
    jobs.enqueue(conn, DELIVER_JOB, {"delivery_id": delivery_id, "tenant_id": tenant_id},
                 destination=f"webhook:{webhook_id}", clock=clock)
    return delivery_id


def describe(event: Event) -> tuple[EventType, dict[str, Any]]:
    """The webhook event type of ``event`` and its JSON-ready fields."""
    if isinstance(event, InvoiceReceived):
        return EventType.INVOICE_RECEIVED, {
            "document_id": event.document_id, "ettn": event.ettn, "number": event.number,
            "profile": event.profile, "supplier_vkn_tckn": event.supplier_vkn_tckn,
            "response_deadline": _iso(event.response_deadline),
        }
    if isinstance(event, StatusChanged):
        return EventType.STATUS_CHANGED, {
            "document_id": event.document_id, "direction": str(event.direction),
            "old_state": _state(event.old), "new_state": _state(event.new),
            "status": event.new.status, "status_code": event.new.status_code,
            "gib_status_code": event.gib_status_code,
        }
    if isinstance(event, ResponseReceived):
        return EventType.RESPONSE_RECEIVED, {
            "document_id": event.document_id, "response_code": event.response_code,
            "description": event.description, "counted": event.counted,
        }
    if isinstance(event, ResponseDeadlineNear | ResponseDeadlinePassed):
        kind = (EventType.RESPONSE_DEADLINE_NEAR if isinstance(event, ResponseDeadlineNear)
                else EventType.RESPONSE_DEADLINE_PASSED)
        return kind, {"document_id": event.document_id, "direction": str(event.direction),
                      "deadline": _iso(event.deadline)}
    raise TypeError(f"unknown event {type(event).__name__}")


def _document(scope: TenantScope, document_id: int) -> dict[str, Any] | None:
    row = scope.execute(scope.select(documents, _d.id, _d.ettn, _d.number, _d.direction,
                                     _d.profile).where(_d.id == document_id)).first()
    if row is None:
        return None
    return {"id": row.id, "ettn": row.ettn, "number": row.number, "direction": row.direction,
            "profile": row.profile}


def _state(state: DocumentState | None) -> str | None:
    return None if state is None else DocumentState(state).value


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
