"""The Signer seam: a private key that only signs, plus its certificate.

XAdES assembly (:mod:`entegrator.signing.xades`) never sees a key, only a :class:`Signer`:
``sign(data)`` returns the ``ds:SignatureValue`` bytes for ``signature_method`` over
``data`` (the canonical ``ds:SignedInfo``). Two implementations: :class:`SoftwareSigner`
(a key in memory, loaded from a PKCS#12 file — tests, small installations) and
:class:`~entegrator.signing.pkcs11.Pkcs11Signer` (the key stays in the HSM).

XML-DSig wants ECDSA signatures as the raw ``r || s`` concatenation (RFC 4050 / XML-DSig 1.1
§6.4.3), not DER, so :func:`ecdsa_raw` converts what ``cryptography`` returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import pkcs12

from entegrator.signing import algorithms
from entegrator.signing.errors import SealConfigurationError
from entegrator.types import Secret

__all__ = ["Signer", "SoftwareSigner", "ecdsa_raw", "signature_method_for"]


class Signer(Protocol):
    """A seal's private key behind one method; the key itself is never exposed."""

    @property
    def certificate(self) -> x509.Certificate:
        """The seal certificate that goes into ``ds:KeyInfo``."""
        ...

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """Issuer certificates known with the key (may be empty)."""
        ...

    @property
    def signature_method(self) -> str:
        """The ``ds:SignatureMethod`` URI this key signs with."""
        ...

    def sign(self, data: bytes) -> bytes:
        """Sign ``data`` (SHA-256 inside); return the ``ds:SignatureValue`` bytes."""
        ...

    def close(self) -> None:
        """Release whatever the signer holds open."""
        ...


def signature_method_for(certificate: x509.Certificate) -> str:
    """rsa-sha256 for RSA keys, ecdsa-sha256 for EC keys; anything else is refused."""
    key = certificate.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        return algorithms.RSA_SHA256
    if isinstance(key, ec.EllipticCurvePublicKey):
        return algorithms.ECDSA_SHA256
    raise SealConfigurationError(
        f"Desteklenmeyen anahtar türü: {type(key).__name__} (RSA veya EC olmalı)"
    )


def ecdsa_raw(der_signature: bytes, curve: ec.EllipticCurve) -> bytes:
    """Convert a DER ECDSA signature to XML-DSig's fixed-length ``r || s``."""
    r, s = decode_dss_signature(der_signature)
    size = (curve.key_size + 7) // 8
    return r.to_bytes(size, "big") + s.to_bytes(size, "big")


class SoftwareSigner:
    """A private key held in this process (from a PKCS#12 file or generated for tests)."""

    __slots__ = ("_certificate", "_chain", "_key", "_method")

    def __init__(
        self,
        private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey,
        certificate: x509.Certificate,
        chain: tuple[x509.Certificate, ...] = (),
    ) -> None:
        if private_key.public_key().public_numbers() != certificate.public_key().public_numbers():
            raise SealConfigurationError("Özel anahtar sertifikadaki açık anahtarla eşleşmiyor")
        self._key = private_key
        self._certificate = certificate
        self._chain = chain
        self._method = signature_method_for(certificate)

    @classmethod
    def from_pkcs12(cls, path: Path, password: Secret) -> SoftwareSigner:
        """Load the key, certificate and chain of a PKCS#12 (.p12/.pfx) file."""
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SealConfigurationError(f"PKCS#12 dosyası okunamadı: {path}: {exc}") from exc
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, password.reveal().encode())
        except ValueError as exc:
            raise SealConfigurationError(
                f"PKCS#12 dosyası açılamadı (parola yanlış olabilir): {path}"
            ) from exc
        if cert is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise SealConfigurationError(
                f"PKCS#12 dosyasında RSA/EC anahtar ve sertifika yok: {path}"
            )
        return cls(key, cert, tuple(extra))

    @property
    def certificate(self) -> x509.Certificate:
        """The seal certificate."""
        return self._certificate

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """Issuer certificates that came with the key."""
        return self._chain

    @property
    def signature_method(self) -> str:
        """rsa-sha256 or ecdsa-sha256."""
        return self._method

    def sign(self, data: bytes) -> bytes:
        """RSASSA-PKCS1-v1_5 or ECDSA (raw r||s) over SHA-256 of ``data``."""
        key = self._key
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return ecdsa_raw(key.sign(data, ec.ECDSA(hashes.SHA256())), key.curve)

    def close(self) -> None:
        """Nothing to release."""
