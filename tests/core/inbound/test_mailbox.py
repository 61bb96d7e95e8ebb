"""SENDERENVELOPEs into the mailbox: checks in GİB's order, all-or-nothing, duplicates, and
our system response — real signing (dev PKI), real envelopes, a real job worker, on SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from entegrator.core.events import InvoiceReceived
from entegrator.core.responses import DEADLINE_JOB
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.envelope import EnvelopeType, Party, read_envelope, read_system_response
from entegrator.signing import Seal
from entegrator.signing.devpki import DevPki
from entegrator.store.domain import envelope_items
from entegrator.store.jobs import jobs
from entegrator.ubl.identifiers import ettn
from tests.core.inbound.support import (
    Recorder,
    deliver,
    envelope_zip,
    invoice_bytes,
    mailbox,
    outcome,
    party,
    run_jobs,
    seal_for,
)
from tests.core.support import CUSTOMER, SUPPLIER, CorePki, PartySpec, SeededTaxpayer

OUTSIDER = PartySpec("8765432107", "Başka Firma A.Ş.", "baskafirma.com.tr")


def _receive(integrator: Integrator, documents: list[bytes], **options: object) -> str:
    zipped = envelope_zip(documents, **options)  # type: ignore[arg-type]
    deliver(integrator, zipped)
    run_jobs(integrator)
    return zipped.file_name.removesuffix(".zip")


def test_temelfatura_reaches_the_mailbox_and_is_answered_1200(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    envelope_id = _receive(integrator, [invoice_bytes(profile="TEMELFATURA", seal=supplier_seal)])

    result = outcome(integrator, envelope_id)
    (doc,) = mailbox(integrator, customer.id)
    assert result.answer_code == 1200
    assert result.row.state == "processed" and result.row.tenant_id == customer.id
    assert doc.state == DocumentState.RECEIVED.value
    assert (doc.counterpart_vkn_tckn, doc.sender_alias, doc.receiver_alias) == (
        SUPPLIER.vkn, SUPPLIER.gb, CUSTOMER.pk)
    assert doc.response_deadline is None and doc.is_read is False


def test_ticarifatura_waits_for_our_answer_for_eight_days(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    envelope_id = _receive(integrator, [invoice_bytes(seal=supplier_seal)])

    (doc,) = mailbox(integrator, customer.id)
    received_at = outcome(integrator, envelope_id).row.created_at
    assert doc.state == DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE.value
    assert doc.response_deadline == received_at + dt.timedelta(days=8)
    with integrator.db.transaction(read_only=True) as conn:
        job = conn.execute(select(jobs).where(jobs.c.kind == DEADLINE_JOB)).one()
    assert job.payload == {"tenant_id": customer.id, "document_id": doc.id}


def test_our_answer_swaps_the_parties_and_names_the_envelope(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    envelope_id = _receive(integrator, [invoice_bytes(seal=supplier_seal)])

    answer = outcome(integrator, envelope_id).answer_row
    with integrator.db.transaction(read_only=True) as conn:
        envelope = read_envelope(integrator.archive.get(conn, answer.archive_ref))
        job = conn.execute(select(jobs).where(jobs.c.kind == "outbound.send")).one()
    response = read_system_response(envelope)
    assert envelope.header.type is EnvelopeType.SYSTEM
    assert envelope.header.sender == party(CUSTOMER, "PK")
    assert envelope.header.receiver == party(SUPPLIER, "GB")
    assert response.envelope.id == envelope_id
    assert (answer.state, answer.tenant_id, answer.answers_envelope_uuid) == (
        "built", customer.id, envelope_id)
    assert job.payload == {"envelope_id": answer.id} and job.destination == "gib"


def test_every_invoice_of_an_envelope_is_stored_in_order(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    invoices = [invoice_bytes(number=n, seal=supplier_seal) for n in (1, 2, 3)]
    envelope_id = _receive(integrator, invoices)

    docs = mailbox(integrator, customer.id)
    row = outcome(integrator, envelope_id).row
    with integrator.db.transaction(read_only=True) as conn:
        links = conn.execute(select(envelope_items.c.document_id).where(
            envelope_items.c.envelope_id == row.id).order_by(envelope_items.c.position)).scalars()
        assert list(links) == [d.id for d in docs]
    assert [d.number for d in docs] == ["ENT2025000000001", "ENT2025000000002", "ENT2025000000003"]
    assert row.document_count == 3


def test_one_bad_signature_keeps_the_whole_envelope_out(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    good = invoice_bytes(number=1, seal=supplier_seal)
    tampered = invoice_bytes(number=2, seal=supplier_seal).replace(b"Karadeniz", b"Karadenlz", 1)
    envelope_id = _receive(integrator, [good, tampered])

    assert outcome(integrator, envelope_id).answer_code == 1177
    assert mailbox(integrator, customer.id) == []


def test_unsigned_invoice_is_refused_with_1177(
    integrator: Integrator, customer: SeededTaxpayer
) -> None:
    envelope_id = _receive(integrator, [invoice_bytes(seal=None)])

    assert outcome(integrator, envelope_id).answer_code == 1177
    assert mailbox(integrator, customer.id) == []


def test_signer_other_than_the_supplier_is_refused_with_1176(
    integrator: Integrator, customer: SeededTaxpayer, core_pki: CorePki
) -> None:
    stranger = seal_for(core_pki, SUPPLIER.vkn, signer_vkn=OUTSIDER.vkn)
    envelope_id = _receive(integrator, [invoice_bytes(seal=stranger)])

    assert outcome(integrator, envelope_id).answer_code == 1176


def test_seal_from_an_untrusted_issuer_is_refused_with_1175(
    integrator: Integrator, customer: SeededTaxpayer
) -> None:
    foreign = DevPki.create("Sahte")
    envelope_id = _receive(integrator, [invoice_bytes(seal=seal_for(foreign, SUPPLIER.vkn))])

    assert outcome(integrator, envelope_id).answer_code == 1175


def test_xsd_failure_is_reported_before_a_signature_failure(
    integrator: Integrator, customer: SeededTaxpayer
) -> None:
    broken = invoice_bytes(seal=None).replace(b"<cbc:IssueDate>", b"<cbc:IssueDat>", 1)
    broken = broken.replace(b"</cbc:IssueDate>", b"</cbc:IssueDat>", 1)
    envelope_id = _receive(integrator, [broken])

    result = outcome(integrator, envelope_id)
    assert result.answer_code == result.row.gib_status_code == 1160
    assert result.row.last_error.startswith("xsd-")


def test_schematron_failure_is_reported_with_1150(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    # A properly signed invoice whose number breaks GİB's InvoiceIDCheck (passes the XSD).
    bad = invoice_bytes(seal=supplier_seal,
                        edit=lambda xml: xml.replace(b"<cbc:ID>ENT2025", b"<cbc:ID>XX2025", 1))
    envelope_id = _receive(integrator, [bad])

    assert outcome(integrator, envelope_id).answer_code == 1150
    assert mailbox(integrator, customer.id) == []


def test_unknown_receiver_alias_is_answered_1181(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    stranger = Party("urn:mail:defaultpk@yok.com.tr", CUSTOMER.vkn, CUSTOMER.title)
    envelope_id = _receive(integrator, [invoice_bytes(seal=supplier_seal)], receiver=stranger)

    result = outcome(integrator, envelope_id)
    assert result.answer_code == 1181 and result.row.tenant_id is None
    assert mailbox(integrator, customer.id) == []


def test_receiver_vkn_not_owning_the_alias_is_answered_1181(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    invoice = invoice_bytes(seal=supplier_seal, customer=OUTSIDER)
    receiver = Party(CUSTOMER.pk, OUTSIDER.vkn, OUTSIDER.title)
    envelope_id = _receive(integrator, [invoice], receiver=receiver)

    assert outcome(integrator, envelope_id).answer_code == 1181


def test_gb_alias_as_receiver_is_answered_1172(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    envelope_id = _receive(integrator, [invoice_bytes(seal=supplier_seal)],
                           receiver=party(CUSTOMER, "GB"))

    assert outcome(integrator, envelope_id).answer_code == 1172
    assert mailbox(integrator, customer.id) == []


def test_same_invoice_delivered_again_is_answered_1200_and_not_doubled(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    invoice = invoice_bytes(seal=supplier_seal)
    first = _receive(integrator, [invoice])
    second = _receive(integrator, [invoice])

    assert outcome(integrator, first).answer_code == 1200
    assert outcome(integrator, second).answer_code == 1200
    assert len(mailbox(integrator, customer.id)) == 1


def test_same_ettn_with_other_content_is_answered_1163(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    uuid = ettn.new()
    _receive(integrator, [invoice_bytes(uuid=uuid, seal=supplier_seal)])
    second = _receive(integrator, [invoice_bytes(uuid=uuid, number=9, seal=supplier_seal)])

    assert outcome(integrator, second).answer_code == 1163
    assert len(mailbox(integrator, customer.id)) == 1


def test_same_number_with_another_ettn_is_answered_1163(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    _receive(integrator, [invoice_bytes(number=5, seal=supplier_seal)])
    second = _receive(integrator, [invoice_bytes(number=5, seal=supplier_seal)])

    assert outcome(integrator, second).answer_code == 1163


def test_an_invoice_twice_in_one_envelope_is_answered_1163(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    uuid = ettn.new()
    first = invoice_bytes(uuid=uuid, number=1, seal=supplier_seal)
    twin = invoice_bytes(uuid=ettn.new(), number=1, seal=supplier_seal)
    envelope_id = _receive(integrator, [first, twin])

    assert outcome(integrator, envelope_id).answer_code == 1163
    assert mailbox(integrator, customer.id) == []


def test_same_ettn_from_another_supplier_is_a_different_invoice(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal, core_pki: CorePki
) -> None:
    uuid = ettn.new()
    _receive(integrator, [invoice_bytes(uuid=uuid, seal=supplier_seal)])
    other = invoice_bytes(uuid=uuid, supplier=OUTSIDER, seal=seal_for(core_pki, OUTSIDER.vkn))
    second = _receive(integrator, [other], sender=party(OUTSIDER, "GB"))

    assert outcome(integrator, second).answer_code == 1200
    assert len(mailbox(integrator, customer.id)) == 2


def test_received_invoices_are_published_to_the_event_sink(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    recorder = Recorder()
    integrator.events = recorder
    _receive(integrator, [invoice_bytes(seal=supplier_seal)])

    (doc,) = mailbox(integrator, customer.id)
    (event,) = [e for e in recorder.events if isinstance(e, InvoiceReceived)]
    assert (event.tenant_id, event.document_id, event.ettn, event.profile) == (
        customer.id, doc.id, doc.ettn, "TICARIFATURA")
    assert event.response_deadline == doc.response_deadline


def test_a_second_run_of_the_job_changes_nothing(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    envelope_id = _receive(integrator, [invoice_bytes(seal=supplier_seal)])
    row = outcome(integrator, envelope_id).row
    from entegrator.store.jobs import enqueue

    with integrator.db.transaction() as conn:
        enqueue(conn, "inbound.process", {"envelope_id": row.id}, clock=integrator.clock)
    assert run_jobs(integrator) == 1

    assert len(mailbox(integrator, customer.id)) == 1
    with integrator.db.transaction(read_only=True) as conn:
        sends = conn.execute(select(jobs).where(jobs.c.kind == "outbound.send")).all()
    assert len(sends) == 1
