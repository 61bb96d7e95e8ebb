"""Tests of entegrator.core.config: TOML + ENTEGRATOR_* environment → frozen config tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.core.config import load_config
from entegrator.errors import ConfigurationError
from entegrator.signing import Pkcs11Source, Pkcs12Source
from entegrator.types import Secret

BASE = {
    "ENTEGRATOR_DATABASE__URL": "sqlite:///var/entegrator.db",
    "ENTEGRATOR_INTEGRATOR__VKN": "7000000007",
    "ENTEGRATOR_INTEGRATOR__TITLE": "Test Entegratör A.Ş.",
    "ENTEGRATOR_GIB__MERKEZ_URL": "https://merkeztest.gib.gov.tr/EFaturaMerkez/services/EFatura",
    "ENTEGRATOR_SIGNING__TRUST_STORE": "/etc/entegrator/trust",
}


def test_environment_alone_builds_a_config_with_safe_defaults() -> None:
    config = load_config(BASE)
    assert config.database.url == "sqlite:///var/entegrator.db"
    assert config.integrator.vkn == "7000000007"
    assert config.gib.transport.verify_tls is True
    assert config.serve.gib.allowed_networks == ("127.0.0.0/8", "::1/128")
    assert config.serve.host == "127.0.0.1"
    assert config.signing.integrator_seal is None


def test_user_list_url_defaults_to_the_merkez_folder() -> None:
    assert load_config(BASE).gib.userlist_base() == "https://merkeztest.gib.gov.tr/EFaturaMerkez"


def test_double_underscore_nests_and_values_are_typed() -> None:
    config = load_config({
        **BASE,
        "ENTEGRATOR_GIB__TRANSPORT__VERIFY_TLS": "false",
        "ENTEGRATOR_GIB__TRANSPORT__READ_TIMEOUT": "12.5",
        "ENTEGRATOR_SERVE__PORT": "9001",
        "ENTEGRATOR_SERVE__GIB__ALLOWED_NETWORKS": "10.0.0.0/8, 127.0.0.1/32",
        "ENTEGRATOR_WORKER__RUNNER__BREAKER__COOLDOWN": "5",
        "ENTEGRATOR_OUTBOUND__AUTO_RESEND_CODES": "1120,1190",
    })
    assert config.gib.transport.verify_tls is False
    assert config.gib.transport.read_timeout == 12.5
    assert config.serve.port == 9001
    assert config.serve.gib.allowed_networks == ("10.0.0.0/8", "127.0.0.1/32")
    assert config.worker.runner.breaker.cooldown == 5.0
    assert config.outbound.auto_resend_codes == frozenset({1120, 1190})


def test_environment_wins_over_the_file(tmp_path: Path) -> None:
    file = tmp_path / "entegrator.toml"
    file.write_text('[serve]\nport = 7000\nhost = "0.0.0.0"\n[database]\nurl = "sqlite:///x.db"\n',
                    encoding="utf-8")
    env = {k: v for k, v in BASE.items() if k != "ENTEGRATOR_DATABASE__URL"}
    config = load_config({**env, "ENTEGRATOR_SERVE__PORT": "7100"}, file)
    assert (config.serve.port, config.serve.host) == (7100, "0.0.0.0")
    assert config.database.url == "sqlite:///x.db"


def test_entegrator_config_names_the_file(tmp_path: Path) -> None:
    file = tmp_path / "e.toml"
    file.write_text("[serve]\nport = 7200\n", encoding="utf-8")
    assert load_config({**BASE, "ENTEGRATOR_CONFIG": str(file)}).serve.port == 7200


def test_a_misspelt_setting_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match="bilinmeyen ayar"):
        load_config({**BASE, "ENTEGRATOR_GIB__MERKEZ_ULR": "x"})


def test_a_missing_required_setting_is_named() -> None:
    env = {k: v for k, v in BASE.items() if k != "ENTEGRATOR_GIB__MERKEZ_URL"}
    with pytest.raises(ConfigurationError, match=r"gib\.merkez_url"):
        load_config(env)


def test_a_bad_value_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match=r"serve\.port"):
        load_config({**BASE, "ENTEGRATOR_SERVE__PORT": "seksen"})


def test_integrator_vkn_is_validated() -> None:
    with pytest.raises(ConfigurationError, match="integrator: VKN"):
        load_config({**BASE, "ENTEGRATOR_INTEGRATOR__VKN": "12345"})


def test_pkcs12_integrator_seal_reads_its_password_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "p12-password"
    secret.write_text("gizli\n", encoding="utf-8")
    config = load_config({
        **BASE,
        "ENTEGRATOR_SIGNING__INTEGRATOR_SEAL__PATH": "/etc/entegrator/seal.p12",
        "ENTEGRATOR_SIGNING__INTEGRATOR_SEAL__PASSWORD_FILE": str(secret),
    })
    assert config.signing.integrator_seal == Pkcs12Source(
        Path("/etc/entegrator/seal.p12"), Secret("gizli"))


def test_pkcs11_integrator_seal() -> None:
    config = load_config({
        **BASE,
        "ENTEGRATOR_SIGNING__INTEGRATOR_SEAL__KIND": "pkcs11",
        "ENTEGRATOR_SIGNING__INTEGRATOR_SEAL__MODULE": "/usr/lib/softhsm/libsofthsm2.so",
        "ENTEGRATOR_SIGNING__INTEGRATOR_SEAL__TOKEN_LABEL": "entegrator",
        "ENTEGRATOR_SIGNING__INTEGRATOR_SEAL__KEY_LABEL": "muhur",
        "ENTEGRATOR_SIGNING__INTEGRATOR_SEAL__PIN": "1234",
    })
    seal = config.signing.integrator_seal
    assert isinstance(seal, Pkcs11Source)
    assert (seal.token_label, seal.key_label, seal.pin.reveal()) == ("entegrator", "muhur", "1234")
    assert "1234" not in repr(config)


def test_seal_secrets_come_from_entegrator_secret_variables(tmp_path: Path) -> None:
    (tmp_path / "FROM_DIR").write_text("dizinden\n", encoding="utf-8")
    config = load_config({
        **BASE,
        "ENTEGRATOR_SECRET_HSM_PIN": "1234",
        "ENTEGRATOR_SIGNING__SECRETS_DIR": str(tmp_path),
    })
    assert config.signing.secrets.resolve("HSM_PIN").reveal() == "1234"
    assert config.signing.secrets.resolve("FROM_DIR").reveal() == "dizinden"
    with pytest.raises(ConfigurationError, match="ENTEGRATOR_SECRET_NOPE"):
        config.signing.secrets.resolve("NOPE")
