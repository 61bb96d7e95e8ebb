"""Accepting invoices: validation, routing, idempotency, duplicates, permissions, batches."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from entegrator.core.errors import (
    DuplicateDocument,
    NotRegisteredUser,
    PermissionDenied,
    ProfileRuleViolation,
)
from entegrator.core.outbound import Request, submit, submit_many
from entegrator.core.permissions import Role
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.store.audit import audit_log
from entegrator.store.domain import document_contents
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import Invoice, build_invoice
from entegrator.ubl.draft import DRAFT_ETTN
from entegrator.ubl.identifiers import ettn as ettn_id
from entegrator.validation import DocumentInvalid
from tests.core.outbound.support import document, events_of, job_rows, register_gib_user
from tests.core.support import CUSTOMER, SeededTaxpayer

Make = Callable[..., Invoice]


def test_submit_queues_the_invoice_with_a_new_ettn_and_a_prepare_job(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), channel="api",
                    client_reference="ERP-1")

    row = document(integrator, supplier.id, result.document_id)
    assert ettn_id.is_valid(result.ettn) and result.ettn == result.ettn.lower() == row.ettn
    assert (row.state, row.number, row.series) == ("queued", None, "ENT")
    assert (row.channel, row.client_reference) == ("api", "ERP-1")
    assert row.receiver_alias == CUSTOMER.pk  # named in the document (cbc:EndpointID)
    assert events_of(integrator, supplier.id, result.document_id) == ["queued"]
    assert [j.payload for j in job_rows(integrator, "outbound.prepare")] == [
        {"tenant_id": supplier.id}
    ]


def test_submit_writes_the_xml_to_sign_and_an_audit_entry(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), channel="portal")

    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, supplier.id)
        kind, content = scope.execute(
            scope.select(document_contents, document_contents.c.kind,
                         document_contents.c.content)).one()
        actions = list(scope.execute(scope.select(audit_log, audit_log.c.action)
                                     .where(audit_log.c.object_type == "document",
                                            audit_log.c.object_id == str(result.document_id)))
                       .scalars())
    assert kind == "xml" and result.ettn.encode() in content
    assert actions == ["invoice.submit"]


def test_submit_takes_ubl_xml_and_assigns_the_missing_ettn(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    data = build_invoice(make_invoice(), draft=True)
    assert DRAFT_ETTN.encode() in data

    result = submit(integrator, supplier.caller, data, channel="soap")

    assert result.ettn != DRAFT_ETTN and result.state is DocumentState.QUEUED


def test_submit_keeps_the_callers_own_number(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(number="ERP2025000000042"),
                    channel="api")
    row = document(integrator, supplier.id, result.document_id)
    assert (result.number, row.number, row.series) == ("ERP2025000000042", "ERP2025000000042",
                                                        None)


def test_submit_refuses_a_number_and_a_series_together(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    with pytest.raises(ProfileRuleViolation):
        submit(integrator, supplier.caller, make_invoice(number="ERP2025000000042"),
               series="ABC", channel="api")


def test_submit_without_number_series_or_default_series_is_refused(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    from entegrator.core import tenants

    with integrator.db.transaction() as conn:
        tenants.update_taxpayer(conn, supplier.caller, default_series=None)
    with pytest.raises(ProfileRuleViolation, match="seri"):
        submit(integrator, supplier.caller, make_invoice(), channel="api")


def test_submit_refuses_an_invalid_document_with_gibs_code(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    data = build_invoice(make_invoice(), draft=True).replace(
        b"<cbc:InvoiceTypeCode>SATIS", b"<cbc:InvoiceTypeCode>SATISX")
    with pytest.raises(DocumentInvalid) as caught:
        submit(integrator, supplier.caller, data, channel="api")
    assert caught.value.gib_code in (1150, 1160)


def test_submit_refuses_an_invoice_of_another_supplier(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    model = make_invoice()
    foreign = model.model_copy(update={"supplier": model.customer, "customer": model.supplier})
    with pytest.raises(ProfileRuleViolation, match="satıcısı"):
        submit(integrator, supplier.caller, foreign, channel="api")


def test_submit_to_a_customer_who_is_not_an_efatura_user_says_so(
    integrator: Integrator, supplier: SeededTaxpayer, make_invoice: Make,
) -> None:
    with pytest.raises(NotRegisteredUser, match="e-Fatura kayıtlı kullanıcısı değil") as caught:
        submit(integrator, supplier.caller, make_invoice(), channel="api")
    assert caught.value.identifier == CUSTOMER.vkn


def test_submit_uses_the_default_postbox_when_no_alias_is_named(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    model = make_invoice()
    model = model.model_copy(update={"customer": model.customer.model_copy(
        update={"alias": None})})
    result = submit(integrator, supplier.caller, model, channel="api")
    assert document(integrator, supplier.id, result.document_id).receiver_alias == CUSTOMER.pk


def test_submit_uses_the_alias_the_caller_names(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    other = "urn:mail:muhasebe@karadenizgida.com.tr"
    result = submit(integrator, supplier.caller, make_invoice(), receiver_alias=other,
                    channel="api")
    assert document(integrator, supplier.id, result.document_id).receiver_alias == other


def test_submit_refuses_an_alias_that_is_not_an_open_postbox_of_the_customer(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    with pytest.raises(NotRegisteredUser, match="posta kutusu"):
        submit(integrator, supplier.caller, make_invoice(),
               receiver_alias=CUSTOMER.gb, channel="api")


def test_submit_refuses_a_closed_postbox(
    integrator: Integrator, supplier: SeededTaxpayer, make_invoice: Make,
) -> None:
    register_gib_user(integrator, CUSTOMER.vkn, CUSTOMER.title, pk=["urn:mail:yeni@k.com.tr"],
                      closed_pk=[CUSTOMER.pk])
    with pytest.raises(NotRegisteredUser):
        submit(integrator, supplier.caller, make_invoice(), channel="api")


def test_submit_sends_a_commercial_invoice_to_the_postbox_too(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice("32-ticari-satis.json"),
                    channel="api")
    row = document(integrator, supplier.id, result.document_id)
    assert (row.profile, row.state) == ("TICARIFATURA", "queued")


def test_same_idempotency_key_and_content_returns_the_first_result(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    model = make_invoice()
    first = submit(integrator, supplier.caller, model, idempotency_key="k-1", channel="api")
    again = submit(integrator, supplier.caller, model, idempotency_key="k-1", channel="api")
    assert (again.document_id, again.ettn, again.replayed) == (first.document_id, first.ettn,
                                                               True)
    assert len(job_rows(integrator, "outbound.prepare")) == 1


def test_same_idempotency_key_with_other_content_is_refused(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    submit(integrator, supplier.caller, make_invoice(), idempotency_key="k-1", channel="api")
    with pytest.raises(DuplicateDocument, match="tekrar anahtarı"):
        submit(integrator, supplier.caller, make_invoice(notes=["başka"]),
               idempotency_key="k-1", channel="api")


def test_the_same_ettn_twice_is_a_duplicate(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    model = make_invoice(ettn="2d07cab5-bf97-4af5-96f8-ab45671a5e2e")
    submit(integrator, supplier.caller, model, channel="api")
    with pytest.raises(DuplicateDocument) as caught:
        submit(integrator, supplier.caller, model, channel="api")
    assert caught.value.ettn == "2d07cab5-bf97-4af5-96f8-ab45671a5e2e"


def test_the_same_number_twice_is_a_duplicate(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    submit(integrator, supplier.caller, make_invoice(number="ERP2025000000042"), channel="api")
    with pytest.raises(DuplicateDocument):
        submit(integrator, supplier.caller, make_invoice(number="ERP2025000000042"),
               channel="api")


def test_a_number_from_a_series_the_integrator_numbers_is_refused(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    from entegrator.core.numbering import next_numbers

    with integrator.db.transaction() as conn:
        next_numbers(conn, TenantScope(conn, supplier.id), "ENT", 2025, 1)
    with pytest.raises(ProfileRuleViolation, match="entegratör tarafından"):
        submit(integrator, supplier.caller, make_invoice(number="ENT2025000000099"),
               channel="api")


def test_a_viewer_may_not_submit(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    with pytest.raises(PermissionDenied):
        submit(integrator, supplier.as_role(Role.VIEWER), make_invoice(), channel="portal")


def test_earsiv_invoices_are_refused_for_now(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    with pytest.raises(ProfileRuleViolation, match="e-Arşiv"):
        submit(integrator, supplier.caller, make_invoice(profile="EARSIVFATURA"),
               channel="api")


def test_a_batch_is_accepted_whole_with_one_prepare_job(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    results = submit_many(integrator, supplier.caller,
                          [Request(make_invoice()) for _ in range(5)], channel="soap")
    assert len({r.document_id for r in results}) == 5
    assert all(r.state is DocumentState.QUEUED for r in results)
    assert len(job_rows(integrator, "outbound.prepare")) == 1


def test_a_batch_with_one_bad_invoice_stores_nothing_and_names_it(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    bad = build_invoice(make_invoice(), draft=True).replace(
        b"<cbc:InvoiceTypeCode>SATIS", b"<cbc:InvoiceTypeCode>SATISX")
    with pytest.raises(DocumentInvalid) as caught:
        submit_many(integrator, supplier.caller,
                    [Request(make_invoice()), Request(bad)], channel="soap")
    assert any("2. faturası" in note for note in caught.value.__notes__)
    with integrator.db.transaction(read_only=True) as conn:
        from entegrator.store.domain import documents

        scope = TenantScope(conn, supplier.id)
        assert scope.execute(scope.select(documents, documents.c.id)).first() is None
    assert job_rows(integrator, "outbound.prepare") == []


def test_another_tenant_never_sees_the_document(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), channel="api")
    with integrator.db.transaction(read_only=True) as conn:
        from entegrator.store.domain import documents

        assert conn.execute(
            TenantScope(conn, supplier.id + 1000).select(documents)
            .where(documents.c.id == result.document_id)).first() is None
