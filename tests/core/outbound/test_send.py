"""outbound.send: any OUT envelope to Merkez over real HTTP; success, 2001, retries, refusals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from entegrator.core.inbound.outgoing import store_outgoing
from entegrator.core.outbound import submit
from entegrator.core.wiring import Integrator
from entegrator.envelope import GIB, read_envelope, system_envelope
from entegrator.gib.errors import Suspended, SystemFault, UnknownEnvelope
from entegrator.store import FakeClock
from entegrator.store.jobs import Worker, breaker_status
from entegrator.ubl import Invoice
from tests.core.outbound.merkez import FakeMerkez
from tests.core.outbound.support import document, envelope_rows, events_of, job_rows
from tests.core.support import SeededTaxpayer

Make = Callable[..., Invoice]


def _send_one(integrator: Integrator, supplier: SeededTaxpayer, make: Make,
              worker: Worker) -> int:
    result = submit(integrator, supplier.caller, make(), channel="api")
    worker.run_until_idle()
    return result.document_id


def test_a_sent_envelope_is_acknowledged_and_its_status_polled_later(
    *, integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker, merkez: FakeMerkez, clock: FakeClock,
) -> None:
    doc_id = _send_one(integrator, supplier, make_invoice, worker)

    row = document(integrator, supplier.id, doc_id)
    [envelope] = envelope_rows(integrator)
    assert (envelope.state, envelope.attempts) == ("sent", 1)
    assert row.state == "send_wait_gib_response" and row.sent_at == envelope.sent_at
    assert merkez.envelopes() == [envelope.envelope_uuid]
    [poll] = job_rows(integrator, "outbound.poll")
    assert poll.payload == {"envelope_id": envelope.id} and poll.destination == "gib"
    assert poll.run_at == clock.now() + timedelta(
        seconds=integrator.config.outbound.poll_first_delay)


def test_an_envelope_merkez_already_has_counts_as_sent_and_is_not_stored_twice(
    integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    merkez: FakeMerkez,
) -> None:
    from tests.core.outbound.support import outbound_worker

    result = submit(integrator, supplier.caller, make_invoice(), channel="api")
    prepare_only = outbound_worker(integrator)
    from entegrator.core.outbound.prepare import prepare_once

    prepare_once(integrator, supplier.id, token="t")
    [envelope] = envelope_rows(integrator)
    with integrator.db.transaction(read_only=True) as conn:  # a run that died after sending
        data = integrator.archive.get(conn, envelope.archive_ref)
    integrator.gib_client.send_document(f"{envelope.envelope_uuid}.zip", data)

    prepare_only.run_until_idle()

    assert merkez.receive_calls == 2 and merkez.envelopes() == [envelope.envelope_uuid]
    assert document(integrator, supplier.id, result.document_id).state == (
        "send_wait_gib_response")


def test_merkez_failing_is_retried_with_backoff_then_succeeds(
    *, integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker, merkez: FakeMerkez, clock: FakeClock,
) -> None:
    merkez.fail_with = SystemFault()
    doc_id = _send_one(integrator, supplier, make_invoice, worker)

    [job] = job_rows(integrator, "outbound.send")
    assert (job.state, job.attempts) == ("pending", 1) and "2005" in job.last_error
    assert job.run_at > clock.now()
    assert document(integrator, supplier.id, doc_id).state == "sending"

    merkez.fail_with = None
    clock.advance(3600)
    worker.run_until_idle()
    assert document(integrator, supplier.id, doc_id).state == "send_wait_gib_response"


def test_suspended_sending_is_waited_out(
    *, integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker, merkez: FakeMerkez,
) -> None:
    merkez.fail_with = Suspended()
    doc_id = _send_one(integrator, supplier, make_invoice, worker)
    [job] = job_rows(integrator, "outbound.send")
    assert job.state == "pending" and "2007" in job.last_error
    assert document(integrator, supplier.id, doc_id).state == "sending"


def test_repeated_failures_open_the_gib_circuit_breaker(
    *, integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker, merkez: FakeMerkez, clock: FakeClock,
) -> None:
    merkez.fail_with = SystemFault()
    _send_one(integrator, supplier, make_invoice, worker)
    threshold = worker.config.breaker.failure_threshold
    for _ in range(threshold):
        clock.advance(4000)
        worker.run_until_idle()
    with integrator.db.transaction(read_only=True) as conn:
        assert breaker_status(conn, "gib").state.value == "open"
    calls = merkez.receive_calls
    worker.run_until_idle()
    assert merkez.receive_calls == calls


def test_an_envelope_merkez_refuses_fails_its_invoices(
    *, integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker, merkez: FakeMerkez,
) -> None:
    merkez.fail_with = UnknownEnvelope()  # 2004: not a fault retrying can cure
    doc_id = _send_one(integrator, supplier, make_invoice, worker)

    row = document(integrator, supplier.id, doc_id)
    assert row.state == "send_failed" and "2004" in row.gib_status_description
    [envelope] = envelope_rows(integrator)
    assert envelope.state == "failed"
    assert job_rows(integrator, "outbound.poll") == []
    assert events_of(integrator, supplier.id, doc_id)[-1] == "send_failed"


def test_a_system_response_envelope_is_sent_and_not_polled(
    *, integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker, merkez: FakeMerkez,
) -> None:
    _send_one(integrator, supplier, make_invoice, worker)
    answered = read_envelope(merkez.stored[merkez.envelopes()[0]]).header
    built = system_envelope(answered, 1200, new_id=lambda: __import__("uuid").uuid4().__str__(),
                            now=integrator.clock.now, responder=GIB)
    with integrator.db.transaction() as conn:
        store_outgoing(conn, integrator, built, tenant_id=supplier.id,
                       answers=answered.envelope_id)
    polls = len(job_rows(integrator, "outbound.poll"))

    worker.run_until_idle()

    assert built.envelope_id.lower() in merkez.envelopes()
    assert [e.state for e in envelope_rows(integrator)] == ["sent", "sent"]
    assert len(job_rows(integrator, "outbound.poll")) == polls


def test_a_send_job_for_an_envelope_already_sent_does_nothing(
    *, integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker, merkez: FakeMerkez,
) -> None:
    from entegrator.store.jobs import enqueue

    _send_one(integrator, supplier, make_invoice, worker)
    [envelope] = envelope_rows(integrator)
    with integrator.db.transaction() as conn:
        enqueue(conn, "outbound.send", {"envelope_id": envelope.id}, clock=integrator.clock)
    worker.run_until_idle()
    assert merkez.receive_calls == 1


def test_a_status_that_overtakes_the_recording_of_the_send_still_gets_a_poll_job(
    *, integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
    worker: Worker, merkez: FakeMerkez,
) -> None:
    from entegrator.core.outbound import apply_system_response
    from entegrator.core.outbound.prepare import prepare_once

    result = submit(integrator, supplier.caller, make_invoice(), channel="api")
    prepare_once(integrator, supplier.id, token="t")
    [envelope] = envelope_rows(integrator)
    with integrator.db.transaction() as conn:  # the push of a run that died after sending
        apply_system_response(conn, integrator, envelope.envelope_uuid, 1200, responder=GIB)
    assert document(integrator, supplier.id, result.document_id).state == (
        "send_wait_system_response")

    worker.run_until_idle()

    assert merkez.receive_calls == 0  # not sent again: Merkez evidently has it
    assert document(integrator, supplier.id, result.document_id).state == (
        "send_wait_system_response")
    assert len(job_rows(integrator, "outbound.poll")) == 1
