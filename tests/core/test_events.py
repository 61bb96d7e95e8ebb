"""The event hook: sinks are called inside the transaction of the change, so what they record
commits or rolls back with it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, select

from entegrator.core.events import (
    NULL_SINK,
    Event,
    FanOut,
    InvoiceReceived,
    StatusChanged,
)
from entegrator.core.responses import respond
from entegrator.core.states import Direction, DocumentState
from entegrator.core.wiring import Integrator
from entegrator.signing import Seal
from entegrator.store.jobs import enqueue, jobs
from tests.core.inbound.support import (
    Recorder,
    deliver,
    envelope_zip,
    invoice_bytes,
    mailbox,
    run_jobs,
    seal_for,
)
from tests.core.support import SUPPLIER, CorePki, SeededTaxpayer

_EVENT = StatusChanged(1, 2, Direction.IN, None, DocumentState.RECEIVED)


class WebhookOutbox:
    """What a face would plug in: one durable delivery job per event, in the caller's tx."""

    def __init__(self, integrator: Integrator) -> None:
        self.integrator = integrator

    def publish(self, conn: Connection, event: Event) -> None:
        enqueue(conn, "webhook.deliver", {"event": type(event).__name__,
                                          "document_id": event.document_id},
                clock=self.integrator.clock)


class Exploding:
    def publish(self, conn: Connection, event: Event) -> None:
        raise RuntimeError("sink down")


@pytest.fixture(scope="module")
def supplier_seal(core_pki: CorePki) -> Seal:
    return seal_for(core_pki, SUPPLIER.vkn, SUPPLIER.title)


def _webhooks(integrator: Integrator) -> list[dict[str, Any]]:
    with integrator.db.transaction(read_only=True) as conn:
        return list(conn.execute(select(jobs.c.payload).where(
            jobs.c.kind == "webhook.deliver").order_by(jobs.c.id)).scalars())


def test_fan_out_passes_every_event_to_every_sink_in_order() -> None:
    first, second = Recorder(), Recorder()

    FanOut([first, NULL_SINK, second]).publish(None, _EVENT)  # type: ignore[arg-type]

    assert first.events == second.events == [_EVENT]


def test_a_sink_records_durable_deliveries_with_the_change(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    integrator.events = WebhookOutbox(integrator)
    deliver(integrator, envelope_zip([invoice_bytes(seal=supplier_seal)]))
    run_jobs(integrator)
    (doc,) = mailbox(integrator, customer.id)

    respond(integrator, customer.caller, doc.id, "KABUL")

    assert _webhooks(integrator) == [
        {"event": InvoiceReceived.__name__, "document_id": doc.id},
        {"event": StatusChanged.__name__, "document_id": doc.id},
    ]


def test_a_failing_sink_rolls_the_change_back(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    deliver(integrator, envelope_zip([invoice_bytes(seal=supplier_seal)]))
    run_jobs(integrator)
    (doc,) = mailbox(integrator, customer.id)
    integrator.events = Exploding()

    with pytest.raises(RuntimeError):
        respond(integrator, customer.caller, doc.id, "KABUL")

    assert mailbox(integrator, customer.id)[0].state == (
        DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE.value)
