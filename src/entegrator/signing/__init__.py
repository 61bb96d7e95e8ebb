"""signing — the financial seal (mali mühür): XAdES-BES signatures and their verification.

Rule: depends on ubl only; no database, no network. Key sources (PKCS#12 file, PKCS#11
token) sit behind one small :class:`Signer` interface; the private key never leaves the
token. Core resolves a taxpayer's seal with :meth:`SealRegistry.seal_for` and signs with
:func:`sign_element` (or :func:`sign_bytes`); received documents go through
:func:`verify_element`/:func:`verify_bytes`, whose :class:`SignatureRejected` carries GİB's
code (1161/1175/1176/1177). Design notes: ``docs/decisions/signing-xades.md``.
"""

from __future__ import annotations

from entegrator.signing.certificates import TrustStore, signer_identifier
from entegrator.signing.config import (
    KeySource,
    Pkcs11Source,
    Pkcs12Source,
    SigningConfig,
    TaxpayerSeal,
    secret_from,
)
from entegrator.signing.errors import (
    SealConfigurationError,
    SealError,
    SignatureRejected,
    SigningError,
    TokenError,
)
from entegrator.signing.keys import Signer, SoftwareSigner
from entegrator.signing.pkcs11 import Pkcs11Signer, TokenSession
from entegrator.signing.seal import Seal, SealRegistry, make_seal
from entegrator.signing.sign import countersign_bytes, countersign_element, sign_bytes, sign_element
from entegrator.signing.verify import (
    VerificationPolicy,
    VerifiedSignature,
    verify_bytes,
    verify_element,
)

__all__ = [
    "KeySource",
    "Pkcs11Signer",
    "Pkcs11Source",
    "Pkcs12Source",
    "Seal",
    "SealConfigurationError",
    "SealError",
    "SealRegistry",
    "SignatureRejected",
    "Signer",
    "SigningConfig",
    "SigningError",
    "SoftwareSigner",
    "TaxpayerSeal",
    "TokenError",
    "TokenSession",
    "TrustStore",
    "VerificationPolicy",
    "VerifiedSignature",
    "countersign_bytes",
    "countersign_element",
    "make_seal",
    "secret_from",
    "sign_bytes",
    "sign_element",
    "signer_identifier",
    "verify_bytes",
    "verify_element",
]
