"""Seal certificates: the signer's VKN/TCKN, validity, and the chain to a trust store.

A mali mühür (KamuSM, e-Fatura Paketi Ek-3 §3; gib-protocol §6.1) carries the taxpayer's
VKN in the subject's ``serialNumber`` (OID 2.5.4.5); a natural person's qualified
certificate carries the TCKN there. ETSI EN 319 412-1 semantics identifiers are read too
(``VATTR-``/``NTRTR-`` in ``organizationIdentifier`` 2.5.4.97, ``PNOTR-``/``IDCTR-`` in
``serialNumber``). Chains are built and checked with ``cryptography``'s X.509 verifier
(Web PKI rules for the CA certificates; the seal itself may carry KamuSM's own extended
key usage).

>>> identifier_from_value("VATTR-1288331521")
'1288331521'
>>> identifier_from_value("12345") is None
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.x509 import verification
from cryptography.x509.oid import NameOID

from entegrator.signing.errors import SealConfigurationError

__all__ = [
    "ChainError",
    "TrustStore",
    "common_name",
    "identifier_from_value",
    "load_certificates",
    "signer_identifier",
    "valid_at",
]

_IDENTIFIER = re.compile(
    r"^(?:(?:VAT|NTR|PNO|IDC|TIN)TR-?|VKN:?|TCKN:?|TR)?([0-9]{10,11})$", re.IGNORECASE
)
_CERT_SUFFIXES = frozenset({".pem", ".crt", ".cer", ".der"})
_MAX_CHAIN_DEPTH = 6


class ChainError(Exception):
    """The certificate does not chain to the trust store (internal; callers map it)."""


def identifier_from_value(value: str | bytes) -> str | None:
    """The 10-digit VKN or 11-digit TCKN in one subject attribute value, or ``None``."""
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="replace")
    match = _IDENTIFIER.match(value.replace(" ", ""))
    return match.group(1) if match else None


def signer_identifier(certificate: x509.Certificate) -> str | None:
    """The VKN/TCKN the certificate was issued to, or ``None`` when it carries none."""
    for oid in (NameOID.SERIAL_NUMBER, NameOID.ORGANIZATION_IDENTIFIER):
        for attribute in certificate.subject.get_attributes_for_oid(oid):
            found = identifier_from_value(attribute.value)
            if found:
                return found
    return None


def common_name(certificate: x509.Certificate) -> str:
    """The subject's CN (or the whole subject when it has no CN), for messages."""
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def valid_at(certificate: x509.Certificate, moment: dt.datetime) -> bool:
    """Whether ``moment`` lies within the certificate's validity period."""
    return certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate in PEM ``data``, or the single certificate of DER ``data``."""
    if b"-----BEGIN CERTIFICATE-----" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def _leaf_key_usage(
    _policy: verification.Policy, _cert: x509.Certificate, usage: x509.KeyUsage | None
) -> None:
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise ValueError("key usage allows neither digitalSignature nor nonRepudiation")


@dataclass(frozen=True, slots=True)
class TrustStore:
    """Certificates trusted to issue seals: KamuSM's roots and seal CAs (or a test PKI's).

    Every certificate in the store is a trust anchor; put the issuing (intermediate) CA
    here too, since GİB's signatures carry only the seal certificate.
    """

    anchors: tuple[x509.Certificate, ...]

    def __post_init__(self) -> None:
        if not self.anchors:
            raise SealConfigurationError("Güven deposu boş: en az bir kök sertifika gerekli")

    @classmethod
    def from_certificates(cls, certificates: Iterable[x509.Certificate]) -> TrustStore:
        """A store of the given certificates."""
        return cls(anchors=tuple(certificates))

    @classmethod
    def from_directory(cls, directory: Path) -> TrustStore:
        """Read every ``*.pem``/``*.crt``/``*.cer``/``*.der`` file of ``directory``."""
        if not directory.is_dir():
            raise SealConfigurationError(f"Güven deposu dizini bulunamadı: {directory}")
        anchors: list[x509.Certificate] = []
        for path in sorted(directory.iterdir()):
            if path.suffix.lower() not in _CERT_SUFFIXES or not path.is_file():
                continue
            try:
                anchors.extend(load_certificates(path.read_bytes()))
            except ValueError as exc:
                raise SealConfigurationError(f"Sertifika okunamadı: {path}: {exc}") from exc
        return cls(anchors=tuple(anchors))

    def chain(
        self,
        certificate: x509.Certificate,
        at: dt.datetime,
        intermediates: Sequence[x509.Certificate] = (),
    ) -> list[x509.Certificate]:
        """The verified chain from ``certificate`` to an anchor, all valid at ``at``.

        Raises :class:`ChainError` with the verifier's reason otherwise.
        """
        if certificate in self.anchors:
            raise ChainError(
                "mühür sertifikası güven deposunun kendisinde; bir ESHS'ye zincirlenmeli"
            )
        ee_policy = verification.ExtensionPolicy.permit_all().may_be_present(
            x509.KeyUsage, verification.Criticality.AGNOSTIC, _leaf_key_usage
        )
        verifier = (
            verification.PolicyBuilder()
            .store(verification.Store(list(self.anchors)))
            .time(at)
            .max_chain_depth(_MAX_CHAIN_DEPTH)
            .extension_policies(
                ca_policy=verification.ExtensionPolicy.webpki_defaults_ca(),
                ee_policy=ee_policy,
            )
            .build_client_verifier()
        )
        try:
            return list(verifier.verify(certificate, list(intermediates)).chain)
        except verification.VerificationError as exc:
            raise ChainError(str(exc)) from exc
