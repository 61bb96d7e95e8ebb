"""The happy path end to end: submit → prepare → send → status, through the fake Merkez."""

from __future__ import annotations

from collections.abc import Callable

from entegrator.core.outbound import apply_system_response, submit
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.envelope import GIB, read_envelope
from entegrator.signing import VerificationPolicy, verify_element
from entegrator.store.jobs import Worker
from entegrator.ubl import Invoice
from tests.core.outbound.merkez import FakeMerkez
from tests.core.outbound.support import document, events_of
from tests.core.support import SeededTaxpayer


def test_an_invoice_travels_from_submit_to_success(
    *, integrator: Integrator, supplier: SeededTaxpayer, customer: str, worker: Worker,
    merkez: FakeMerkez, make_invoice: Callable[..., Invoice],
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), channel="api")
    assert result.state is DocumentState.QUEUED and result.number is None

    worker.run_until_idle()

    row = document(integrator, supplier.id, result.document_id)
    assert row.state == DocumentState.SEND_WAIT_GIB_RESPONSE.value
    assert row.number == f"ENT{row.issue_date.year}000000001"
    assert merkez.envelopes() == [row.envelope_uuid]
    envelope = read_envelope(merkez.stored[row.envelope_uuid])
    signed = envelope.document(0)
    verify_element(signed, VerificationPolicy(trust=integrator.trust))
    with integrator.db.transaction() as conn:
        assert apply_system_response(conn, integrator, row.envelope_uuid, 1200, responder=GIB)
        assert apply_system_response(conn, integrator, row.envelope_uuid, 1300, responder=GIB)
    assert events_of(integrator, supplier.id, result.document_id) == [
        "queued", "sending", "send_wait_gib_response", "send_wait_system_response",
        "send_succeed",
    ]

