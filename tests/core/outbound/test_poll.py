"""outbound.poll: getApplicationResponse until an envelope settles, with a growing interval."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from entegrator.core.outbound import submit
from entegrator.core.outbound.config import OutboundConfig
from entegrator.core.outbound.poll import next_delay
from entegrator.core.wiring import Integrator
from entegrator.gib.errors import SystemFault
from entegrator.store import FakeClock
from entegrator.store.jobs import Worker
from entegrator.ubl import Invoice
from tests.core.outbound.merkez import FakeMerkez
from tests.core.outbound.support import document, job_rows
from tests.core.support import SeededTaxpayer

Make = Callable[..., Invoice]


@pytest.fixture
def sent(integrator: Integrator, supplier: SeededTaxpayer, customer: str, make_invoice: Make,
         worker: Worker) -> int:
    result = submit(integrator, supplier.caller, make_invoice(), channel="api")
    worker.run_until_idle()
    return result.document_id


def _poll(integrator: Integrator, worker: Worker, clock: FakeClock) -> None:
    [job] = job_rows(integrator, "outbound.poll")
    clock.advance(max(0.0, (job.run_at - clock.now()).total_seconds()) + 1)
    worker.run_until_idle()


def test_a_final_status_from_merkez_ends_the_polling(
    *, integrator: Integrator, supplier: SeededTaxpayer, sent: int, worker: Worker,
    merkez: FakeMerkez, clock: FakeClock,
) -> None:
    merkez.default_status = 1300
    _poll(integrator, worker, clock)
    assert document(integrator, supplier.id, sent).state == "send_succeed"
    [job] = job_rows(integrator, "outbound.poll")
    assert job.state == "done"


def test_an_unsettled_status_is_polled_again_later(
    *, integrator: Integrator, supplier: SeededTaxpayer, sent: int, worker: Worker,
    merkez: FakeMerkez, clock: FakeClock,
) -> None:
    merkez.default_status = 1220
    _poll(integrator, worker, clock)
    assert document(integrator, supplier.id, sent).state == "send_wait_system_response"
    [job] = job_rows(integrator, "outbound.poll")
    assert job.state == "pending" and job.run_at > clock.now()

    merkez.default_status = 1300
    _poll(integrator, worker, clock)
    assert document(integrator, supplier.id, sent).state == "send_succeed"


def test_a_failure_reported_by_polling_fails_the_invoice(
    *, integrator: Integrator, supplier: SeededTaxpayer, sent: int, worker: Worker,
    merkez: FakeMerkez, clock: FakeClock,
) -> None:
    merkez.default_status = 1160
    _poll(integrator, worker, clock)
    row = document(integrator, supplier.id, sent)
    assert (row.state, row.gib_status_code) == ("send_failed", 1160)


def test_merkez_errors_while_polling_are_retried(
    integrator: Integrator, sent: int, worker: Worker, merkez: FakeMerkez, clock: FakeClock,
) -> None:
    merkez.poll_fail_with = SystemFault()
    _poll(integrator, worker, clock)
    [job] = job_rows(integrator, "outbound.poll")
    assert (job.state, job.attempts) == ("pending", 1) and "2005" in job.last_error


def test_polling_stops_after_the_give_up_time(
    *, integrator: Integrator, supplier: SeededTaxpayer, sent: int, worker: Worker,
    merkez: FakeMerkez, clock: FakeClock,
) -> None:
    merkez.default_status = 1220
    clock.advance(integrator.config.outbound.poll_give_up + 1)
    worker.run_until_idle()
    [job] = job_rows(integrator, "outbound.poll")
    assert job.state == "done"
    assert document(integrator, supplier.id, sent).state == "send_wait_gib_response"


def test_the_interval_grows_with_the_envelopes_age() -> None:
    config = OutboundConfig(poll_interval=300, poll_max_interval=4 * 3600)
    sent = datetime(2030, 1, 1, tzinfo=UTC)
    delays = [next_delay(config, sent, sent + timedelta(seconds=s))
              for s in (60, 3600, 6 * 3600, 2 * 86400)]
    assert delays == [300, 1800, 3 * 3600, 4 * 3600]
