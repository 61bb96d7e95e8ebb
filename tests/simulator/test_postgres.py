"""The simulator on PostgreSQL: the whole flow, duplicates and a USERENVELOPE."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from entegrator.envelope import UserAction
from entegrator.signing import Seal
from entegrator.store import StoreConfig
from entegrator.ubl import ns
from tests.simulator.conftest import SimEnv
from tests.simulator.support import INTEGRATOR_A_VKN, X, Y, invoice, sender_envelope, user_envelope
from tests.simulator.test_userflow import Z

pytestmark = pytest.mark.postgres


def test_flow_and_duplicates_on_postgresql(sim_factory: Callable[..., SimEnv],
                                           pg_schema_config: StoreConfig,
                                           seal: Callable[..., Seal]) -> None:
    env = sim_factory(db_config=pg_schema_config)
    document = invoice(X, Y, seal(X.vkn))
    built = sender_envelope(X, Y, [document])
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1300) == 1300
    assert env.codes(built.envelope_id) == [1000, 1100, 1200, 1220, 1300]
    again = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn),
                                           uuid=document.findtext(ns.cbc("UUID")))])
    env.a.send(again)
    assert env.wait_status(again.envelope_id, 1163, 1200) == 1163


def test_user_envelope_on_postgresql(sim_factory: Callable[..., SimEnv],
                                     pg_schema_config: StoreConfig,
                                     seal: Callable[..., Seal]) -> None:
    env = sim_factory(db_config=pg_schema_config)
    built = user_envelope(INTEGRATOR_A_VKN, Z, UserAction.PROCESS,
                          integrator_seal=seal(INTEGRATOR_A_VKN), customer_seal=seal(Z.vkn))
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1300, 1182) == 1300
