"""SYSTEMENVELOPEs delivered to us: the status of one of our envelopes goes to outbound;
GİB's heartbeat (no envelope) is kept and ignored; a system response is never answered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.envelope import GIB, EnvelopeHeader, EnvelopeType, system_envelope
from entegrator.signing import Seal
from entegrator.store.domain import envelopes
from entegrator.store.jobs import jobs
from entegrator.ubl.identifiers import ettn
from entegrator.ubl.responses.model import TURKEY_TIME
from tests.core.inbound.support import (
    deliver,
    document,
    outcome,
    party,
    run_jobs,
    sent_invoice,
)
from tests.core.support import CUSTOMER, SUPPLIER, SeededTaxpayer


def _status(integrator: Integrator, envelope_uuid: str, code: int, *, from_merkez: bool) -> str:
    answered = EnvelopeHeader(envelope_uuid, EnvelopeType.SENDER, party(SUPPLIER, "GB"),
                              party(CUSTOMER, "PK"), dt.datetime.now(TURKEY_TIME))
    built = system_envelope(answered, code, new_id=ettn.new,
                            now=lambda: dt.datetime.now(TURKEY_TIME),
                            responder=GIB if from_merkez else None)
    deliver(integrator, built.zipped())
    run_jobs(integrator)
    return built.envelope_id


def _answers(integrator: Integrator) -> int:
    with integrator.db.transaction(read_only=True) as conn:
        return int(conn.execute(select(func.count()).select_from(envelopes).where(
            envelopes.c.direction == "OUT", envelopes.c.type == "SYSTEMENVELOPE")).scalar_one())


def test_merkez_1200_moves_our_invoice_on_and_is_not_answered(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal,
                        state=DocumentState.SEND_WAIT_GIB_RESPONSE)

    received = _status(integrator, sent.envelope_uuid, 1200, from_merkez=True)

    row = outcome(integrator, received).row
    assert document(integrator, supplier.id, sent.document_id).state == (
        DocumentState.SEND_WAIT_SYSTEM_RESPONSE.value)
    assert (row.type, row.tenant_id, row.answers_envelope_uuid) == (
        "SYSTEMENVELOPE", supplier.id, sent.envelope_uuid)
    assert row.response_envelope_uuid is None and _answers(integrator) == 0


def test_the_receivers_1200_delivers_a_ticarifatura_into_its_response_window(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal,
                        state=DocumentState.SEND_WAIT_SYSTEM_RESPONSE)

    _status(integrator, sent.envelope_uuid, 1200, from_merkez=False)

    doc = document(integrator, supplier.id, sent.document_id)
    assert doc.state == DocumentState.SEND_WAIT_APPLICATION_RESPONSE.value
    assert doc.response_deadline == doc.sent_at + dt.timedelta(days=8)
    with integrator.db.transaction(read_only=True) as conn:
        assert conn.execute(select(jobs.c.payload).where(
            jobs.c.kind == "responses.deadline")).scalar_one() == {
            "tenant_id": supplier.id, "document_id": sent.document_id}


def test_the_receivers_failure_code_fails_our_invoice(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal,
                        state=DocumentState.SEND_WAIT_SYSTEM_RESPONSE)

    _status(integrator, sent.envelope_uuid, 1160, from_merkez=False)

    doc = document(integrator, supplier.id, sent.document_id)
    assert (doc.state, doc.gib_status_code) == (DocumentState.SEND_FAILED.value, 1160)


def test_gib_heartbeat_naming_no_envelope_of_ours_is_kept_and_ignored(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    """Test Planı §7 b: GİB sends sender units system responses labelled GIB that refer to
    no envelope; no action is needed."""
    received = _status(integrator, ettn.new(), 1200, from_merkez=True)

    row = outcome(integrator, received).row
    assert (row.state, row.gib_status_code, row.tenant_id) == ("processed", 1200, None)
    assert row.response_envelope_uuid is None and _answers(integrator) == 0
