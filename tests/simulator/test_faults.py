"""Fault injection: the rule plan itself, and drop / delay / force_code over HTTP."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from entegrator.errors import ConfigurationError
from entegrator.signing import Seal
from entegrator.simulator import FaultKind, FaultPlan, FaultRule
from entegrator.simulator.faults import FaultFacts
from entegrator.store.jobs import jobs
from tests.simulator.conftest import SimEnv
from tests.simulator.support import X, Y, invoice, sender_envelope

NOW = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


def test_rule_is_used_count_times() -> None:
    plan = FaultPlan((FaultRule(FaultKind.DROP, count=2),))
    facts = FaultFacts("a", "e1")
    assert [plan.take(FaultKind.DROP, facts) is not None for _ in range(3)] == [True, True, False]
    assert plan.rules() == []


def test_rule_without_count_stays() -> None:
    plan = FaultPlan((FaultRule(FaultKind.DROP),))
    assert all(plan.take(FaultKind.DROP, FaultFacts("a")) for _ in range(5))


def test_rule_matches_only_its_criteria() -> None:
    plan = FaultPlan((FaultRule(FaultKind.FORCE_CODE, code=1160, integrator="b",
                                sender_vkn=Y.vkn),))
    assert plan.take(FaultKind.FORCE_CODE, FaultFacts("a", sender_vkn=Y.vkn)) is None
    assert plan.take(FaultKind.FORCE_CODE, FaultFacts("b", sender_vkn=X.vkn)) is None
    assert plan.take(FaultKind.DROP, FaultFacts("b", sender_vkn=Y.vkn)) is None
    assert plan.take(FaultKind.FORCE_CODE, FaultFacts("b", sender_vkn=Y.vkn)) is not None


def test_outage_window() -> None:
    plan = FaultPlan((FaultRule(FaultKind.OUTAGE, integrator="b", starts_at=NOW,
                                ends_at=NOW + dt.timedelta(hours=1)),))
    assert not plan.outage("b", NOW - dt.timedelta(seconds=1))
    assert plan.outage("b", NOW)
    assert not plan.outage("b", NOW + dt.timedelta(hours=1))
    assert not plan.outage("a", NOW)


@pytest.mark.parametrize("data", [
    {"kind": "send_fault", "code": 2000},
    {"kind": "force_code", "code": 1300},
    {"kind": "delay"},
    {"kind": "outage"},
    {"kind": "drop", "count": 0},
    {"kind": "nope"},
    {"kind": "drop", "colour": "red"},
    {"kind": "outage", "integrator": "b", "ends_at": "2030-01-01T00:00:00"},
])
def test_bad_rules_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(ConfigurationError):
        FaultRule.from_mapping(data)


def test_rule_round_trips_through_json() -> None:
    rule = FaultRule.from_mapping({"kind": "outage", "integrator": "b",
                                   "ends_at": "2030-01-01T00:00:00+00:00"})
    assert FaultRule.from_mapping(rule.to_dict()) == rule


def test_dropped_envelope_is_stored_and_never_processed(env: SimEnv,
                                                        seal: Callable[..., Seal]) -> None:
    env.admin("POST", "/admin/faults", json={"kind": "drop", "count": 1, "integrator": "a"})
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    time.sleep(0.5)
    record = env.record(built.envelope_id)
    assert record is not None and record.status == 1000
    with env.db.transaction(read_only=True) as conn:
        assert conn.execute(select(jobs.c.id)).all() == []


def test_delayed_envelope_waits_gib_time(sim_factory: Callable[..., SimEnv],
                                         seal: Callable[..., Seal]) -> None:
    env = sim_factory()  # ×7200: 2 GİB hours are one second
    env.admin("POST", "/admin/faults", json={"kind": "delay", "seconds": 7200, "count": 1})
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    started = time.monotonic()
    env.a.send(built)
    time.sleep(0.5)
    record = env.record(built.envelope_id)
    assert record is not None and record.status == 1000
    env.wait_status(built.envelope_id, 1300)
    assert time.monotonic() - started >= 1.0


def test_forced_code_replaces_the_checks_result(env: SimEnv, seal: Callable[..., Seal]) -> None:
    env.admin("POST", "/admin/faults", json={"kind": "force_code", "code": 1160,
                                              "envelope_type": "SENDERENVELOPE", "count": 1})
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1160, 1300) == 1160
    second = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(second)
    assert env.wait_status(second.envelope_id, 1300, 1160) == 1300


def test_faults_are_listed_and_removed(env: SimEnv) -> None:
    created = env.admin("POST", "/admin/faults", json={"kind": "drop"}).json()["id"]
    listed = env.admin("GET", "/admin/faults").json()
    assert listed == [{"id": created, "kind": "drop"}]
    assert env.admin("DELETE", f"/admin/faults/{created}").json() == {"removed": True}
    assert env.admin("GET", "/admin/faults").json() == []
