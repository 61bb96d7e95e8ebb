"""Verification of signatures made by OTHER tools (signxml, libxmlsec1, endesive's style).

Each variant is made here with that tool's own signing code, so the verifier meets real
foreign output: other canonicalizations (with comments, exclusive, C14N 1.1), RSA with
SHA-384/512, ECDSA, two transforms on the document reference, SigningCertificateV2, and the
XPath filter ``not(ancestor-or-self::ds:Signature)`` that endesive uses instead of the
enveloped-signature transform.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

import pytest
import xmlsec
from cryptography.hazmat.primitives import serialization
from lxml import etree
from signxml import CanonicalizationMethod, SignatureMethod
from signxml.xades import XAdESSigner

from entegrator.signing import (
    SignatureRejected,
    VerificationPolicy,
    algorithms,
    document,
    verify_bytes,
)
from entegrator.signing.devpki import IssuedSeal
from entegrator.ubl.ns import DS, XADES, ds, xades
from entegrator.ubl.xml import parse

SIGNING_TIME = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _qualifying_properties(
    signature: etree._Element, issued: IssuedSeal, digest: str
) -> etree._Element:
    der = issued.certificate.public_bytes(serialization.Encoding.DER)
    hash_name = {algorithms.SHA256: "sha256", algorithms.SHA512: "sha512"}[digest]
    obj = etree.SubElement(signature, ds("Object"))
    qualifying = etree.SubElement(
        obj, xades("QualifyingProperties"), Target=f"#{signature.get('Id')}", nsmap={"xades": XADES}
    )
    props = etree.SubElement(qualifying, xades("SignedProperties"), Id="xmlsec-props")
    sig_props = etree.SubElement(props, xades("SignedSignatureProperties"))
    etree.SubElement(sig_props, xades("SigningTime")).text = SIGNING_TIME
    cert = etree.SubElement(etree.SubElement(sig_props, xades("SigningCertificate")), xades("Cert"))
    cert_digest = etree.SubElement(cert, xades("CertDigest"))
    etree.SubElement(cert_digest, ds("DigestMethod"), Algorithm=digest)
    etree.SubElement(cert_digest, ds("DigestValue")).text = base64.b64encode(
        hashlib.new(hash_name, der).digest()
    ).decode()
    serial = etree.SubElement(cert, xades("IssuerSerial"))
    etree.SubElement(serial, ds("X509IssuerName")).text = issued.certificate.issuer.rfc4514_string()
    etree.SubElement(serial, ds("X509SerialNumber")).text = str(issued.certificate.serial_number)
    return props


def _libxmlsec_sign(
    data: bytes,
    issued: IssuedSeal,
    *,
    c14n: xmlsec.Transform,
    method: xmlsec.Transform,
    digest: xmlsec.Transform,
    xpath_filter: bool = False,
) -> bytes:
    """Sign with python-xmlsec the way a third-party XAdES tool would."""
    root = parse(data)
    container = document.prepare_container(root, document.document_kind(root)).element
    signature = xmlsec.template.create(root, c14n, method, id="Sig-foreign", ns="ds")
    container.append(signature)
    reference = xmlsec.template.add_reference(signature, digest, uri="")
    if xpath_filter:
        transform = xmlsec.template.add_transform(reference, xmlsec.Transform.XPATH)
        expression = etree.SubElement(transform, ds("XPath"), nsmap={"ds": DS})
        expression.text = "not(ancestor-or-self::ds:Signature)"
    else:
        xmlsec.template.add_transform(reference, xmlsec.Transform.ENVELOPED)
    xmlsec.template.add_transform(reference, c14n)
    props_ref = xmlsec.template.add_reference(
        signature, digest, uri="#xmlsec-props", type=algorithms.SIGNED_PROPERTIES_TYPE
    )
    xmlsec.template.add_transform(props_ref, c14n)
    key_info = xmlsec.template.ensure_key_info(signature)
    xmlsec.template.x509_data_add_certificate(xmlsec.template.add_x509_data(key_info))
    props = _qualifying_properties(signature, issued, digest.href)
    context = xmlsec.SignatureContext()
    context.register_id(props, "Id")
    key_pem = issued.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = xmlsec.Key.from_memory(key_pem, xmlsec.KeyFormat.PEM)
    key.load_cert_from_memory(
        issued.certificate.public_bytes(serialization.Encoding.PEM), xmlsec.KeyFormat.PEM
    )
    context.key = key
    context.sign(signature)
    return etree.tostring(root)


LIBXMLSEC_VARIANTS = {
    "c14n-with-comments, rsa-sha256": (
        xmlsec.Transform.C14N_COMMENTS, xmlsec.Transform.RSA_SHA256, xmlsec.Transform.SHA256, False,
    ),
    "exclusive c14n, rsa-sha512, sha512": (
        xmlsec.Transform.EXCL_C14N, xmlsec.Transform.RSA_SHA512, xmlsec.Transform.SHA512, False,
    ),
    "exclusive c14n with comments, rsa-sha384": (
        xmlsec.Transform.EXCL_C14N_COMMENTS, xmlsec.Transform.RSA_SHA384, xmlsec.Transform.SHA256,
        False,
    ),
    "c14n 1.1, XPath filter (endesive style)": (
        xmlsec.Transform.C14N11, xmlsec.Transform.RSA_SHA256, xmlsec.Transform.SHA256, True,
    ),
}  # fmt: skip


@pytest.mark.parametrize("variant", sorted(LIBXMLSEC_VARIANTS))
def test_verify_accepts_libxmlsec_signatures(
    variant: str, invoice_bytes: bytes, supplier: IssuedSeal, policy: VerificationPolicy
) -> None:
    c14n, method, digest, xpath_filter = LIBXMLSEC_VARIANTS[variant]
    signed = _libxmlsec_sign(
        invoice_bytes, supplier, c14n=c14n, method=method, digest=digest, xpath_filter=xpath_filter
    )
    result = verify_bytes(signed, policy)
    assert (result.signature_method, result.canonicalization) == (method.href, c14n.href)


def test_verify_accepts_libxmlsec_ecdsa_sha384(
    invoice_bytes: bytes, supplier_ec: IssuedSeal, policy: VerificationPolicy
) -> None:
    signed = _libxmlsec_sign(
        invoice_bytes,
        supplier_ec,
        c14n=xmlsec.Transform.EXCL_C14N,
        method=xmlsec.Transform.ECDSA_SHA384,
        digest=xmlsec.Transform.SHA512,
    )
    assert verify_bytes(signed, policy).signature_method == algorithms.ECDSA_SHA384


def test_verify_rejects_a_tampered_xpath_filtered_signature(
    invoice_bytes: bytes, supplier: IssuedSeal, policy: VerificationPolicy
) -> None:
    signed = _libxmlsec_sign(
        invoice_bytes,
        supplier,
        c14n=xmlsec.Transform.C14N,
        method=xmlsec.Transform.RSA_SHA256,
        digest=xmlsec.Transform.SHA256,
        xpath_filter=True,
    )
    with pytest.raises(SignatureRejected) as caught:
        verify_bytes(signed.replace(b"AAA Anonim", b"AAB Anonim", 1), policy)
    assert caught.value.gib_code == 1177


@pytest.mark.parametrize(
    "method", [SignatureMethod.RSA_SHA256, SignatureMethod.RSA_SHA512], ids=lambda m: m.name
)
def test_verify_accepts_signxml_xades_signatures(
    method: SignatureMethod, invoice_bytes: bytes, supplier: IssuedSeal, policy: VerificationPolicy
) -> None:
    root = parse(invoice_bytes)
    container = document.prepare_container(root, document.document_kind(root)).element
    etree.SubElement(container, ds("Signature"), Id="placeholder")
    signer = XAdESSigner(
        signature_algorithm=method, c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0
    )
    signed = signer.sign(root, key=supplier.private_key, cert=[supplier.certificate])
    result = verify_bytes(etree.tostring(signed), policy)
    assert (result.signer_id, result.signature_method) == ("1288331521", method.value)
