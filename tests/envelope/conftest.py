"""Fixtures of the envelope tests; helpers they share live in tests/envelope/support.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.envelope.support import FIXED_TIME, Ids, ThrowawayKey


@pytest.fixture
def ids() -> Ids:
    """A fresh deterministic UUID factory."""
    return Ids()


@pytest.fixture
def clock() -> Callable[[], datetime]:
    """A clock stopped at FIXED_TIME."""
    return lambda: FIXED_TIME


@pytest.fixture(scope="session")
def paket(samples_dir: Path) -> Path:
    """GİB's e-Fatura package samples (UBL 2.0, 2013)."""
    return samples_dir / "gib-efatura-paketi"


@pytest.fixture(scope="session")
def ticari_bytes(samples_dir: Path) -> bytes:
    """GİB's TicariFaturaOrnegi.xml (UBL-TR 1.2.1; passes today's XSD and schematron)."""
    return (samples_dir / "gib-ubltr-1.2.1" / "TicariFaturaOrnegi.xml").read_bytes()


@pytest.fixture(scope="session")
def throwaway_key() -> ThrowawayKey:
    """A throw-away RSA key and self-signed certificate for the signature round trips."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Zarf Testi Mali Mühür")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return ThrowawayKey(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
    )
