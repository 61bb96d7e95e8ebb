"""A restarted simulator resumes pending work from its database."""

from __future__ import annotations

from collections.abc import Callable

from entegrator.signing import Seal
from entegrator.signing.devpki import DevPki
from entegrator.simulator import Simulator, records
from tests.simulator.conftest import SimEnv
from tests.simulator.support import X, Y, invoice, sender_envelope


def _restart(env: SimEnv, pki: DevPki) -> Simulator:
    """Stop the running simulator and start a new one on the same database."""
    env.sim.stop()
    again = Simulator(env.sim.config, env.db, portal_pki=pki)
    again.start()
    base = again.serve_in_thread()
    env.a.merkez_url = Simulator.service_url(base, "a")
    env.b.merkez_url = Simulator.service_url(base, "b")
    return again


def test_queued_envelope_is_processed_after_a_restart(env: SimEnv, pki: DevPki,
                                                      seal: Callable[..., Seal]) -> None:
    env.sim.workers.stop()
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    assert env.record(built.envelope_id).status == 1000  # type: ignore[union-attr]
    again = _restart(env, pki)
    try:
        assert env.wait_status(built.envelope_id, 1300) == 1300
        assert env.codes(built.envelope_id) == [1000, 1100, 1200, 1220, 1300]
    finally:
        again.stop()


def test_envelope_interrupted_while_processing_is_finished(env: SimEnv, pki: DevPki,
                                                           seal: Callable[..., Seal]) -> None:
    env.sim.workers.stop()
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    with env.db.transaction() as conn:  # the crash came after 1100 was committed
        record = records.by_envelope_id(conn, built.envelope_id)
        assert record is not None
        records.set_status(conn, record.id, 1100, now=env.sim.runtime.now())
    again = _restart(env, pki)
    try:
        assert env.wait_status(built.envelope_id, 1300) == 1300
        assert env.codes(built.envelope_id) == [1000, 1100, 1200, 1220, 1300]
    finally:
        again.stop()


def test_delivery_retries_survive_a_restart(sim_factory: Callable[..., SimEnv], pki: DevPki,
                                            seal: Callable[..., Seal]) -> None:
    env = sim_factory()
    env.admin("POST", "/admin/faults", json={"kind": "outage", "integrator": "b"})
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1210)
    again = _restart(env, pki)  # the outage rule was not configured: it is gone
    try:
        assert env.wait_status(built.envelope_id, 1300) == 1300
        assert env.codes(built.envelope_id)[-3:] == [1210, 1220, 1300]
    finally:
        again.stop()
