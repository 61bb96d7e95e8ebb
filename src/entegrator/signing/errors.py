"""Errors of the signing part, with GİB's status codes where one applies.

Signing side: :class:`SealError` (the seal may not be used: expired, wrong VKN, not chained to
the trust store — nothing was signed) and :class:`TokenError` (the PKCS#11 token failed;
retryable). Verification side: :class:`SignatureRejected`, which always carries the GİB code
Merkez would answer with (e-Fatura Paketi Ek-2, system-response codes):

* 1161 İMZA SAHİBİ TCKN VKN ALINAMADI — no VKN/TCKN can be read from the certificate;
* 1175 İMZA YETKİSİ KONTROL EDİLEMEDİ — the certificate does not chain to a trusted issuer;
* 1176 İMZA SAHİBİ YETKİSİZ — the signer is not the supplier (nor an authorised delegate);
* 1177 GEÇERSİZ İMZA — anything cryptographic or structural, including a certificate that
  was not valid at SigningTime and refused algorithms (rsa-sha1).
"""

from __future__ import annotations

from typing import ClassVar, Final

from entegrator.errors import ConfigurationError, DocumentError, EntegratorError

__all__ = [
    "SIGNATURE_INVALID",
    "SIGNER_ID_UNREADABLE",
    "SIGNER_NOT_AUTHORISED",
    "SIGNING_AUTHORITY_UNCHECKED",
    "SealConfigurationError",
    "SealError",
    "SignatureRejected",
    "SigningError",
    "TokenError",
]

SIGNER_ID_UNREADABLE: Final = 1161
SIGNING_AUTHORITY_UNCHECKED: Final = 1175
SIGNER_NOT_AUTHORISED: Final = 1176
SIGNATURE_INVALID: Final = 1177


class SigningError(EntegratorError):
    """Base class of every error of :mod:`entegrator.signing`."""


class SealConfigurationError(SigningError, ConfigurationError):
    """The seal configuration is incomplete or contradictory (unknown VKN, missing key)."""


class SealError(SigningError):
    """The seal must not sign this document; nothing was signed."""


class TokenError(SigningError):
    """The PKCS#11 token (or the PKCS#12 file) could not be used."""

    retryable: ClassVar[bool] = True


class SignatureRejected(SigningError, DocumentError):
    """A document's signature does not verify; ``gib_code`` says why (1161/1175/1176/1177)."""

    def __init__(self, message: str, *, gib_code: int = SIGNATURE_INVALID) -> None:
        super().__init__(message, gib_code=gib_code)
