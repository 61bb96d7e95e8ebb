"""The simulator's configuration objects and TOML file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from entegrator.errors import ConfigurationError
from entegrator.simulator import (
    CheckSwitches,
    FaultKind,
    IntegratorConfig,
    ScheduleConfig,
    SimulatorConfig,
    UserSeed,
    load_config,
)

CONFIG = """
admin_token = "gizli"
trust_store = "guven"

[schedule]
time_factor = 3600.0
retries = 2

[checks]
verify_signatures = false

[[integrators]]
id = "a"
name = "Entegratör A"
vkn = "1111111114"
endpoint = "http://127.0.0.1:9001/efatura"
networks = ["127.0.0.2/32"]

[[portal_users]]
vkn = "3333333339"
title = "Portal"
gb_alias = "urn:mail:gb@portal.example"
pk_alias = "urn:mail:pk@portal.example"

[[users]]
vkn = "4540536920"
title = "X A.Ş."
integrator = "a"
gb = ["urn:mail:gb@x.example"]
pk = ["urn:mail:pk@x.example"]

[[faults]]
kind = "outage"
integrator = "a"
"""


def test_toml_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "sim.toml"
    path.write_text(CONFIG, encoding="utf-8")
    config = load_config(path)
    assert config.admin_token is not None and config.admin_token.reveal() == "gizli"
    assert config.trust_store == tmp_path / "guven"
    assert config.schedule.time_factor == 3600.0 and config.schedule.retries == 2
    assert config.checks.verify_signatures is False and config.checks.schema is True
    assert config.integrators[0].networks == ("127.0.0.2/32",)
    assert config.users[0].pk == ("urn:mail:pk@x.example",)
    assert config.portal_users[0].vkn == "3333333339"
    assert config.faults[0].kind is FaultKind.OUTAGE


@pytest.mark.parametrize("text", [
    "bilinmeyen = 1",
    "[schedule]\nhizli = true",
    "[schedule]\ntime_factor = 0",
    "[[integrators]]\nid = 'A B'\nname = 'x'\nvkn = '1111111114'\nendpoint = 'http://x'",
    "[[users]]\nvkn = '4540536920'\ntitle = 'x'\nintegrator = 'yok'",
    "[[users]]\nvkn = '4540536920'\ntitle = 'x'\nintegrator = 'a'\ngb = ['gecersiz']",
    "bu toml değil = = =",
])
def test_bad_files_are_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "sim.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError):
        load_config(path)


def test_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        load_config(tmp_path / "yok.toml")


def test_gib_time_is_scaled() -> None:
    schedule = ScheduleConfig(time_factor=7200.0)
    assert schedule.scaled(schedule.retry_interval) == timedelta(seconds=1)


def test_with_time_factor_keeps_the_rest() -> None:
    config = SimulatorConfig(checks=CheckSwitches.off()).with_time_factor(60)
    assert config.schedule.time_factor == 60 and config.checks == CheckSwitches.off()


def test_checks_off_leaves_routing_switches() -> None:
    off = CheckSwitches.off()
    assert not (off.schema or off.schematron or off.verify_signatures or off.signature_presence)
    assert off.require_sender_owner


def test_integrator_ids_are_unique() -> None:
    a = IntegratorConfig("a", "A", "1111111114", "http://x")
    with pytest.raises(ConfigurationError):
        SimulatorConfig(integrators=(a, a))


def test_seed_user_needs_a_known_integrator() -> None:
    with pytest.raises(ConfigurationError):
        SimulatorConfig(users=(UserSeed("4540536920", "X", "a"),))
