"""Merkez's signature checks on the documents of an envelope.

GİB's integration guide says Merkez checks the *presence* of the seal and leaves the
cryptography to the receiving GB/PK (Entegrasyon Kılavuzu §4.4), yet its status list has
signer-related outcomes — 1161 signer VKN/TCKN unreadable, 1175/1176 signing authority, 1177
invalid signature (gib-protocol.md §1.4). The simulator does what the switches say
(:class:`~entegrator.simulator.config.CheckSwitches`):

* ``verify_signatures``: :func:`entegrator.signing.verify_element` on each document, copied
  out of the envelope; its :class:`~entegrator.signing.SignatureRejected` carries the code.
  The registered integrators' VKNs are authorised delegates (an özel entegratör may seal on
  its customer's behalf, OEK §2.2). Without ``require_signer_vkn`` a 1176 is ignored;
* otherwise ``signature_presence`` (a missing signature is 1177) and, with
  ``require_signer_vkn``, the VKN/TCKN in the certificate (1161 unreadable, 1176 not the
  document's supplier/sender nor a registered integrator).

A user-account message must carry the integrator's signature and, unless the customer is a
VUK 507 user (UserOptionCode 3/4), the customer's counter-signature (OEK §5.2).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from lxml import etree

from entegrator.errors import DocumentError
from entegrator.signing import (
    SignatureRejected,
    VerificationPolicy,
    signer_identifier,
    verify_element,
)
from entegrator.signing import document as signed
from entegrator.signing.errors import SIGNATURE_INVALID, SIGNER_ID_UNREADABLE, SIGNER_NOT_AUTHORISED
from entegrator.ubl.ns import ds

__all__ = ["SignatureCheck", "SignatureFailure", "check_document"]

_CERTIFICATE = f"{ds('KeyInfo')}/{ds('X509Data')}/{ds('X509Certificate')}"


class SignatureFailure(Exception):
    """A document's signature fails Merkez's check: ``code`` and a Turkish ``detail``."""

    def __init__(self, code: int, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """How to check signatures: the switches, trust policy and the delegates' VKNs."""

    presence: bool
    verify: bool
    require_signer_vkn: bool
    policy: VerificationPolicy | None
    delegates: frozenset[str]
    counter_signature: bool = False

    @property
    def active(self) -> bool:
        """Whether any signature check runs."""
        return self.presence or self.verify or self.require_signer_vkn


def check_document(document: etree._Element, check: SignatureCheck, *, now: datetime,
                   label: str) -> None:
    """Check the signature of one standalone document; raise :class:`SignatureFailure`."""
    try:
        kind = signed.document_kind(document)
    except DocumentError as exc:
        raise SignatureFailure(SIGNATURE_INVALID, f"{label}: {exc.message}") from exc
    if check.verify and check.policy is not None:
        _verify(document, check, check.policy, now=now, label=label)
        return
    signatures = signed.find_signature(document, kind)
    if not signatures:
        if check.presence or check.require_signer_vkn:
            raise SignatureFailure(SIGNATURE_INVALID, f"{label}: belge imzalı değil")
        return
    if kind is signed.DocumentKind.USER_ACCOUNT and check.counter_signature and \
            not signed.find_counter_signature(signatures[0]):
        raise SignatureFailure(SIGNATURE_INVALID, f"{label}: müşterinin seri imzası yok")
    if check.require_signer_vkn:
        expected = signed.supplier_identifiers(document, kind)
        _check_signer(signatures[0], expected, check.delegates, label)


def _verify(document: etree._Element, check: SignatureCheck, base: VerificationPolicy, *,
            now: datetime, label: str) -> None:
    policy = VerificationPolicy(
        trust=base.trust,
        authorised_delegates=base.authorised_delegates | check.delegates,
        max_clock_skew=base.max_clock_skew,
        require_counter_signature=check.counter_signature)
    try:
        verify_element(document, policy, now=now)
    except SignatureRejected as exc:
        code = exc.gib_code or SIGNATURE_INVALID
        if code == SIGNER_NOT_AUTHORISED and not check.require_signer_vkn:
            return  # the last check verify makes: everything else passed
        raise SignatureFailure(code, f"{label}: {exc.message}") from exc


def _check_signer(signature: etree._Element, expected: Iterable[str], delegates: frozenset[str],
                  label: str) -> None:
    element = signature.find(_CERTIFICATE)
    if element is None or not (element.text or "").strip():
        raise SignatureFailure(SIGNER_ID_UNREADABLE, f"{label}: imzada sertifika yok")
    try:
        der = base64.b64decode("".join((element.text or "").split()), validate=True)
        certificate = x509.load_der_x509_certificate(der)
    except (binascii.Error, ValueError) as exc:
        raise SignatureFailure(SIGNER_ID_UNREADABLE, f"{label}: sertifika okunamadı") from exc
    signer = signer_identifier(certificate)
    if signer is None:
        raise SignatureFailure(SIGNER_ID_UNREADABLE,
                               f"{label}: sertifikadan VKN/TCKN alınamadı")
    allowed = set(expected) | delegates
    if signer not in allowed:
        raise SignatureFailure(
            SIGNER_NOT_AUTHORISED,
            f"{label}: imzalayan {signer}, belgenin tarafı ({', '.join(expected) or 'yok'}) değil")
