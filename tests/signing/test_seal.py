"""Seals: pre-signing certificate checks, delegation, and the per-taxpayer registry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from entegrator.signing import (
    Pkcs12Source,
    SealConfigurationError,
    SealError,
    SealRegistry,
    SignatureRejected,
    SigningConfig,
    SoftwareSigner,
    TaxpayerSeal,
    TrustStore,
    VerificationPolicy,
    make_seal,
    sign_bytes,
    verify_bytes,
)
from entegrator.signing.devpki import DevPki, IssuedSeal
from entegrator.types import Secret

SUPPLIER_VKN = "1288331521"
INTEGRATOR_VKN = "9999999999"


def _signer(issued: IssuedSeal) -> SoftwareSigner:
    return SoftwareSigner(issued.private_key, issued.certificate)


def test_make_seal_accepts_a_valid_certificate_of_the_taxpayer(
    supplier: IssuedSeal, trust: TrustStore
) -> None:
    seal = make_seal(_signer(supplier), taxpayer_vkn=SUPPLIER_VKN, trust=trust)
    assert (seal.signer_vkn, seal.delegated) == (SUPPLIER_VKN, False)
    assert seal.valid_until == supplier.certificate.not_valid_after_utc


def test_make_seal_refuses_a_certificate_of_another_vkn(
    responder: IssuedSeal, trust: TrustStore
) -> None:
    with pytest.raises(SealError, match="9205121120"):
        make_seal(_signer(responder), taxpayer_vkn=SUPPLIER_VKN, trust=trust)


def test_make_seal_refuses_an_expired_certificate(expired: IssuedSeal, trust: TrustStore) -> None:
    with pytest.raises(SealError, match="süresi"):
        make_seal(_signer(expired), taxpayer_vkn=SUPPLIER_VKN, trust=trust)


def test_make_seal_refuses_a_certificate_without_vkn(pki: DevPki, trust: TrustStore) -> None:
    anonymous = pki.issue_seal("ABC", "Kimliksiz Ltd.")
    with pytest.raises(SealError, match="VKN/TCKN yok"):
        make_seal(_signer(anonymous), taxpayer_vkn=SUPPLIER_VKN, trust=trust)


def test_make_seal_refuses_a_certificate_outside_the_trust_store(trust: TrustStore) -> None:
    stranger = DevPki.create("Yabancı").issue_seal(SUPPLIER_VKN, "AAA Anonim Şirketi")
    with pytest.raises(SealError, match="zincirlenmiyor"):
        make_seal(_signer(stranger), taxpayer_vkn=SUPPLIER_VKN, trust=trust)


def test_make_seal_refuses_a_certificate_not_yet_valid(pki: DevPki, trust: TrustStore) -> None:
    now = dt.datetime.now(dt.UTC)
    future = pki.issue_seal(
        SUPPLIER_VKN,
        "AAA",
        not_before=now + dt.timedelta(days=1),
        not_after=now + dt.timedelta(days=9),
    )
    with pytest.raises(SealError):
        make_seal(_signer(future), taxpayer_vkn=SUPPLIER_VKN, trust=trust)


def test_delegated_seal_carries_the_integrator_vkn(
    integrator: IssuedSeal, trust: TrustStore
) -> None:
    seal = make_seal(
        _signer(integrator),
        taxpayer_vkn=SUPPLIER_VKN,
        trust=trust,
        delegated=True,
        integrator_vkn=INTEGRATOR_VKN,
    )
    assert (seal.taxpayer_vkn, seal.signer_vkn, seal.delegated) == (
        SUPPLIER_VKN,
        INTEGRATOR_VKN,
        True,
    )


def test_delegated_seal_refuses_a_certificate_that_is_not_the_integrator_s(
    supplier: IssuedSeal, trust: TrustStore
) -> None:
    with pytest.raises(SealError, match="entegratörün"):
        make_seal(
            _signer(supplier),
            taxpayer_vkn=SUPPLIER_VKN,
            trust=trust,
            delegated=True,
            integrator_vkn=INTEGRATOR_VKN,
        )


def test_delegated_signature_verifies_only_for_authorised_integrators(
    integrator: IssuedSeal, trust: TrustStore, invoice_bytes: bytes
) -> None:
    seal = make_seal(
        _signer(integrator),
        taxpayer_vkn=SUPPLIER_VKN,
        trust=trust,
        delegated=True,
        integrator_vkn=INTEGRATOR_VKN,
    )
    signed = sign_bytes(invoice_bytes, seal)
    with pytest.raises(SignatureRejected) as caught:
        verify_bytes(signed, VerificationPolicy(trust=trust))
    assert caught.value.gib_code == 1176
    policy = VerificationPolicy(trust=trust, authorised_delegates=frozenset({INTEGRATOR_VKN}))
    assert verify_bytes(signed, policy).delegated is True


@pytest.fixture
def registry_config(
    tmp_path: Path, supplier: IssuedSeal, integrator: IssuedSeal, trust_dir: Path
) -> SigningConfig:
    password = Secret("p12-parola")
    (tmp_path / "aaa.p12").write_bytes(supplier.pkcs12(password))
    (tmp_path / "entegrator.p12").write_bytes(integrator.pkcs12(password))
    return SigningConfig(
        integrator_vkn=INTEGRATOR_VKN,
        trust_store=trust_dir,
        integrator_seal=Pkcs12Source(tmp_path / "entegrator.p12", password),
        taxpayers=(
            TaxpayerSeal(SUPPLIER_VKN, Pkcs12Source(tmp_path / "aaa.p12", password)),
            TaxpayerSeal("9205121120", delegated=True),
        ),
    )


def test_registry_gives_a_taxpayer_its_own_seal(registry_config: SigningConfig) -> None:
    registry = SealRegistry.from_config(registry_config)
    seal = registry.seal_for(SUPPLIER_VKN)
    assert (seal.signer_vkn, seal.delegated) == (SUPPLIER_VKN, False)
    assert registry.seal_for(SUPPLIER_VKN) is seal
    registry.close()


def test_registry_gives_a_delegating_taxpayer_the_integrator_seal(
    registry_config: SigningConfig,
) -> None:
    registry = SealRegistry.from_config(registry_config)
    seal = registry.seal_for("9205121120")
    assert (seal.taxpayer_vkn, seal.signer_vkn, seal.delegated) == (
        "9205121120",
        INTEGRATOR_VKN,
        True,
    )
    registry.close()


def test_registry_gives_the_integrator_its_own_seal(registry_config: SigningConfig) -> None:
    registry = SealRegistry.from_config(registry_config)
    assert registry.seal_for(INTEGRATOR_VKN).delegated is False
    registry.close()


def test_registry_refuses_an_unknown_taxpayer(registry_config: SigningConfig) -> None:
    registry = SealRegistry.from_config(registry_config)
    with pytest.raises(SealConfigurationError, match="1111111111"):
        registry.seal_for("1111111111")
    registry.close()


def test_registry_reports_a_wrong_pkcs12_password(
    registry_config: SigningConfig, tmp_path: Path
) -> None:
    wrong = Pkcs12Source(tmp_path / "aaa.p12", Secret("yanlış"))
    config = SigningConfig(
        integrator_vkn=INTEGRATOR_VKN,
        trust_store=registry_config.trust_store,
        taxpayers=(TaxpayerSeal(SUPPLIER_VKN, wrong),),
    )
    with pytest.raises(SealConfigurationError, match="parola"):
        SealRegistry.from_config(config).seal_for(SUPPLIER_VKN)
