"""Signer identity in certificates, trust stores and chains."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from entegrator.signing import SealConfigurationError, TrustStore, signer_identifier
from entegrator.signing.certificates import ChainError, identifier_from_value
from entegrator.signing.devpki import DevPki, IssuedSeal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1288331521", "1288331521"),
        ("10000000146", "10000000146"),
        ("VATTR-1288331521", "1288331521"),
        ("PNOTR-10000000146", "10000000146"),
        ("TCKN:10000000146", "10000000146"),
        (" 128 833 1521 ", "1288331521"),
        (b"1288331521", "1288331521"),
        ("123456789", None),
        ("123456789012", None),
        ("١٢٨٨٣٣١٥٢١", None),  # Arabic-Indic digits are not a VKN
        ("", None),
    ],
)
def test_identifier_from_value(value: str | bytes, expected: str | None) -> None:
    assert identifier_from_value(value) == expected


def test_signer_identifier_reads_serial_number(supplier: IssuedSeal) -> None:
    assert signer_identifier(supplier.certificate) == "1288331521"


def test_signer_identifier_of_a_certificate_without_one(pki: DevPki) -> None:
    assert signer_identifier(pki.issue_seal("ABC", "Kimliksiz").certificate) is None


def test_trust_store_reads_a_directory(trust_dir: Path, pki: DevPki) -> None:
    assert set(TrustStore.from_directory(trust_dir).anchors) == set(pki.trust_anchors)


def test_trust_store_refuses_an_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(SealConfigurationError, match="boş"):
        TrustStore.from_directory(tmp_path)


def test_trust_store_refuses_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(SealConfigurationError, match="bulunamadı"):
        TrustStore.from_directory(tmp_path / "yok")


def test_trust_store_reports_an_unreadable_certificate(tmp_path: Path) -> None:
    (tmp_path / "bozuk.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    )
    with pytest.raises(SealConfigurationError, match=r"bozuk\.pem"):
        TrustStore.from_directory(tmp_path)


def test_chain_ends_at_the_first_trusted_issuer(
    trust: TrustStore, supplier: IssuedSeal, pki: DevPki
) -> None:
    chain = trust.chain(supplier.certificate, dt.datetime.now(dt.UTC))
    assert chain == [supplier.certificate, pki.issuer]


def test_chain_uses_intermediates_from_the_signature(supplier: IssuedSeal, pki: DevPki) -> None:
    only_root = TrustStore.from_certificates([pki.root])
    chain = only_root.chain(supplier.certificate, dt.datetime.now(dt.UTC), [pki.issuer])
    assert chain == [supplier.certificate, pki.issuer, pki.root]


def test_chain_fails_for_another_pki(trust: TrustStore) -> None:
    stranger = DevPki.create("Yabancı").issue_seal("1288331521", "AAA")
    with pytest.raises(ChainError):
        trust.chain(stranger.certificate, dt.datetime.now(dt.UTC))


def test_chain_fails_outside_the_validity_period(trust: TrustStore, supplier: IssuedSeal) -> None:
    with pytest.raises(ChainError):
        trust.chain(supplier.certificate, dt.datetime.now(dt.UTC) + dt.timedelta(days=3650))


def test_chain_refuses_a_ca_certificate_used_as_a_seal(trust: TrustStore, pki: DevPki) -> None:
    with pytest.raises(ChainError):
        trust.chain(pki.issuer, dt.datetime.now(dt.UTC))
