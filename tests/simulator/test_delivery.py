"""Delivery to the receiver's integrator in accelerated GİB time: 1210 retries every two
hours → 1215, recovery, and polling a silent receiver in 1220 (Ek-2 §4.1, Ek-3 §7.2.2)."""

from __future__ import annotations

import time
from collections.abc import Callable

from entegrator.signing import Seal
from entegrator.simulator import ScheduleConfig, records
from tests.simulator.conftest import SimEnv
from tests.simulator.support import X, Y, invoice, sender_envelope

#: Two GİB hours pass in 0.2 s.
FAST = ScheduleConfig(time_factor=36_000.0, poll_interval=1800.0, max_polls=5)


def _outage(env: SimEnv, **extra: object) -> None:
    response = env.admin("POST", "/admin/faults", json={"kind": "outage", "integrator": "b",
                                                         **extra})
    assert response.status_code == 201, response.text


def test_receiver_down_ends_in_1215_after_four_retries(sim_factory: Callable[..., SimEnv],
                                                       seal: Callable[..., Seal]) -> None:
    env = sim_factory(schedule=FAST)
    _outage(env)
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    started = time.monotonic()
    env.a.send(built)
    env.wait_status(built.envelope_id, 1215)
    with env.db.transaction(read_only=True) as conn:
        record = records.by_envelope_id(conn, built.envelope_id)
        assert record is not None
        history = [e.code for e in records.envelope_events(conn, record.id)]
    assert history == [1000, 1100, 1200, 1210, 1210, 1210, 1210, 1215]
    assert record.attempts == 5  # the first try and four retries
    assert time.monotonic() - started >= 4 * 0.2  # four GİB "two hours" waited
    assert built.envelope_id.lower() not in env.b.received


def test_invoices_may_be_sent_again_after_1215(sim_factory: Callable[..., SimEnv],
                                               seal: Callable[..., Seal]) -> None:
    env = sim_factory(schedule=FAST)
    _outage(env)
    document = invoice(X, Y, seal(X.vkn))
    built = sender_envelope(X, Y, [document])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1215)
    env.admin("DELETE", "/admin/faults")
    again = sender_envelope(X, Y, [document])  # same invoice, new envelope
    env.a.send(again)
    assert env.wait_status(again.envelope_id, 1300, 1163) == 1300


def test_invoice_in_1210_may_not_be_sent_again(sim_factory: Callable[..., SimEnv],
                                               seal: Callable[..., Seal]) -> None:
    env = sim_factory(schedule=ScheduleConfig(time_factor=720.0))  # retries 10 s apart
    _outage(env)
    document = invoice(X, Y, seal(X.vkn))
    built = sender_envelope(X, Y, [document])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1210)
    again = sender_envelope(X, Y, [document])
    env.a.send(again)
    assert env.wait_status(again.envelope_id, 1163, 1200) == 1163


def test_delivery_succeeds_when_the_outage_ends(sim_factory: Callable[..., SimEnv],
                                                seal: Callable[..., Seal]) -> None:
    env = sim_factory()  # ×7200: retries one second apart
    _outage(env)
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1210)
    env.admin("DELETE", "/admin/faults")  # the receiver is back
    assert env.wait_status(built.envelope_id, 1300, 1215) == 1300
    codes = env.codes(built.envelope_id)
    assert codes[:4] == [1000, 1100, 1200, 1210] and codes[-2:] == [1220, 1300]


def test_receiver_server_stopped_gives_1210(sim_factory: Callable[..., SimEnv],
                                            seal: Callable[..., Seal]) -> None:
    env = sim_factory()
    env.b.stop()  # a real network failure: connection refused
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1210)
    record = env.record(built.envelope_id)
    assert record is not None and record.detail and "TransportError" in record.detail


def test_silent_receiver_is_polled_until_it_answers(sim_factory: Callable[..., SimEnv],
                                                    seal: Callable[..., Seal]) -> None:
    env = sim_factory(b_mode="silent", schedule=FAST)
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1300) == 1300
    assert env.codes(built.envelope_id) == [1000, 1100, 1200, 1220, 1300]
    issuers = {issuer for issuer, _, _ in env.a.wait_responses(built.envelope_id, 2)}
    assert issuers == {"3900383669", Y.vkn}  # the polled answer is forwarded too


def test_polling_stops_after_max_polls(sim_factory: Callable[..., SimEnv],
                                       seal: Callable[..., Seal]) -> None:
    env = sim_factory(b_mode="silent", schedule=FAST)
    env.b.answers = _Forgetful()  # B never has an answer to give
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1220)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        record = env.record(built.envelope_id)
        if record is not None and record.polls >= FAST.max_polls:
            break
        time.sleep(0.05)
    time.sleep(0.3)
    record = env.record(built.envelope_id)
    assert record is not None and record.status == 1220 and record.polls == FAST.max_polls


class _Forgetful(dict):  # type: ignore[type-arg]
    """A receiver that never keeps its answers (so polls find nothing)."""

    def __setitem__(self, key: str, value: bytes) -> None:
        return None
