"""KABUL/RED for received TICARIFATURA invoices: exactly once, within eight days of receipt,
sealed with the taxpayer's seal (or the integrator's), sent in a POSTBOXENVELOPE; the status of
our answers; the 8-day window and TTK 21/2."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from entegrator.core.errors import DeadlineExpired, InvalidState, ProfileRuleViolation
from entegrator.core.events import ResponseDeadlineNear, ResponseDeadlinePassed, StatusChanged
from entegrator.core.permissions import Role
from entegrator.core.responses import apply_response_status, deemed_accepted, respond
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.envelope import GIB, EnvelopeType, read_envelope
from entegrator.errors import DocumentError, NotFound, PermissionDenied
from entegrator.signing import Seal, VerificationPolicy, verify_bytes
from entegrator.store import FakeClock
from entegrator.store.domain import application_responses, document_events, envelopes
from entegrator.store.jobs import jobs
from entegrator.store.tenancy import TenantScope
from entegrator.ubl.responses import BusinessResponse, parse
from tests.core.inbound.support import (
    Recorder,
    deliver,
    document,
    envelope_zip,
    invoice_bytes,
    mailbox,
    party,
    run_jobs,
)
from tests.core.support import (
    CUSTOMER,
    INTEGRATOR_VKN,
    SUPPLIER,
    CorePki,
    SeededTaxpayer,
    add_taxpayer,
)


@pytest.fixture(scope="module")
def supplier_seal(core_pki: CorePki) -> Seal:
    from tests.core.inbound.support import seal_for

    return seal_for(core_pki, SUPPLIER.vkn, SUPPLIER.title)


def _received(integrator: Integrator, tenant_id: int, seal: Seal,
              profile: str = "TICARIFATURA") -> int:
    deliver(integrator, envelope_zip([invoice_bytes(profile=profile, seal=seal)]))
    run_jobs(integrator)
    return mailbox(integrator, tenant_id)[-1].id


def _postbox(integrator: Integrator, envelope_uuid: str) -> tuple[object, bytes]:
    with integrator.db.transaction(read_only=True) as conn:
        row = conn.execute(select(envelopes).where(envelopes.c.envelope_uuid == envelope_uuid,
                                                   envelopes.c.direction == "OUT")).one()
        return row, integrator.archive.get(conn, row.archive_ref)


def _advance(integrator: Integrator, delta: dt.timedelta) -> None:
    clock = integrator.clock
    assert isinstance(clock, FakeClock)
    clock.advance(delta.total_seconds())


def test_kabul_is_sealed_and_queued_in_a_postbox_envelope(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal, core_pki: CorePki
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    doc = document(integrator, customer.id, doc_id)

    result = respond(integrator, customer.caller, doc_id, "KABUL")

    row, data = _postbox(integrator, result.envelope_uuid)
    envelope = read_envelope(data)
    (answer,) = list(envelope.documents())
    response = parse(envelope.document_bytes(0))
    assert result.state is DocumentState.ACCEPT_PROCESSING
    assert document(integrator, customer.id, doc_id).state == "accept_processing"
    assert (envelope.header.type, envelope.header.sender, envelope.header.receiver) == (
        EnvelopeType.POSTBOX, party(CUSTOMER, "PK"), party(SUPPLIER, "GB"))
    assert isinstance(response, BusinessResponse) and response.code == "KABUL"
    assert response.invoice.ettn.lower() == doc.ettn
    verified = verify_bytes(envelope.document_bytes(0),
                            VerificationPolicy(trust=integrator.trust))
    assert verified.signer_id == CUSTOMER.vkn and answer is not None
    assert integrator.validator.validate(envelope.xml).ok
    assert (row.state, row.tenant_id) == ("built", customer.id)
    with integrator.db.transaction(read_only=True) as conn:
        assert conn.execute(select(jobs.c.payload).where(
            jobs.c.kind == "outbound.send")).scalars().all()[-1] == {"envelope_id": row.id}


def test_an_invoice_is_answered_only_once(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    respond(integrator, customer.caller, doc_id, "KABUL")

    with pytest.raises(InvalidState):
        respond(integrator, customer.caller, doc_id, "RED", "Vazgeçtik")
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, customer.id)
        assert len(scope.execute(scope.select(application_responses)).all()) == 1


def test_red_needs_a_reason(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)

    with pytest.raises(DocumentError):
        respond(integrator, customer.caller, doc_id, "RED", "  ")
    result = respond(integrator, customer.caller, doc_id, "red", "Miktar eksik")

    doc = document(integrator, customer.id, doc_id)
    assert result.state is DocumentState.REJECT_PROCESSING
    assert (doc.response_code, doc.response_description) == ("RED", "Miktar eksik")


def test_unknown_answer_codes_are_refused(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    with pytest.raises(DocumentError):
        respond(integrator, customer.caller, doc_id, "IADE", "eski usul")


def test_no_answer_after_eight_days_from_receipt(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    _advance(integrator, dt.timedelta(days=8, seconds=1))

    with pytest.raises(DeadlineExpired):
        respond(integrator, customer.caller, doc_id, "KABUL")
    assert document(integrator, customer.id, doc_id).state == (
        DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE.value)


def test_a_temelfatura_cannot_be_answered(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal, profile="TEMELFATURA")

    with pytest.raises(ProfileRuleViolation):
        respond(integrator, customer.caller, doc_id, "KABUL")


def test_another_taxpayers_invoice_is_not_found(
    integrator: Integrator, customer: SeededTaxpayer, supplier: SeededTaxpayer,
    supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)

    with pytest.raises(NotFound):
        respond(integrator, supplier.caller, doc_id, "KABUL")


def test_a_viewer_may_not_answer(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)

    with pytest.raises(PermissionDenied):
        respond(integrator, customer.as_role(Role.VIEWER), doc_id, "KABUL")


def test_with_a_delegated_seal_the_integrator_seals_and_signs_for_the_taxpayer(
    integrator: Integrator, core_pki: CorePki, supplier_seal: Seal
) -> None:
    taxpayer = add_taxpayer(integrator, core_pki, CUSTOMER, seal="delegated")
    doc_id = _received(integrator, taxpayer.id, supplier_seal)

    result = respond(integrator, taxpayer.caller, doc_id, "KABUL")

    envelope = read_envelope(_postbox(integrator, result.envelope_uuid)[1])
    policy = VerificationPolicy(trust=integrator.trust,
                                authorised_delegates=frozenset({INTEGRATOR_VKN}))
    verified = verify_bytes(envelope.document_bytes(0), policy)
    response = parse(envelope.document_bytes(0))
    assert verified.signer_id == INTEGRATOR_VKN and verified.delegated
    assert isinstance(response, BusinessResponse)
    assert response.signatory is not None and response.signatory.identifier == INTEGRATOR_VKN


def test_status_of_our_answer_moves_it_forward_never_back(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    envelope_uuid = respond(integrator, customer.caller, doc_id, "KABUL").envelope_uuid
    receiver = party(SUPPLIER, "GB")

    def apply(code: int, responder: object = GIB) -> str:
        with integrator.db.transaction() as conn:
            apply_response_status(integrator, conn, envelope_uuid, code, None,
                                  responder=responder)  # type: ignore[arg-type]
        return document(integrator, customer.id, doc_id).state

    assert apply(1100) == "accept_processing"
    assert apply(1200) == "accept_wait_system_response"
    assert apply(1200, receiver) == "accept_succeed"
    assert apply(1220) == "accept_succeed"
    assert apply(1300) == "accept_succeed"
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, customer.id)
        (row,) = scope.execute(scope.select(application_responses)).all()
    assert (row.state, row.gib_status_code) == ("succeeded", 1300)


def test_a_failed_answer_is_sent_again_unchanged_within_the_window(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    first = respond(integrator, customer.caller, doc_id, "RED", "Fiyat hatalı")
    with integrator.db.transaction() as conn:
        apply_response_status(integrator, conn, first.envelope_uuid, 1230, None)
    assert document(integrator, customer.id, doc_id).state == "reject_failed"

    with pytest.raises(InvalidState):
        respond(integrator, customer.caller, doc_id, "KABUL")
    again = respond(integrator, customer.caller, doc_id, "RED", "başka gerekçe")

    first_doc = read_envelope(_postbox(integrator, first.envelope_uuid)[1]).document_bytes(0)
    again_doc = read_envelope(_postbox(integrator, again.envelope_uuid)[1]).document_bytes(0)
    assert again.envelope_uuid != first.envelope_uuid
    assert again.response_uuid == first.response_uuid and again_doc == first_doc
    assert document(integrator, customer.id, doc_id).state == "reject_processing"


def test_answer_status_arrives_through_the_system_envelope_route(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    from entegrator.envelope import EnvelopeHeader, system_envelope
    from entegrator.ubl.identifiers import ettn
    from entegrator.ubl.responses.model import TURKEY_TIME

    doc_id = _received(integrator, customer.id, supplier_seal)
    result = respond(integrator, customer.caller, doc_id, "KABUL")
    answered = EnvelopeHeader(result.envelope_uuid, EnvelopeType.POSTBOX,
                              party(CUSTOMER, "PK"), party(SUPPLIER, "GB"),
                              dt.datetime.now(TURKEY_TIME))
    built = system_envelope(answered, 1200, new_id=ettn.new,
                            now=lambda: dt.datetime.now(TURKEY_TIME))  # the supplier's answer

    deliver(integrator, built.zipped())
    run_jobs(integrator)

    assert document(integrator, customer.id, doc_id).state == "accept_succeed"


def test_state_changes_of_answers_are_published(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    recorder = Recorder()
    integrator.events = recorder

    respond(integrator, customer.caller, doc_id, "KABUL")

    (event,) = [e for e in recorder.events if isinstance(e, StatusChanged)]
    assert (event.document_id, event.old, event.new) == (
        doc_id, DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE, DocumentState.ACCEPT_PROCESSING)


def test_deadline_job_warns_before_and_notes_ttk_21_2_after(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    deadline = document(integrator, customer.id, doc_id).response_deadline
    recorder = Recorder()
    integrator.events = recorder

    _advance(integrator, deadline - integrator.clock.now() - dt.timedelta(hours=23))
    assert run_jobs(integrator) == 1
    assert recorder.events == [ResponseDeadlineNear(customer.id, doc_id, "IN", deadline)]
    assert not deemed_accepted("receive_wait_application_response", deadline,
                               integrator.clock.now())

    _advance(integrator, dt.timedelta(hours=23, seconds=1))
    assert run_jobs(integrator) == 1

    assert recorder.events[-1] == ResponseDeadlinePassed(customer.id, doc_id, "IN", deadline)
    assert deemed_accepted("receive_wait_application_response", deadline,
                           integrator.clock.now())
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, customer.id)
        notes = scope.execute(scope.select(document_events, document_events.c.message).where(
            document_events.c.document_id == doc_id)).scalars().all()
    assert any("TTK 21/2" in (note or "") for note in notes)


def test_deadline_job_does_nothing_once_answered(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    respond(integrator, customer.caller, doc_id, "KABUL")
    recorder = Recorder()
    integrator.events = recorder

    _advance(integrator, dt.timedelta(days=9))
    run_jobs(integrator)

    assert recorder.events == []


def test_deemed_accepted_needs_a_waiting_state_and_a_passed_deadline() -> None:
    now = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
    before, after = now - dt.timedelta(seconds=1), now + dt.timedelta(seconds=1)
    assert deemed_accepted(DocumentState.SEND_WAIT_APPLICATION_RESPONSE, before, now)
    assert not deemed_accepted(DocumentState.SEND_WAIT_APPLICATION_RESPONSE, after, now)
    assert not deemed_accepted(DocumentState.ACCEPTED, before, now)
    assert not deemed_accepted(DocumentState.RECEIVED, None, now)
