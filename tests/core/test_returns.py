"""Return invoices (İADE) created from received invoices: roles swapped, lines prefilled,
BillingReference to the original, TEMELFATURA, saved as drafts through outbound."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from entegrator.core.documents import document_xml, get_document
from entegrator.core.errors import InvalidState, ProfileRuleViolation
from entegrator.core.permissions import Role
from entegrator.core.responses import respond
from entegrator.core.returns import ReturnLine, create_return, return_invoice
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.errors import DocumentError, NotFound, PermissionDenied
from entegrator.signing import Seal
from entegrator.ubl import Profile, parse_invoice
from tests.core.inbound.support import (
    deliver,
    envelope_zip,
    invoice_bytes,
    mailbox,
    run_jobs,
    seal_for,
    sent_invoice,
)
from tests.core.outbound.support import register_gib_user
from tests.core.support import CUSTOMER, SUPPLIER, CorePki, SeededTaxpayer


@pytest.fixture(scope="module")
def supplier_seal(core_pki: CorePki) -> Seal:
    return seal_for(core_pki, SUPPLIER.vkn, SUPPLIER.title)


@pytest.fixture
def seller(integrator: Integrator) -> None:
    """The original seller, a registered e-Fatura user with a PK alias."""
    register_gib_user(integrator, SUPPLIER.vkn, SUPPLIER.title, gb=[SUPPLIER.gb],
                      pk=[SUPPLIER.pk])


def _received(integrator: Integrator, tenant_id: int, seal: Seal, **options: object) -> int:
    deliver(integrator, envelope_zip([invoice_bytes(seal=seal, **options)]))  # type: ignore[arg-type]
    run_jobs(integrator)
    return mailbox(integrator, tenant_id)[-1].id


def test_return_of_a_whole_invoice_is_a_temelfatura_draft_with_its_reference(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal, seller: None
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    original = get_document(integrator, customer.caller, doc_id)

    result = create_return(integrator, customer.caller, doc_id)

    draft = get_document(integrator, customer.caller, result.document_id)
    model = parse_invoice(document_xml(integrator, customer.caller, result.document_id))
    assert result.state is DocumentState.DRAFT and draft.direction == "OUT"
    assert (draft.profile, draft.invoice_type) == ("TEMELFATURA", "IADE")
    assert (model.supplier.vkn, model.customer.vkn) == (CUSTOMER.vkn, SUPPLIER.vkn)
    (reference,) = model.billing_references
    assert (reference.number, reference.issue_date, reference.type_code) == (
        original.number, original.issue_date, "IADE")
    assert [(line.name, line.quantity) for line in model.lines] == [
        ("Endüstriyel mikser", Decimal("1")), ("Yedek parça seti", Decimal("2"))]
    assert draft.payable_amount == original.payable_amount


def test_a_partial_return_takes_the_chosen_lines_and_quantities(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal, seller: None
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)

    result = create_return(integrator, customer.caller, doc_id,
                           [ReturnLine("2", Decimal("1"))])

    model = parse_invoice(document_xml(integrator, customer.caller, result.document_id))
    (line,) = model.lines
    assert (line.name, line.quantity, line.line_extension_amount) == (
        "Yedek parça seti", Decimal("1"), Decimal("6250.00"))
    assert get_document(integrator, customer.caller, result.document_id).payable_amount == (
        Decimal("7500.00"))


def test_returning_more_than_was_invoiced_is_refused(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal, seller: None
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)

    with pytest.raises(DocumentError):
        create_return(integrator, customer.caller, doc_id, [ReturnLine("2", Decimal("3"))])
    with pytest.raises(DocumentError):
        create_return(integrator, customer.caller, doc_id, [ReturnLine("7")])


def test_withheld_vat_is_returned_as_iade_keeping_the_withholding(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal, seller: None
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal,
                       example="33-ticari-tevkifat-isgucu.json")

    result = create_return(integrator, customer.caller, doc_id)

    model = parse_invoice(document_xml(integrator, customer.caller, result.document_id))
    assert (model.profile, model.invoice_type) == ("TEMELFATURA", "IADE")
    assert model.lines[0].withholding is not None
    assert (model.lines[0].withholding.code, model.lines[0].withholding.percent) == (
        "606", Decimal("90"))


def test_only_received_invoices_can_be_returned(
    integrator: Integrator, supplier: SeededTaxpayer, supplier_seal: Seal
) -> None:
    sent = sent_invoice(integrator, supplier.id, seal=supplier_seal)

    with pytest.raises(InvalidState):
        create_return(integrator, supplier.caller, sent.document_id)


def test_an_invoice_we_rejected_cannot_be_returned(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal, seller: None
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)
    respond(integrator, customer.caller, doc_id, "RED", "Sipariş edilmedi")

    with pytest.raises(InvalidState):
        create_return(integrator, customer.caller, doc_id)


def test_another_taxpayers_invoice_is_not_found(
    integrator: Integrator, customer: SeededTaxpayer, supplier: SeededTaxpayer,
    supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)

    with pytest.raises(NotFound):
        create_return(integrator, supplier.caller, doc_id)


def test_a_viewer_may_not_create_returns(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal)

    with pytest.raises(PermissionDenied):
        create_return(integrator, customer.as_role(Role.VIEWER), doc_id)


def test_types_without_a_return_invoice_are_refused(
    integrator: Integrator, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    doc_id = _received(integrator, customer.id, supplier_seal,
                       example="21-temel-komisyoncu.json", profile="TEMELFATURA")
    assert mailbox(integrator, customer.id)[-1].invoice_type == "KOMISYONCU"

    with pytest.raises(ProfileRuleViolation):
        create_return(integrator, customer.caller, doc_id)


def test_the_scenario_of_drug_invoices_is_kept() -> None:
    original = parse_invoice(invoice_bytes(profile="TEMELFATURA"))
    drug = original.model_copy(update={"profile": Profile.ILAC_TIBBICIHAZ})

    assert return_invoice(drug, issue_date=dt.date(2025, 3, 20)).profile == "ILAC_TIBBICIHAZ"
    assert return_invoice(original, issue_date=dt.date(2025, 3, 20)).profile == "TEMELFATURA"
