"""Software signers: RSA and ECDSA signature values as XML-DSig wants them."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from entegrator.signing import SealConfigurationError, SoftwareSigner, algorithms
from entegrator.signing.devpki import IssuedSeal
from entegrator.types import Secret

DATA = b"<ds:SignedInfo>...</ds:SignedInfo>"


def test_rsa_signer_signs_pkcs1_sha256(supplier: IssuedSeal) -> None:
    signer = SoftwareSigner(supplier.private_key, supplier.certificate)
    assert signer.signature_method == algorithms.RSA_SHA256
    supplier.certificate.public_key().verify(
        signer.sign(DATA), DATA, padding.PKCS1v15(), hashes.SHA256()
    )


def test_ec_signer_returns_raw_r_and_s(supplier_ec: IssuedSeal) -> None:
    signer = SoftwareSigner(supplier_ec.private_key, supplier_ec.certificate)
    value = signer.sign(DATA)
    assert signer.signature_method == algorithms.ECDSA_SHA256
    assert len(value) == 64
    der = encode_dss_signature(int.from_bytes(value[:32], "big"), int.from_bytes(value[32:], "big"))
    supplier_ec.certificate.public_key().verify(der, DATA, ec.ECDSA(hashes.SHA256()))


def test_signer_refuses_a_key_that_does_not_match_the_certificate(
    supplier: IssuedSeal, responder: IssuedSeal
) -> None:
    with pytest.raises(SealConfigurationError, match="eşleşmiyor"):
        SoftwareSigner(responder.private_key, supplier.certificate)


def test_signer_loads_a_pkcs12_file(supplier: IssuedSeal, tmp_path: Path) -> None:
    (tmp_path / "seal.p12").write_bytes(supplier.pkcs12(Secret("parola")))
    signer = SoftwareSigner.from_pkcs12(tmp_path / "seal.p12", Secret("parola"))
    assert signer.certificate == supplier.certificate
    assert signer.chain == supplier.chain


def test_signer_reports_a_wrong_pkcs12_password(supplier: IssuedSeal, tmp_path: Path) -> None:
    (tmp_path / "seal.p12").write_bytes(supplier.pkcs12(Secret("parola")))
    with pytest.raises(SealConfigurationError, match="parola"):
        SoftwareSigner.from_pkcs12(tmp_path / "seal.p12", Secret("yanlış"))


def test_signer_reports_a_missing_pkcs12_file(tmp_path: Path) -> None:
    with pytest.raises(SealConfigurationError, match="okunamadı"):
        SoftwareSigner.from_pkcs12(tmp_path / "yok.p12", Secret("parola"))
