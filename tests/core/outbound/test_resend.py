"""Sending failed invoices again: automatically (bounded) and on the user's request."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from entegrator.core.errors import InvalidState, ProfileRuleViolation
from entegrator.core.outbound import apply_system_response, resend, submit
from entegrator.core.permissions import Role
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.envelope import GIB, read_envelope
from entegrator.errors import NotFound, PermissionDenied
from entegrator.store import FakeClock
from entegrator.store.domain import seals as seal_rows
from entegrator.store.jobs import Worker
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import Invoice
from tests.core.outbound.merkez import FakeMerkez
from tests.core.outbound.support import document, envelope_rows, job_rows
from tests.core.support import SeededTaxpayer

Make = Callable[..., Invoice]


def _fail(integrator: Integrator, envelope_uuid: str, code: int) -> None:
    with integrator.db.transaction() as conn:
        apply_system_response(conn, integrator, envelope_uuid, code, responder=GIB)


@pytest.fixture
def sent(integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
         worker: Worker) -> int:
    result = submit(integrator, supplier.caller, make_invoice(), channel="api")
    worker.run_until_idle()
    return result.document_id


def test_an_automatic_resend_sends_the_same_invoice_in_a_new_envelope(
    *, integrator: Integrator, supplier: SeededTaxpayer, sent: int, worker: Worker,
    merkez: FakeMerkez, clock: FakeClock,
) -> None:
    first = document(integrator, supplier.id, sent)
    _fail(integrator, first.envelope_uuid, 1215)
    clock.advance(integrator.config.outbound.auto_resend_delay + 1)

    worker.run_until_idle()

    again = document(integrator, supplier.id, sent)
    assert again.state == "send_wait_gib_response"
    assert again.envelope_uuid != first.envelope_uuid
    assert (again.number, again.ettn, again.archive_ref) == (first.number, first.ettn,
                                                             first.archive_ref)
    assert sorted(merkez.envelopes()) == sorted([first.envelope_uuid, again.envelope_uuid])
    old, new = (read_envelope(merkez.stored[u]) for u in (first.envelope_uuid,
                                                           again.envelope_uuid))
    assert old.document_bytes(0) == new.document_bytes(0)


def test_news_about_the_old_envelope_no_longer_touches_the_resent_invoice(
    integrator: Integrator, supplier: SeededTaxpayer, sent: int, worker: Worker,
    clock: FakeClock,
) -> None:
    first = document(integrator, supplier.id, sent).envelope_uuid
    _fail(integrator, first, 1195)
    clock.advance(integrator.config.outbound.auto_resend_delay + 1)
    worker.run_until_idle()
    _fail(integrator, first, 1300)  # bogus late news for the abandoned envelope
    assert document(integrator, supplier.id, sent).state == "send_wait_gib_response"


def test_automatic_resends_stop_after_the_configured_number(
    integrator: Integrator, supplier: SeededTaxpayer, sent: int, worker: Worker,
    clock: FakeClock,
) -> None:
    limit = integrator.config.outbound.max_auto_resends
    for _ in range(limit + 1):
        _fail(integrator, document(integrator, supplier.id, sent).envelope_uuid, 1195)
        clock.advance(integrator.config.outbound.auto_resend_delay + 1)
        worker.run_until_idle()
    row = document(integrator, supplier.id, sent)
    assert row.state == "send_failed"
    assert len(envelope_rows(integrator)) == limit + 1


def test_the_user_may_resend_after_an_address_failure_to_another_postbox(
    integrator: Integrator, supplier: SeededTaxpayer, sent: int, worker: Worker,
    merkez: FakeMerkez,
) -> None:
    _fail(integrator, document(integrator, supplier.id, sent).envelope_uuid, 1181)
    other = "urn:mail:muhasebe@karadenizgida.com.tr"

    result = resend(integrator, supplier.caller, sent, receiver_alias=other)
    worker.run_until_idle()

    assert result.state is DocumentState.SENDING
    row = document(integrator, supplier.id, sent)
    assert (row.state, row.receiver_alias) == ("send_wait_gib_response", other)
    assert read_envelope(merkez.stored[row.envelope_uuid]).header.receiver.alias == other


@pytest.mark.parametrize("code", [1163, 1164])
def test_the_user_may_not_resend_what_gib_already_registered(
    integrator: Integrator, supplier: SeededTaxpayer, sent: int, code: int,
) -> None:
    _fail(integrator, document(integrator, supplier.id, sent).envelope_uuid, code)
    with pytest.raises(ProfileRuleViolation, match=str(code)):
        resend(integrator, supplier.caller, sent)


def test_an_invoice_in_flight_or_delivered_cannot_be_resent(
    integrator: Integrator, supplier: SeededTaxpayer, sent: int,
) -> None:
    envelope_uuid = document(integrator, supplier.id, sent).envelope_uuid
    _fail(integrator, envelope_uuid, 1220)
    with pytest.raises(InvalidState):
        resend(integrator, supplier.caller, sent)
    _fail(integrator, envelope_uuid, 1300)
    with pytest.raises(InvalidState):
        resend(integrator, supplier.caller, sent)


def test_a_sign_failure_goes_back_to_the_queue_once_the_seal_is_fixed(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker,
) -> None:
    with integrator.db.transaction() as conn:
        scope = TenantScope(conn, supplier.id)
        scope.execute(scope.update(seal_rows).values(active=False))
    integrator.seals.refresh()
    result = submit(integrator, supplier.caller, make_invoice(), channel="api")
    worker.run_until_idle()
    assert document(integrator, supplier.id, result.document_id).state == "sign_failed"
    with integrator.db.transaction() as conn:
        scope = TenantScope(conn, supplier.id)
        scope.execute(scope.update(seal_rows).values(active=True))
    integrator.seals.refresh()

    assert resend(integrator, supplier.caller, result.document_id).state is DocumentState.QUEUED
    worker.run_until_idle()
    row = document(integrator, supplier.id, result.document_id)
    assert row.state == "send_wait_gib_response"
    assert row.number.endswith("000000001")


def test_a_viewer_may_not_resend_and_others_documents_are_not_found(
    integrator: Integrator, supplier: SeededTaxpayer, sent: int,
) -> None:
    with pytest.raises(PermissionDenied):
        resend(integrator, supplier.as_role(Role.VIEWER), sent)
    with pytest.raises(NotFound):
        resend(integrator, supplier.caller, sent + 1000)
    assert job_rows(integrator, "outbound.resend") == []
