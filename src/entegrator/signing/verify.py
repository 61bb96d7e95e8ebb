"""Verify the XAdES signature of a received GİB document and map failures to GİB's codes.

What is checked, in this order (the first failure decides the code):

1. structure — ``ds:SignedInfo``, ``ds:SignatureValue``, ``ds:KeyInfo/ds:X509Data/
   ds:X509Certificate``, ``xades:QualifyingProperties`` targeting the signature,
   ``SignedProperties`` with ``SigningTime`` and ``SigningCertificate``  → 1177;
2. algorithms — SHA-1 anything (rsa-sha1 included) and unknown methods are refused → 1177;
3. references — exactly one ``URI=""`` reference covering the whole document (enveloped
   transform, or the XPath filter ``not(ancestor-or-self::ds:Signature)`` other tools use),
   exactly one reference to this signature's ``SignedProperties``, other references only to
   elements inside the signature, transforms only from a fixed list → 1177;
4. the signer certificate is the ``KeyInfo`` certificate whose digest ``SigningCertificate``
   names (a swapped certificate fails here) → 1177;
5. signature value and every reference digest, by python-xmlsec (libxmlsec1) → 1177;
6. the certificate was valid at ``SigningTime`` (and that time is not in the future) → 1177;
7. a VKN/TCKN can be read from the certificate → 1161;
8. the certificate chains to the trust store, valid at ``SigningTime`` → 1175;
9. the signer is the document's supplier/sender (or an authorised delegate) → 1176.

python-xmlsec does the cryptography because it handles every canonicalization and the XPath
transform that other tools emit (signxml silently ignores XPath filters; tech-notes §2).
"""

from __future__ import annotations

import base64
import binascii
import copy
import datetime as dt
import hashlib
import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Final, NoReturn

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from lxml import etree

from entegrator.signing import algorithms, document
from entegrator.signing.certificates import (
    ChainError,
    TrustStore,
    common_name,
    signer_identifier,
    valid_at,
)
from entegrator.signing.document import DocumentKind
from entegrator.signing.errors import (
    SIGNATURE_INVALID,
    SIGNER_ID_UNREADABLE,
    SIGNER_NOT_AUTHORISED,
    SIGNING_AUTHORITY_UNCHECKED,
    SignatureRejected,
)
from entegrator.signing.xades import TURKEY
from entegrator.ubl.ns import DS, ds, xades
from entegrator.ubl.xml import parse_tree

__all__ = ["VerificationPolicy", "VerifiedSignature", "verify_bytes", "verify_element"]

_XMLSEC_TRANSFORMS: Final = {
    algorithms.C14N: xmlsec.Transform.C14N,
    algorithms.C14N_COMMENTS: xmlsec.Transform.C14N_COMMENTS,
    algorithms.C14N11: xmlsec.Transform.C14N11,
    algorithms.C14N11_COMMENTS: xmlsec.Transform.C14N11_COMMENTS,
    algorithms.EXC_C14N: xmlsec.Transform.EXCL_C14N,
    algorithms.EXC_C14N_COMMENTS: xmlsec.Transform.EXCL_C14N_COMMENTS,
}
_XMLSEC_METHODS: Final = {
    algorithms.RSA_SHA256: xmlsec.Transform.RSA_SHA256,
    algorithms.RSA_SHA384: xmlsec.Transform.RSA_SHA384,
    algorithms.RSA_SHA512: xmlsec.Transform.RSA_SHA512,
    algorithms.ECDSA_SHA256: xmlsec.Transform.ECDSA_SHA256,
    algorithms.ECDSA_SHA384: xmlsec.Transform.ECDSA_SHA384,
    algorithms.ECDSA_SHA512: xmlsec.Transform.ECDSA_SHA512,
}
_XMLSEC_DIGESTS: Final = (xmlsec.Transform.SHA256, xmlsec.Transform.SHA384, xmlsec.Transform.SHA512)
_SIGNED_PROPERTIES_TYPES: Final = frozenset(
    {algorithms.SIGNED_PROPERTIES_TYPE, "http://uri.etsi.org/01903/v1.1.1#SignedProperties"}
)
_ID_REFERENCE: Final = re.compile(r"^#([A-Za-z_][A-Za-z0-9_.-]*)$")
_WHITESPACE: Final = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class VerificationPolicy:
    """What a received signature is checked against.

    ``authorised_delegates``: VKNs of integrators allowed to seal on behalf of any taxpayer
    (delegated signing, Özel Entegratörlük Kılavuzu §2.2). ``max_clock_skew``: how far in
    the future a SigningTime may lie. ``require_counter_signature``: user-account messages
    must carry the customer's counter-signature.
    """

    trust: TrustStore
    authorised_delegates: frozenset[str] = field(default=frozenset())
    max_clock_skew: dt.timedelta = dt.timedelta(minutes=5)
    require_counter_signature: bool = False


@dataclass(frozen=True, slots=True)
class VerifiedSignature:
    """A signature that passed every check, with the facts found on the way."""

    signer_id: str
    signer_name: str
    certificate: x509.Certificate
    signing_time: dt.datetime
    signature_method: str
    canonicalization: str
    delegated: bool
    counter_signature: VerifiedSignature | None = None


def _reject(message: str, code: int = SIGNATURE_INVALID) -> NoReturn:
    raise SignatureRejected(message, gib_code=code)


def _one(parent: etree._Element, path: str, what: str) -> etree._Element:
    found = parent.find(path)
    if found is None:
        _reject(f"İmzada {what} yok")
    return found


def _text(element: etree._Element) -> str:
    return _WHITESPACE.sub("", element.text or "")


@dataclass(frozen=True, slots=True)
class _Parts:
    signed_info: etree._Element
    c14n: str
    method: str
    signed_props: etree._Element
    signing_time: dt.datetime
    cert_refs: list[etree._Element]
    certificates: list[tuple[x509.Certificate, bytes]]


def _structure(signature: etree._Element) -> _Parts:
    info = _one(signature, ds("SignedInfo"), "ds:SignedInfo")
    c14n = _one(info, ds("CanonicalizationMethod"), "ds:CanonicalizationMethod").get("Algorithm")
    method = _one(info, ds("SignatureMethod"), "ds:SignatureMethod").get("Algorithm")
    if c14n not in algorithms.CANONICALIZATIONS:
        _reject(f"Kabul edilmeyen kanonikleştirme yöntemi: {c14n}")
    if method not in algorithms.SIGNATURE_METHODS:
        _reject(f"Kabul edilmeyen imza algoritması: {method} (rsa-sha1 ve SHA-1 kabul edilmez)")
    _one(signature, ds("SignatureValue"), "ds:SignatureValue")
    certificates = []
    for cert_el in signature.iterfind(f"{ds('KeyInfo')}/{ds('X509Data')}/{ds('X509Certificate')}"):
        try:
            der = base64.b64decode(_text(cert_el), validate=True)
            certificates.append((x509.load_der_x509_certificate(der), der))
        except (binascii.Error, ValueError):
            _reject("ds:X509Certificate okunamadı")
    if not certificates:
        _reject("İmzada ds:KeyInfo/ds:X509Data/ds:X509Certificate yok")
    qualifying = _one(
        signature, f"{ds('Object')}/{xades('QualifyingProperties')}", "xades:QualifyingProperties"
    )
    signature_id = signature.get("Id")
    if signature_id and qualifying.get("Target") != f"#{signature_id}":
        _reject("xades:QualifyingProperties bu imzayı hedeflemiyor (Target)")
    props = _one(qualifying, xades("SignedProperties"), "xades:SignedProperties")
    sig_props = _one(props, xades("SignedSignatureProperties"), "xades:SignedSignatureProperties")
    time_text = (_one(sig_props, xades("SigningTime"), "xades:SigningTime").text or "").strip()
    try:
        signing_time = dt.datetime.fromisoformat(time_text)
    except ValueError:
        _reject(f"xades:SigningTime okunamadı: {time_text!r}")
    if signing_time.tzinfo is None:
        signing_time = signing_time.replace(tzinfo=TURKEY)
    cert_refs = [
        *sig_props.iterfind(f"{xades('SigningCertificate')}/{xades('Cert')}"),
        *sig_props.iterfind(f"{xades('SigningCertificateV2')}/{xades('Cert')}"),
    ]
    if not cert_refs:
        _reject("İmzada xades:SigningCertificate yok")
    return _Parts(info, c14n, method, props, signing_time, cert_refs, certificates)


def _whole_document_xpath(transform: etree._Element) -> bool:
    """Whether an XPath transform is the usual "everything but the signature" filter."""
    xpath = transform.find(ds("XPath"))
    if xpath is None:
        return False
    expression = _text(xpath)
    return any(
        uri == DS and expression == f"not(ancestor-or-self::{prefix}:Signature)"
        for prefix, uri in xpath.nsmap.items()
        if prefix
    )


def _check_reference(reference: etree._Element, *, whole_document: bool) -> None:
    uri = reference.get("URI")
    method = _one(reference, ds("DigestMethod"), "ds:DigestMethod").get("Algorithm") or ""
    if algorithms.digest_hash(method) is None:
        _reject(f"Kabul edilmeyen özet algoritması: {method} (SHA-1 kabul edilmez)")
    excluding = False
    for transform in reference.iterfind(f"{ds('Transforms')}/{ds('Transform')}"):
        name = transform.get("Algorithm")
        if name in algorithms.CANONICALIZATIONS:
            continue
        excludes_signature = name == algorithms.ENVELOPED or (
            name == algorithms.XPATH and _whole_document_xpath(transform)
        )
        if whole_document and excludes_signature:
            excluding = True
        else:
            _reject(f"Referansta ({uri!r}) kabul edilmeyen dönüşüm: {name}")
    if whole_document and not excluding:
        _reject('URI="" referansında enveloped-signature dönüşümü yok')


def _check_references(
    signature: etree._Element, parts: _Parts, countersigned: etree._Element | None
) -> None:
    props_id = parts.signed_props.get("Id")
    inside = {el.get("Id") for el in signature.iter() if el.get("Id")}
    whole, props_refs, counter_refs = 0, 0, 0
    for reference in parts.signed_info.iterfind(ds("Reference")):
        uri = reference.get("URI")
        if uri == "" and countersigned is None:
            whole += 1
            _check_reference(reference, whole_document=True)
            continue
        match = _ID_REFERENCE.match(uri or "")
        if match is None:
            _reject(f"Kabul edilmeyen referans URI'si: {uri!r}")
        target = match.group(1)
        if props_id and target == props_id:
            ref_type = reference.get("Type")
            if ref_type is not None and ref_type not in _SIGNED_PROPERTIES_TYPES:
                _reject(f"SignedProperties referansının türü yanlış: {ref_type}")
            props_refs += 1
        elif countersigned is not None and target == countersigned.get("Id"):
            counter_refs += 1
        elif target not in inside:
            _reject(f"Referans imzanın dışını gösteriyor: {uri}")
        _check_reference(reference, whole_document=False)
    if countersigned is None and whole != 1:
        _reject(f'İmzada URI="" olan tek bir belge referansı olmalı ({whole} bulundu)')
    if countersigned is not None and counter_refs != 1:
        _reject("Karşı imza, ana imzanın ds:SignatureValue elemanını göstermiyor")
    if props_refs != 1:
        _reject("İmzada xades:SignedProperties referansı yok (XAdES-BES değil)")


def _signer_certificate(parts: _Parts) -> tuple[x509.Certificate, bytes]:
    for cert_ref in parts.cert_refs:
        method = cert_ref.find(f"{xades('CertDigest')}/{ds('DigestMethod')}")
        value = cert_ref.find(f"{xades('CertDigest')}/{ds('DigestValue')}")
        if method is None or value is None:
            _reject("xades:CertDigest eksik")
        digest = algorithms.DIGESTS.get(method.get("Algorithm") or "")
        if digest is None:
            _reject(f"Kabul edilmeyen sertifika özeti algoritması: {method.get('Algorithm')}")
        try:
            expected = base64.b64decode(_text(value), validate=True)
        except binascii.Error:
            _reject("xades:CertDigest okunamadı")
        for certificate, der in parts.certificates:
            if hmac.compare_digest(hashlib.new(digest.name, der).digest(), expected):
                serial = cert_ref.find(f"{xades('IssuerSerial')}/{ds('X509SerialNumber')}")
                if serial is not None and _text(serial) != str(certificate.serial_number):
                    _reject("xades:IssuerSerial seri numarası sertifikayla uyuşmuyor")
                return certificate, der
    _reject("KeyInfo'daki sertifika xades:SigningCertificate özetiyle uyuşmuyor")


def _check_cryptography(
    scope: etree._Element,
    signature: etree._Element,
    parts: _Parts,
    certificate: x509.Certificate,
    der: bytes,
) -> None:
    key_type = algorithms.SIGNATURE_METHODS[parts.method][0]
    expected = rsa.RSAPublicKey if key_type == "rsa" else ec.EllipticCurvePublicKey
    if not isinstance(certificate.public_key(), expected):
        _reject(f"İmza algoritması ({parts.method}) sertifikanın anahtar türüne uymuyor")
    context = xmlsec.SignatureContext()
    try:
        for element in scope.iter():
            if element.get("Id"):
                context.register_id(element, "Id")
        context.key = xmlsec.Key.from_memory(der, xmlsec.KeyFormat.CERT_DER)
        for transform in (*_XMLSEC_TRANSFORMS.values(), *_XMLSEC_DIGESTS):
            context.enable_reference_transform(transform)
            context.enable_signature_transform(transform)
        context.enable_reference_transform(xmlsec.Transform.ENVELOPED)
        context.enable_reference_transform(xmlsec.Transform.XPATH)
        context.enable_signature_transform(_XMLSEC_METHODS[parts.method])
        context.verify(signature)
    except xmlsec.VerificationError:
        _reject("İmza doğrulanamadı: belge imzadan sonra değiştirilmiş ya da imza değeri geçersiz")
    except xmlsec.Error as exc:
        _reject(f"İmza doğrulanamadı: {exc}")


def _verify_one(
    signature: etree._Element,
    policy: VerificationPolicy,
    *,
    expected: Sequence[str],
    countersigned: etree._Element | None,
    scope: etree._Element,
    now: dt.datetime,
) -> VerifiedSignature:
    parts = _structure(signature)
    _check_references(signature, parts, countersigned)
    certificate, der = _signer_certificate(parts)
    _check_cryptography(scope, signature, parts, certificate, der)
    name = common_name(certificate)
    if parts.signing_time > now + policy.max_clock_skew:
        _reject(f"xades:SigningTime gelecekte: {parts.signing_time.isoformat()}")
    if not valid_at(certificate, parts.signing_time):
        _reject(
            f"İmza zamanında ({parts.signing_time:%Y-%m-%d %H:%M}) sertifika geçerli değil "
            f"({certificate.not_valid_before_utc:%Y-%m-%d} – "
            f"{certificate.not_valid_after_utc:%Y-%m-%d}): {name}"
        )
    signer = signer_identifier(certificate)
    if signer is None:
        _reject(f"İmzacı sertifikasından VKN/TCKN alınamadı: {name}", SIGNER_ID_UNREADABLE)
    others = [c for c, _ in parts.certificates if c is not certificate]
    try:
        policy.trust.chain(certificate, parts.signing_time, others)
    except ChainError as exc:
        _reject(
            f"İmzacı sertifikası güvenilen bir ESHS'ye zincirlenmiyor: {name}: {exc}",
            SIGNING_AUTHORITY_UNCHECKED,
        )
    delegated = signer not in expected
    if delegated and signer not in policy.authorised_delegates:
        _reject(
            f"İmzacı {signer} belgenin tarafı ({', '.join(expected) or 'yok'}) değil ve yetkili "
            "bir entegratör de değil",
            SIGNER_NOT_AUTHORISED,
        )
    return VerifiedSignature(
        signer_id=signer,
        signer_name=name,
        certificate=certificate,
        signing_time=parts.signing_time,
        signature_method=parts.method,
        canonicalization=parts.c14n,
        delegated=delegated,
    )


def verify_element(
    root: etree._Element, policy: VerificationPolicy, *, now: dt.datetime | None = None
) -> VerifiedSignature:
    """Verify the signature of the document ``root``; raise :class:`SignatureRejected`.

    A document embedded in another (an invoice inside an envelope) is copied out and
    verified as a document of its own, as GİB does after unpacking the envelope.
    """
    if root.getparent() is not None:
        root = copy.deepcopy(root)
        root.tail = None  # whitespace after the element belongs to its container, not to it
    moment = now or dt.datetime.now(dt.UTC)
    kind = document.document_kind(root)
    signatures = document.find_signature(root, kind)
    if len(signatures) != 1:
        _reject(f"Belgede GİB'in beklediği yerde tek bir ds:Signature olmalı ({len(signatures)})")
    signature = signatures[0]
    expected = document.supplier_identifiers(root, kind)
    result = _verify_one(
        signature, policy, expected=expected, countersigned=None, scope=signature, now=moment
    )
    if kind is not DocumentKind.USER_ACCOUNT:
        return result
    counters = document.find_counter_signature(signature)
    if len(counters) > 1:
        _reject("Mesajda birden fazla karşı imza var")
    if not counters:
        if policy.require_counter_signature:
            _reject("Kullanıcı mesajında müşterinin karşı imzası yok")
        return result
    counter = _verify_one(
        counters[0],
        policy,
        expected=document.counter_signers(root),
        countersigned=_one(signature, ds("SignatureValue"), "ds:SignatureValue"),
        scope=signature,
        now=moment,
    )
    return replace(result, counter_signature=counter)


def verify_bytes(
    data: bytes, policy: VerificationPolicy, *, now: dt.datetime | None = None
) -> VerifiedSignature:
    """Parse ``data`` safely and verify its signature (see :func:`verify_element`)."""
    return verify_element(parse_tree(data).getroot(), policy, now=now)
