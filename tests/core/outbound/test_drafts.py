"""Drafts: kept editable, updated, sent later, cancelled."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from entegrator.core.errors import InvalidState, NotRegisteredUser, ProfileRuleViolation
from entegrator.core.outbound import cancel_draft, send_draft, submit, update_draft
from entegrator.core.permissions import Role
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.errors import PermissionDenied
from entegrator.store.domain import document_contents
from entegrator.store.jobs import Worker
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import Invoice, build_invoice
from entegrator.validation import DocumentInvalid
from tests.core.outbound.support import document, events_of, job_rows
from tests.core.support import SeededTaxpayer

Make = Callable[..., Invoice]


def _content(integrator: Integrator, tenant_id: int, doc_id: int) -> tuple[str, bytes]:
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, tenant_id)
        row = scope.execute(scope.select(document_contents).where(
            document_contents.c.document_id == doc_id)).one()
    return row.kind, row.content


def test_a_draft_keeps_its_model_gets_an_ettn_and_is_not_queued(
    integrator: Integrator, supplier: SeededTaxpayer, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), draft=True, channel="portal")
    assert result.state is DocumentState.DRAFT and result.number is None
    row = document(integrator, supplier.id, result.document_id)
    assert (row.state, row.ettn, row.series) == ("draft", result.ettn, None)
    kind, content = _content(integrator, supplier.id, result.document_id)
    assert kind == "model" and result.ettn.encode() in content
    assert job_rows(integrator, "outbound.prepare") == []


def test_a_draft_is_not_checked_against_the_user_list_until_it_is_sent(
    integrator: Integrator, supplier: SeededTaxpayer, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), draft=True, channel="portal")
    with pytest.raises(NotRegisteredUser):
        send_draft(integrator, supplier.caller, result.document_id)
    assert document(integrator, supplier.id, result.document_id).state == "draft"


def test_updating_a_draft_replaces_its_content_and_keeps_its_ettn(
    integrator: Integrator, supplier: SeededTaxpayer, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), draft=True, channel="portal")
    updated = update_draft(integrator, supplier.caller, result.document_id,
                           make_invoice(notes=["güncel"]))
    assert updated.ettn == result.ettn
    assert "güncel".encode() in _content(integrator, supplier.id, result.document_id)[1]
    assert events_of(integrator, supplier.id, result.document_id) == ["draft", "draft"]


def test_a_draft_cannot_change_its_ettn(
    integrator: Integrator, supplier: SeededTaxpayer, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), draft=True, channel="portal")
    with pytest.raises(ProfileRuleViolation, match="ETTN"):
        update_draft(integrator, supplier.caller, result.document_id,
                     make_invoice(ettn="2d07cab5-bf97-4af5-96f8-ab45671a5e2e"))


def test_a_sent_draft_is_queued_numbered_and_sent(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), draft=True, channel="portal")
    queued = send_draft(integrator, supplier.caller, result.document_id, series="DRF")
    assert queued.state is DocumentState.QUEUED
    kind, content = _content(integrator, supplier.id, result.document_id)
    assert kind == "xml" and content.startswith(b"<?xml")

    worker.run_until_idle()

    row = document(integrator, supplier.id, result.document_id)
    assert row.state == "send_wait_gib_response" and row.number.startswith("DRF")
    assert row.ettn == result.ettn
    assert events_of(integrator, supplier.id, result.document_id)[:2] == ["draft", "queued"]


def test_an_xml_draft_is_validated_when_sent(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    bad = build_invoice(make_invoice(), draft=True).replace(
        b"<cbc:InvoiceTypeCode>SATIS", b"<cbc:InvoiceTypeCode>SATISX")
    result = submit(integrator, supplier.caller, bad, draft=True, channel="portal")
    with pytest.raises(DocumentInvalid):
        send_draft(integrator, supplier.caller, result.document_id)
    assert document(integrator, supplier.id, result.document_id).state == "draft"


def test_a_cancelled_draft_can_no_longer_be_changed_or_sent(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), draft=True, channel="portal")
    assert cancel_draft(integrator, supplier.caller, result.document_id).state is (
        DocumentState.CANCELLED)
    for action in (lambda: send_draft(integrator, supplier.caller, result.document_id),
                   lambda: cancel_draft(integrator, supplier.caller, result.document_id),
                   lambda: update_draft(integrator, supplier.caller, result.document_id,
                                        make_invoice())):
        with pytest.raises(InvalidState):
            action()


def test_a_queued_invoice_is_not_a_draft(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), channel="api")
    with pytest.raises(InvalidState) as caught:
        cancel_draft(integrator, supplier.caller, result.document_id)
    assert caught.value.state == "queued"


def test_a_viewer_may_not_touch_drafts(
    integrator: Integrator, supplier: SeededTaxpayer, make_invoice: Make,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice(), draft=True, channel="portal")
    with pytest.raises(PermissionDenied):
        cancel_draft(integrator, supplier.as_role(Role.VIEWER), result.document_id)
