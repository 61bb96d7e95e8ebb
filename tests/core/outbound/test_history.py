"""State moves: only along allowed transitions, each with a history row and an event."""

from __future__ import annotations

from collections.abc import Callable

from entegrator.core.events import Event, StatusChanged
from entegrator.core.outbound import history, submit
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import Invoice
from tests.core.outbound.support import document, events_of
from tests.core.support import SeededTaxpayer


class Recorder:
    """An event sink that keeps what it was given (batch-capable)."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.batches = 0

    def publish(self, conn: object, event: Event) -> None:
        self.events.append(event)

    def publish_many(self, conn: object, events: list[Event]) -> None:
        self.batches += 1
        self.events.extend(events)


def test_a_move_happens_only_where_allowed_and_is_recorded(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str,
    make_invoice: Callable[..., Invoice],
) -> None:
    doc_id = submit(integrator, supplier.caller, make_invoice(), channel="api").document_id
    sink = Recorder()
    now = integrator.clock.now()
    with integrator.db.transaction() as conn:
        scope = TenantScope(conn, supplier.id)
        assert history.move(scope, [doc_id], DocumentState.SEND_SUCCEED, at=now,
                            events=sink) == []
        assert history.move(scope, [doc_id], DocumentState.SENDING, at=now, events=sink,
                            message="x") == [(doc_id, DocumentState.QUEUED)]
        assert history.move(scope, [doc_id], DocumentState.SENDING, at=now, events=sink) == []
    assert document(integrator, supplier.id, doc_id).state == "sending"
    assert events_of(integrator, supplier.id, doc_id) == ["queued", "sending"]
    assert sink.batches == 1
    assert sink.events == [StatusChanged(supplier.id, doc_id, sink.events[0].direction,
                                         DocumentState.QUEUED, DocumentState.SENDING, None)]


def test_predecessors_follow_the_state_machine() -> None:
    assert set(history.predecessors(DocumentState.QUEUED)) == {
        "draft", "sign_failed", "package_failed"}
    assert "send_succeed" not in history.predecessors(DocumentState.SEND_FAILED)
