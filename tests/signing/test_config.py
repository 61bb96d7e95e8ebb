"""Seal configuration objects and secrets from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.signing import (
    Pkcs11Source,
    Pkcs12Source,
    SealConfigurationError,
    SigningConfig,
    TaxpayerSeal,
    algorithms,
    secret_from,
)
from entegrator.types import Secret

P12 = Pkcs12Source(Path("mühür.p12"), Secret("x"))


def test_taxpayer_seal_needs_a_key_or_delegation() -> None:
    with pytest.raises(SealConfigurationError):
        TaxpayerSeal("1288331521")


def test_taxpayer_seal_cannot_have_a_key_and_delegate() -> None:
    with pytest.raises(SealConfigurationError):
        TaxpayerSeal("1288331521", P12, delegated=True)


def test_pkcs11_source_needs_a_key_label_or_id() -> None:
    with pytest.raises(SealConfigurationError):
        Pkcs11Source(Path("/usr/lib/softhsm/libsofthsm2.so"), "belirteç", Secret("1234"))


def test_signing_config_refuses_the_same_taxpayer_twice() -> None:
    with pytest.raises(SealConfigurationError, match="iki mühür"):
        SigningConfig(
            "9999999999",
            Path("trust"),
            taxpayers=(TaxpayerSeal("1288331521", P12), TaxpayerSeal("1288331521", P12)),
        )


def test_signing_config_refuses_delegation_without_an_integrator_seal() -> None:
    with pytest.raises(SealConfigurationError, match="devretmiş"):
        SigningConfig("9999999999", Path("trust"), taxpayers=(TaxpayerSeal("1", delegated=True),))


def test_signing_config_refuses_an_unknown_canonicalization() -> None:
    with pytest.raises(SealConfigurationError):
        SigningConfig("9999999999", Path("trust"), c14n=algorithms.C14N11)


def test_secret_from_reads_the_variable() -> None:
    assert secret_from({"MUHUR_PIN": "1234"}, "MUHUR_PIN").reveal() == "1234"


def test_secret_from_reads_the_file_named_by_the_file_variable(tmp_path: Path) -> None:
    (tmp_path / "pin").write_text("4321\n", encoding="utf-8")
    env = {"MUHUR_PIN_FILE": str(tmp_path / "pin")}
    assert secret_from(env, "MUHUR_PIN").reveal() == "4321"


def test_secret_from_reports_a_missing_variable() -> None:
    with pytest.raises(SealConfigurationError, match="MUHUR_PIN"):
        secret_from({}, "MUHUR_PIN")


def test_secret_from_reports_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(SealConfigurationError, match="okunamadı"):
        secret_from({"MUHUR_PIN_FILE": str(tmp_path / "yok")}, "MUHUR_PIN")
