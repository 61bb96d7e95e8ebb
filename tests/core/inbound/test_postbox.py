"""KABUL/RED answers to our invoices (POSTBOXENVELOPE to our GB alias): only the first,
only within eight days of sending, only from the invoice's customer (Entegrasyon Kılavuzu
§3.1); ignored answers are kept but change nothing; the envelope is answered 1200."""

from __future__ import annotations

import datetime as dt

from entegrator.core.events import ResponseReceived, StatusChanged
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.envelope import EnvelopeType
from entegrator.signing import Seal
from entegrator.store.audit import audit_log
from entegrator.store.domain import application_responses, document_events
from entegrator.store.tenancy import TenantScope
from entegrator.ubl.identifiers import ettn
from tests.core.inbound.support import (
    Recorder,
    answer_bytes,
    deliver,
    document,
    envelope_zip,
    outcome,
    party,
    run_jobs,
    seal_for,
    sent_invoice,
)
from tests.core.support import CUSTOMER, SUPPLIER, CorePki, PartySpec, SeededTaxpayer

OUTSIDER = PartySpec("8765432107", "Başka Firma A.Ş.", "baskafirma.com.tr")


def _answer(integrator: Integrator, answers: list[bytes], **options: object) -> str:
    zipped = envelope_zip(answers, kind=EnvelopeType.POSTBOX, **options)  # type: ignore[arg-type]
    deliver(integrator, zipped)
    run_jobs(integrator)
    return zipped.file_name.removesuffix(".zip")


def _responses(integrator: Integrator, tenant_id: int) -> list[object]:
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, tenant_id)
        return list(scope.execute(scope.select(application_responses)).all())


def _last_note(integrator: Integrator, tenant_id: int, document_id: int) -> str:
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, tenant_id)
        return scope.execute(scope.select(document_events, document_events.c.message).where(
            document_events.c.document_id == document_id).order_by(
            document_events.c.id.desc())).scalars().first()


def test_kabul_accepts_our_invoice(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal, customer_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal)
    recorder = Recorder()
    integrator.events = recorder

    envelope_id = _answer(integrator, [answer_bytes(sent.ettn, "KABUL", seal=customer_seal)])

    doc = document(integrator, supplier.id, sent.document_id)
    (response,) = _responses(integrator, supplier.id)
    assert outcome(integrator, envelope_id).answer_code == 1200
    assert (doc.state, doc.response_code) == (DocumentState.ACCEPTED.value, "KABUL")
    assert doc.state_changed_at is not None and doc.response_at is not None
    assert (response.direction, response.response_code, response.state) == ("IN", "KABUL",
                                                                           "received")
    assert ResponseReceived(supplier.id, sent.document_id, "KABUL", "Fatura kabul edildi.",
                            counted=True) in recorder.events
    assert any(isinstance(e, StatusChanged) and e.new is DocumentState.ACCEPTED
               for e in recorder.events)


def test_red_rejects_our_invoice_with_the_reason(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal, customer_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal)

    _answer(integrator, [answer_bytes(sent.ettn, "RED", seal=customer_seal,
                                      reason="Fiyat hatalı")])

    doc = document(integrator, supplier.id, sent.document_id)
    assert (doc.state, doc.response_code, doc.response_description) == (
        DocumentState.REJECTED.value, "RED", "Fiyat hatalı")


def test_only_the_first_answer_counts(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal, customer_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal)
    _answer(integrator, [answer_bytes(sent.ettn, "KABUL", seal=customer_seal)])

    second = _answer(integrator, [answer_bytes(sent.ettn, "RED", seal=customer_seal)])

    doc = document(integrator, supplier.id, sent.document_id)
    assert outcome(integrator, second).answer_code == 1200
    assert (doc.state, doc.response_code) == (DocumentState.ACCEPTED.value, "KABUL")
    assert len(_responses(integrator, supplier.id)) == 1
    assert "yalnız ilk yanıt" in _last_note(integrator, supplier.id, sent.document_id)


def test_an_answer_more_than_eight_days_after_sending_is_ignored(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal, customer_seal: Seal
) -> None:
    long_ago = integrator.clock.now() - dt.timedelta(days=8, minutes=1)
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal, sent_at=long_ago)
    recorder = Recorder()
    integrator.events = recorder

    envelope_id = _answer(integrator, [answer_bytes(sent.ettn, "RED", seal=customer_seal)])

    doc = document(integrator, supplier.id, sent.document_id)
    assert outcome(integrator, envelope_id).answer_code == 1200
    assert doc.state == DocumentState.SEND_WAIT_APPLICATION_RESPONSE.value
    assert doc.response_code is None and _responses(integrator, supplier.id) == []
    assert "8 gün" in _last_note(integrator, supplier.id, sent.document_id)
    assert [e.counted for e in recorder.events if isinstance(e, ResponseReceived)] == [False]


def test_an_answer_just_inside_eight_days_counts(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal, customer_seal: Seal
) -> None:
    almost = integrator.clock.now() - dt.timedelta(days=8) + dt.timedelta(minutes=1)
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal, sent_at=almost)

    _answer(integrator, [answer_bytes(sent.ettn, "KABUL", seal=customer_seal)])

    assert document(integrator, supplier.id, sent.document_id).state == "accepted"


def test_an_answer_from_someone_else_than_the_customer_is_ignored(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal, core_pki: CorePki
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal)
    intruder = answer_bytes(sent.ettn, "RED", seal=seal_for(core_pki, OUTSIDER.vkn),
                            sender=OUTSIDER)

    _answer(integrator, [intruder], sender=party(OUTSIDER, "PK"))

    assert document(integrator, supplier.id, sent.document_id).state == (
        DocumentState.SEND_WAIT_APPLICATION_RESPONSE.value)


def test_an_answer_to_an_unknown_invoice_is_kept_and_ignored(
    integrator: Integrator, supplier: SeededTaxpayer, customer_seal: Seal
) -> None:
    envelope_id = _answer(integrator, [answer_bytes(ettn.new(), "KABUL", seal=customer_seal)])

    assert outcome(integrator, envelope_id).answer_code == 1200
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, supplier.id)
        actions = scope.execute(scope.select(audit_log, audit_log.c.action)).scalars().all()
    assert "invoice.response_ignored" in actions


def test_an_answer_to_a_temelfatura_is_ignored(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal, customer_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal, profile="TEMELFATURA",
                        state=DocumentState.SEND_SUCCEED)

    _answer(integrator, [answer_bytes(sent.ettn, "RED", seal=customer_seal)])

    assert document(integrator, supplier.id, sent.document_id).state == "send_succeed"


def test_an_answer_overtaking_the_delivery_news_counts(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal, customer_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal,
                        state=DocumentState.SEND_WAIT_SYSTEM_RESPONSE)

    _answer(integrator, [answer_bytes(sent.ettn, "KABUL", seal=customer_seal)])

    assert document(integrator, supplier.id, sent.document_id).state == "accepted"


def test_unsigned_answer_fails_the_envelope_with_1177(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal)

    envelope_id = _answer(integrator, [answer_bytes(sent.ettn, "KABUL", seal=None)])

    assert outcome(integrator, envelope_id).answer_code == 1177
    assert document(integrator, supplier.id, sent.document_id).state == (
        DocumentState.SEND_WAIT_APPLICATION_RESPONSE.value)


def test_answer_sent_to_our_pk_alias_is_refused_with_1171(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal, customer_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal)

    envelope_id = _answer(integrator, [answer_bytes(sent.ettn, "KABUL", seal=customer_seal)],
                          receiver=party(SUPPLIER, "PK"))

    assert outcome(integrator, envelope_id).answer_code == 1171
    assert _responses(integrator, supplier.id) == []


def test_the_answer_is_archived_with_the_envelope_link(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal, customer_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal)
    answer = answer_bytes(sent.ettn, "KABUL", seal=customer_seal)
    envelope_id = _answer(integrator, [answer])

    (response,) = _responses(integrator, supplier.id)
    with integrator.db.transaction(read_only=True) as conn:
        archived = integrator.archive.get(conn, response.archive_ref)
    assert response.envelope_uuid == envelope_id
    assert b"KABUL" in archived and archived.startswith(b"<?xml")
    assert CUSTOMER.vkn.encode() in archived
