"""GİB status codes applied to our envelopes and their invoices (apply_system_response)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from entegrator.core.outbound import apply_system_response, submit
from entegrator.core.outbound.status import Outcome, classify
from entegrator.core.wiring import Integrator
from entegrator.envelope import GIB, Party
from entegrator.store.jobs import Worker
from entegrator.ubl import Invoice
from tests.core.outbound.support import document, envelope_rows, events_of, job_rows
from tests.core.support import CUSTOMER, SeededTaxpayer

Make = Callable[..., Invoice]
RECEIVER = Party(CUSTOMER.pk, CUSTOMER.vkn)


@pytest.fixture
def sent(integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
         worker: Worker) -> tuple[int, str]:
    """A TEMELFATURA acknowledged by Merkez: (document id, envelope UUID)."""
    result = submit(integrator, supplier.caller, make_invoice(), channel="api")
    worker.run_until_idle()
    return result.document_id, document(integrator, supplier.id, result.document_id).envelope_uuid


def _apply(integrator: Integrator, envelope_uuid: str, code: int,
           responder: Party | None = GIB) -> bool:
    with integrator.db.transaction() as conn:
        return apply_system_response(conn, integrator, envelope_uuid, code, responder=responder)


@pytest.mark.parametrize(
    ("code", "responder", "state", "recorded"),
    [
        (1000, GIB, "send_wait_gib_response", None),
        (1100, GIB, "send_wait_gib_response", None),
        (1200, GIB, "send_wait_system_response", 1200),
        (1210, GIB, "send_wait_system_response", 1210),
        (1220, None, "send_wait_system_response", 1220),
        (1300, None, "send_succeed", 1300),
        (1200, RECEIVER, "send_succeed", 1300),
        (1160, RECEIVER, "send_failed", 1160),
        (1150, GIB, "send_failed", 1150),
        (1163, GIB, "send_failed", 1163),
        (1215, None, "send_failed", 1215),
        (1230, None, "send_failed", 1230),
    ],
)
def test_each_code_moves_the_invoice_as_gib_defines(
    *, integrator: Integrator, supplier: SeededTaxpayer, sent: tuple[int, str], code: int,
    responder: Party | None, state: str, recorded: int | None,
) -> None:
    doc_id, envelope_uuid = sent
    assert _apply(integrator, envelope_uuid, code, responder)
    row = document(integrator, supplier.id, doc_id)
    assert row.state == state
    if recorded is not None:
        assert row.gib_status_code == recorded


@pytest.mark.parametrize("order", [("receiver", "merkez"), ("merkez", "receiver")])
def test_a_delivered_envelope_ends_1300_whichever_news_comes_first(
    integrator: Integrator, supplier: SeededTaxpayer, sent: tuple[int, str],
    order: tuple[str, str],
) -> None:
    doc_id, envelope_uuid = sent
    news = {"receiver": (1200, RECEIVER), "merkez": (1300, None)}
    for who in order:
        _apply(integrator, envelope_uuid, *news[who])
    row = document(integrator, supplier.id, doc_id)
    assert (row.state, row.gib_status_code, row.gib_status_description) == (
        "send_succeed", 1300, "BASARIYLA TAMAMLANDI")
    [envelope] = envelope_rows(integrator)
    assert (envelope.state, envelope.gib_status_code) == ("done", 1300)


def test_the_history_records_every_step_with_its_code(
    integrator: Integrator, supplier: SeededTaxpayer, sent: tuple[int, str],
) -> None:
    doc_id, envelope_uuid = sent
    for code, who in ((1200, GIB), (1220, None), (1200, RECEIVER)):
        _apply(integrator, envelope_uuid, code, who)
    assert events_of(integrator, supplier.id, doc_id) == [
        "queued", "sending", "send_wait_gib_response", "send_wait_system_response",
        "send_succeed"]
    [envelope] = envelope_rows(integrator)
    assert (envelope.state, envelope.gib_status_code) == ("done", 1300)


def test_late_or_repeated_news_never_moves_an_invoice_back(
    integrator: Integrator, supplier: SeededTaxpayer, sent: tuple[int, str],
) -> None:
    doc_id, envelope_uuid = sent
    _apply(integrator, envelope_uuid, 1300)
    _apply(integrator, envelope_uuid, 1200)
    _apply(integrator, envelope_uuid, 1150)
    _apply(integrator, envelope_uuid, 1300)
    assert document(integrator, supplier.id, doc_id).state == "send_succeed"
    assert events_of(integrator, supplier.id, doc_id).count("send_succeed") == 1


def test_merkez_1200_after_the_receivers_1200_changes_nothing(
    integrator: Integrator, supplier: SeededTaxpayer, sent: tuple[int, str],
) -> None:
    doc_id, envelope_uuid = sent
    _apply(integrator, envelope_uuid, 1200, RECEIVER)
    _apply(integrator, envelope_uuid, 1200, GIB)
    assert document(integrator, supplier.id, doc_id).state == "send_succeed"


def test_a_commercial_invoice_waits_eight_days_for_its_answer(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker,
) -> None:
    result = submit(integrator, supplier.caller, make_invoice("32-ticari-satis.json"),
                    channel="api")
    worker.run_until_idle()
    row = document(integrator, supplier.id, result.document_id)
    _apply(integrator, row.envelope_uuid, 1300)
    row = document(integrator, supplier.id, result.document_id)
    assert row.state == "send_wait_application_response"
    assert row.response_deadline == row.sent_at + timedelta(days=8)
    [deadline] = job_rows(integrator, "responses.deadline")
    assert deadline.payload == {"tenant_id": supplier.id, "document_id": row.id}


def test_an_informational_code_moves_nothing(
    integrator: Integrator, supplier: SeededTaxpayer, sent: tuple[int, str],
) -> None:
    doc_id, envelope_uuid = sent
    assert _apply(integrator, envelope_uuid, 1235)
    assert document(integrator, supplier.id, doc_id).state == "send_wait_gib_response"


def test_unknown_envelopes_and_codes_are_not_applied(
    integrator: Integrator, supplier: SeededTaxpayer, sent: tuple[int, str],
) -> None:
    doc_id, envelope_uuid = sent
    assert not _apply(integrator, "0b1d2f3a-4c5d-4e6f-8a9b-0c1d2e3f4a5b", 1300)
    assert not _apply(integrator, envelope_uuid, 1999)
    assert document(integrator, supplier.id, doc_id).state == "send_wait_gib_response"


@pytest.mark.parametrize("code", [1120, 1190, 1195, 1215])
def test_failures_on_gibs_side_schedule_an_automatic_resend(
    integrator: Integrator, sent: tuple[int, str], code: int,
) -> None:
    _, envelope_uuid = sent
    _apply(integrator, envelope_uuid, code)
    [job] = job_rows(integrator, "outbound.resend")
    assert job.payload == {"envelope_id": envelope_rows(integrator)[0].id}
    assert job.run_at > integrator.clock.now()


@pytest.mark.parametrize(("code", "who"), [(1163, GIB), (1150, GIB), (1160, RECEIVER),
                                           (1181, GIB), (1230, None)])
def test_other_failures_are_never_resent_automatically(
    integrator: Integrator, sent: tuple[int, str], code: int, who: Party | None,
) -> None:
    _, envelope_uuid = sent
    _apply(integrator, envelope_uuid, code, who)
    assert job_rows(integrator, "outbound.resend") == []


def test_1220_keeps_waiting_and_resends_nothing(
    integrator: Integrator, supplier: SeededTaxpayer, sent: tuple[int, str],
) -> None:
    doc_id, envelope_uuid = sent
    _apply(integrator, envelope_uuid, 1220)
    assert document(integrator, supplier.id, doc_id).state == "send_wait_system_response"
    assert job_rows(integrator, "outbound.resend") == []


def test_classify_tells_merkez_from_the_receiver() -> None:
    assert classify(1200, from_merkez=True) is Outcome.ON_THE_WAY
    assert classify(1200, from_merkez=False) is Outcome.DELIVERED
    assert classify(1000, from_merkez=True) is Outcome.AT_MERKEZ
    assert classify(1235, from_merkez=True) is Outcome.NOTED
    assert classify(4242, from_merkez=True) is None
