"""The throw-away test PKI."""

from __future__ import annotations

import datetime as dt

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ExtendedKeyUsage, KeyUsage

from entegrator.signing import TrustStore, signer_identifier
from entegrator.signing.devpki import MALI_MUHUR_EKU, DevPki


def test_seal_carries_the_vkn_and_chains_to_the_root() -> None:
    pki = DevPki.create()
    seal = pki.issue_seal("1288331521", "AAA Anonim Şirketi")
    assert signer_identifier(seal.certificate) == "1288331521"
    chain = TrustStore.from_certificates([pki.root]).chain(
        seal.certificate, dt.datetime.now(dt.UTC), seal.chain
    )
    assert chain[-1] == pki.root


def test_seal_is_for_signing_only() -> None:
    seal = DevPki.create().issue_seal("1288331521", "AAA")
    usage = seal.certificate.extensions.get_extension_for_class(KeyUsage).value
    eku = seal.certificate.extensions.get_extension_for_class(ExtendedKeyUsage).value
    assert (usage.digital_signature, usage.content_commitment, usage.key_cert_sign) == (
        True,
        True,
        False,
    )
    assert list(eku) == [MALI_MUHUR_EKU]


def test_ec_seal_uses_p256() -> None:
    seal = DevPki.create().issue_seal("1288331521", "AAA", key_type="ec")
    assert isinstance(seal.certificate.public_key(), ec.EllipticCurvePublicKey)
    assert seal.certificate.public_key().curve.name == "secp256r1"


def test_expired_seal_has_the_requested_period() -> None:
    end = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    seal = DevPki.create().issue_seal("1288331521", "AAA", not_after=end)
    assert seal.certificate.not_valid_after_utc == end
    assert seal.certificate.not_valid_before_utc < end
