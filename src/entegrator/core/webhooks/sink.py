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
from collections.abc import Sequence
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

__all__ = ["DELIVER_JOB", "WebhookSink", "describe", "enqueue_deliveries", "enqueue_delivery"]

log = logging.getLogger("entegrator.core.webhooks")

#: Job kind delivering one ``webhook_deliveries`` row.
DELIVER_JOB: Final = "webhooks.deliver"
_w = webhooks.c
_d = documents.c


class WebhookSink:
    """Records a delivery per subscribed webhook for every event (module docstring).

    :meth:`publish_many` handles a batch (core's status history publishes one per batch of
    invoices) with one subscription query per taxpayer, and nothing more when the taxpayer
    subscribed to none of the batch's event types: a pipeline of 100-invoice batches pays one
    indexed query per batch, not one per event. Subscriptions are read in the change's own
    transaction, never cached: a subscription committed before the change always hears of it.
    """

    def __init__(self, clock: Clock = SYSTEM_CLOCK) -> None:
        self._clock = clock

    def publish(self, conn: Connection, event: Event) -> None:
        """Write the deliveries of ``event`` in ``conn``'s transaction (quick, no I/O)."""
        self.publish_many(conn, [event])

    def publish_many(self, conn: Connection, events: Sequence[Event]) -> None:
        """Write the deliveries of ``events`` in ``conn``'s transaction, in order."""
        described: dict[int, list[tuple[EventType, dict[str, Any]]]] = {}
        for event in events:
            try:
                described.setdefault(event.tenant_id, []).append(describe(event))
            except (ValueError, TypeError):  # an event this version cannot describe
                log.exception("webhook: olay tanımlanamadı: %r", event)
        for tenant_id, items in described.items():
            self._deliver(TenantScope(conn, tenant_id), items)

    def _deliver(
        self, scope: TenantScope, items: list[tuple[EventType, dict[str, Any]]]
    ) -> None:
        rows = scope.execute(scope.select(webhooks, _w.id, _w.events).where(
            _w.active.is_(True), _w.deleted_at.is_(None))).all()
        if not rows:
            return
        wanted = [(item, [r.id for r in rows if item[0].value in (r.events or ())])
                  for item in items]
        wanted = [(item, targets) for item, targets in wanted if targets]
        if not wanted:
            return
        document_ids = {int(data["document_id"]) for (_, data), _ in wanted
                        if data.get("document_id") is not None}
        found = _documents(scope, document_ids)
        deliveries: list[tuple[int, EventType, dict[str, Any]]] = []
        for (kind, data), targets in wanted:
            document_id = data.get("document_id")
            if document_id is not None:
                data["document"] = found.get(int(document_id))
            deliveries.extend((webhook_id, kind, data) for webhook_id in targets)
        enqueue_deliveries(scope.conn, scope.tenant_id, deliveries, clock=self._clock)


def enqueue_delivery(
    conn: Connection, tenant_id: int, webhook_id: int, kind: EventType,
    data: dict[str, Any], *, clock: Clock = SYSTEM_CLOCK,
) -> int:
    """Write one pending delivery of ``kind`` to ``webhook_id`` and its job; the row id."""
    return enqueue_deliveries(conn, tenant_id, [(webhook_id, kind, data)], clock=clock)[0]


def enqueue_deliveries(
    conn: Connection, tenant_id: int, deliveries: Sequence[tuple[int, EventType, dict[str, Any]]],
    *, clock: Clock = SYSTEM_CLOCK,
) -> list[int]:
    """Write pending deliveries ``(webhook id, kind, data)`` and their jobs; the row ids."""
    if not deliveries:
        return []
    now = clock.now()
    rows = []
    for webhook_id, kind, data in deliveries:
        event_id = str(uuid.uuid4())
        document_id = data.get("document_id")
        rows.append({
            "webhook_id": webhook_id, "event_id": event_id, "event_type": kind.value,
            "document_id": None if document_id is None else int(document_id),
            "payload": {"id": event_id, "type": kind.value, "created_at": now.isoformat(),
                        "data": data},
            "state": DeliveryState.PENDING.value, "attempts": 0, "created_at": now,
            "updated_at": now,
        })
    scope = TenantScope(conn, tenant_id)
    ids = [int(row_id) for row_id in scope.execute(
        scope.insert(webhook_deliveries).returning(webhook_deliveries.c.id,
                                                   sort_by_parameter_order=True),
        rows).scalars()]
    jobs.enqueue_many(conn, [
        jobs.NewJob(DELIVER_JOB, {"delivery_id": delivery_id, "tenant_id": tenant_id},
                    destination=f"webhook:{row['webhook_id']}")
        for delivery_id, row in zip(ids, rows, strict=True)
    ], clock=clock)
    return ids


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


def _documents(scope: TenantScope, ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    rows = scope.execute(scope.select(documents, _d.id, _d.ettn, _d.number, _d.direction,
                                      _d.profile).where(_d.id.in_(sorted(ids)))).all()
    return {row.id: {"id": row.id, "ettn": row.ettn, "number": row.number,
                     "direction": row.direction, "profile": row.profile} for row in rows}


def _state(state: DocumentState | None) -> str | None:
    return None if state is None else DocumentState(state).value


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
