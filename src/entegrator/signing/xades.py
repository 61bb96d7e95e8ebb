"""Hand-built XAdES-BES assembly with lxml: canonicalise, digest, sign one SignedInfo.

The structure follows GİB's minimum skeleton (e-Fatura Paketi Ek-3 §3; gib-protocol §6.1)
and passes GİB's XSD and schematron (``XadesSignatureCheck*``, ``TransformCountCheck``):

* ``ds:SignedInfo``: C14N 1.0 (inclusive, default) or exclusive C14N; rsa-sha256 or
  ecdsa-sha256; a ``Reference URI=""`` with the single enveloped-signature transform, and a
  reference to ``xades:SignedProperties`` (``Type=…#SignedProperties``), both SHA-256.
* ``ds:KeyInfo``: ``ds:KeyValue`` (RSA), ``ds:X509Data`` with ``X509SubjectName`` and the
  certificate.
* ``xades:SignedProperties``: ``SigningTime`` (Turkish time), ``SigningCertificate`` v1
  (SHA-256 cert digest + issuer/serial), ``SignerRole/ClaimedRoles/ClaimedRole``.

Speed: everything constant per seal (certificate, digests, names, algorithm URIs) is built
once into a template element and deep-copied per signature; the per-signature work is one
C14N of the document (taken before the signature is inserted, which is what the enveloped
transform yields), one of SignedProperties and one of SignedInfo, both in document context,
plus the key operation. No parsing, no XPath.

A counter-signature (HR-XML user-account messages, gib-protocol §2.4) is the same template
whose first reference points at the counter-signed ``ds:SignatureValue`` with one C14N
transform, placed in ``xades:UnsignedSignatureProperties/xades:CounterSignature``.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import hashlib
from typing import Final

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lxml import etree

from entegrator.signing import algorithms
from entegrator.signing.keys import Signer
from entegrator.ubl.ns import DS, XADES, ds, xades

__all__ = [
    "COUNTERSIGNED_TYPE",
    "DEFAULT_ROLE",
    "TURKEY",
    "SignatureTemplate",
    "signing_time_text",
]

#: Turkey has used UTC+03:00 all year since 2016; GİB's samples write SigningTime with it.
TURKEY: Final = dt.timezone(dt.timedelta(hours=3))
#: The claimed role in every GİB sample signature.
DEFAULT_ROLE: Final = "Tedarikçi"
#: ``ds:Reference/@Type`` of a counter-signature's reference (XAdES 1.3.2 §7.2.4.1).
COUNTERSIGNED_TYPE: Final = "http://uri.etsi.org/01903#CountersignedSignature"

_NSMAP: Final = {"ds": DS, "xades": XADES}
_EXCLUSIVE: Final = frozenset({algorithms.EXC_C14N, algorithms.EXC_C14N_COMMENTS})
_SIGNING_C14N: Final = frozenset({algorithms.C14N, algorithms.EXC_C14N})


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64_int(value: int) -> str:
    return _b64(value.to_bytes((value.bit_length() + 7) // 8 or 1, "big"))


def signing_time_text(moment: dt.datetime) -> str:
    """``xs:dateTime`` in Turkish time with milliseconds, as GİB's samples write it.

    >>> signing_time_text(dt.datetime(2026, 1, 2, 9, 30, tzinfo=dt.UTC))
    '2026-01-02T12:30:00.000+03:00'
    """
    return moment.astimezone(TURKEY).isoformat(timespec="milliseconds")


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


class SignatureTemplate:
    """The constant part of one seal's ``ds:Signature``, filled and signed per document.

    ``counter=True`` makes a counter-signature template. ``c14n`` is the SignedInfo
    canonicalization: inclusive C14N 1.0 (default) or exclusive C14N 1.0; with the
    exclusive one the SignedProperties reference carries one exc-c14n transform.
    """

    __slots__ = ("_c14n_exclusive", "_root", "_signer")

    def __init__(
        self,
        signer: Signer,
        *,
        c14n: str = algorithms.C14N,
        claimed_role: str | None = DEFAULT_ROLE,
        counter: bool = False,
    ) -> None:
        if c14n not in _SIGNING_C14N:
            raise ValueError(f"unsupported canonicalization for signing: {c14n}")
        self._signer = signer
        self._c14n_exclusive = c14n in _EXCLUSIVE
        self._root = self._build(signer, c14n, claimed_role, counter)

    @staticmethod
    def _build(
        signer: Signer, c14n: str, claimed_role: str | None, counter: bool
    ) -> etree._Element:
        cert = signer.certificate
        cert_der = cert.public_bytes(serialization.Encoding.DER)
        signature = etree.Element(ds("Signature"), nsmap=_NSMAP)
        info = _sub(signature, ds("SignedInfo"))
        _sub(info, ds("CanonicalizationMethod"), Algorithm=c14n)
        _sub(info, ds("SignatureMethod"), Algorithm=signer.signature_method)
        first = _sub(info, ds("Reference"), URI="")
        transform = algorithms.C14N if counter else algorithms.ENVELOPED
        _sub(_sub(first, ds("Transforms")), ds("Transform"), Algorithm=transform)
        if counter:
            first.set("Type", COUNTERSIGNED_TYPE)
        _sub(first, ds("DigestMethod"), Algorithm=algorithms.SHA256)
        _sub(first, ds("DigestValue"))
        props_ref = _sub(info, ds("Reference"), Type=algorithms.SIGNED_PROPERTIES_TYPE, URI="")
        if c14n in _EXCLUSIVE:
            _sub(_sub(props_ref, ds("Transforms")), ds("Transform"), Algorithm=c14n)
        _sub(props_ref, ds("DigestMethod"), Algorithm=algorithms.SHA256)
        _sub(props_ref, ds("DigestValue"))
        _sub(signature, ds("SignatureValue"))
        key_info = _sub(signature, ds("KeyInfo"))
        public_key = cert.public_key()
        if isinstance(public_key, rsa.RSAPublicKey):
            numbers = public_key.public_numbers()
            rsa_value = _sub(_sub(key_info, ds("KeyValue")), ds("RSAKeyValue"))
            _sub(rsa_value, ds("Modulus"), _b64_int(numbers.n))
            _sub(rsa_value, ds("Exponent"), _b64_int(numbers.e))
        x509_data = _sub(key_info, ds("X509Data"))
        _sub(x509_data, ds("X509SubjectName"), cert.subject.rfc4514_string())
        _sub(x509_data, ds("X509Certificate"), _b64(cert_der))
        qualifying = _sub(_sub(signature, ds("Object")), xades("QualifyingProperties"))
        signed_props = _sub(qualifying, xades("SignedProperties"))
        sig_props = _sub(signed_props, xades("SignedSignatureProperties"))
        _sub(sig_props, xades("SigningTime"))
        cert_id = _sub(_sub(sig_props, xades("SigningCertificate")), xades("Cert"))
        cert_digest = _sub(cert_id, xades("CertDigest"))
        _sub(cert_digest, ds("DigestMethod"), Algorithm=algorithms.SHA256)
        _sub(cert_digest, ds("DigestValue"), _b64(hashlib.sha256(cert_der).digest()))
        issuer_serial = _sub(cert_id, xades("IssuerSerial"))
        _sub(issuer_serial, ds("X509IssuerName"), cert.issuer.rfc4514_string())
        _sub(issuer_serial, ds("X509SerialNumber"), str(cert.serial_number))
        if claimed_role:
            roles = _sub(_sub(sig_props, xades("SignerRole")), xades("ClaimedRoles"))
            _sub(roles, xades("ClaimedRole"), claimed_role)
        return signature

    def _instance(
        self, signature_id: str, signing_time: dt.datetime
    ) -> tuple[etree._Element, etree._Element, etree._Element, etree._Element]:
        signature = copy.deepcopy(self._root)
        props_id = f"{signature_id}-SignedProperties"
        signature.set("Id", signature_id)
        info = signature[0]
        info[3].set("URI", f"#{props_id}")
        signature[1].set("Id", f"{signature_id}-SignatureValue")
        qualifying = signature[3][0]
        qualifying.set("Target", f"#{signature_id}")
        signed_props = qualifying[0]
        signed_props.set("Id", props_id)
        signed_props[0][0].text = signing_time_text(signing_time)
        return signature, info, signed_props, signature[1]

    def _finish(
        self, info: etree._Element, signed_props: etree._Element, value: etree._Element
    ) -> None:
        exclusive = self._c14n_exclusive
        props_c14n = etree.tostring(
            signed_props, method="c14n", exclusive=exclusive, with_comments=False
        )
        info[3][-1].text = _b64(hashlib.sha256(props_c14n).digest())
        info_c14n = etree.tostring(info, method="c14n", exclusive=exclusive, with_comments=False)
        value.text = _b64(self._signer.sign(info_c14n))

    def sign_enveloped(
        self,
        root: etree._Element,
        container: etree._Element,
        *,
        signature_id: str,
        signing_time: dt.datetime,
    ) -> etree._Element:
        """Sign the whole document of ``root``; the signature goes into empty ``container``.

        ``container`` must be empty (no children, no text) — what the enveloped-signature
        transform leaves behind is then exactly the document digested here.
        """
        document_c14n = etree.tostring(root.getroottree(), method="c14n", with_comments=False)
        signature, info, signed_props, value = self._instance(signature_id, signing_time)
        info[2][-1].text = _b64(hashlib.sha256(document_c14n).digest())
        container.append(signature)
        self._finish(info, signed_props, value)
        return signature

    def sign_counter(
        self,
        signature_value: etree._Element,
        holder: etree._Element,
        *,
        signature_id: str,
        signing_time: dt.datetime,
    ) -> etree._Element:
        """Counter-sign ``signature_value`` (which has an Id); append the result to ``holder``."""
        signature, info, signed_props, value = self._instance(signature_id, signing_time)
        first = info[2]
        first.set("URI", f"#{signature_value.get('Id')}")
        value_c14n = etree.tostring(signature_value, method="c14n", with_comments=False)
        first[-1].text = _b64(hashlib.sha256(value_c14n).digest())
        holder.append(signature)
        self._finish(info, signed_props, value)
        return signature
