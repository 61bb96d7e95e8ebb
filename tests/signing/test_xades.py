"""The XAdES-BES structure GİB demands, and template reuse."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib

from cryptography.hazmat.primitives import serialization
from lxml import etree

from entegrator.signing import (
    SoftwareSigner,
    VerificationPolicy,
    algorithms,
    sign_bytes,
    sign_element,
    verify_bytes,
)
from entegrator.signing.devpki import IssuedSeal
from entegrator.signing.seal import Seal
from entegrator.signing.xades import COUNTERSIGNED_TYPE, SignatureTemplate, signing_time_text
from entegrator.ubl.ns import DS, XADES, ext
from entegrator.ubl.xml import parse

NS = {"ds": DS, "xades": XADES}


def _signature(root: etree._Element) -> etree._Element:
    return root.find(f"{ext('UBLExtensions')}/{ext('UBLExtension')}/{ext('ExtensionContent')}")[0]


def _signed(invoice_bytes: bytes, seal: Seal) -> etree._Element:
    return _signature(sign_element(parse(invoice_bytes), seal))


def test_document_reference_has_exactly_the_enveloped_transform(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    signature = _signed(invoice_bytes, supplier_seal)
    transforms = signature.xpath(
        "ds:SignedInfo/ds:Reference[@URI='']/ds:Transforms/ds:Transform/@Algorithm", namespaces=NS
    )
    assert transforms == [algorithms.ENVELOPED]


def test_every_reference_has_at_most_one_transform(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    signature = _signed(invoice_bytes, supplier_seal)
    counts = [len(t) for t in signature.iterfind(".//ds:Transforms", NS)]
    assert counts and max(counts) == 1


def test_signed_properties_reference_points_at_signed_properties(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    signature = _signed(invoice_bytes, supplier_seal)
    reference = signature.find("ds:SignedInfo/ds:Reference[@Type]", NS)
    props = signature.find(".//xades:SignedProperties", NS)
    assert reference.get("Type") == algorithms.SIGNED_PROPERTIES_TYPE
    assert reference.get("URI") == f"#{props.get('Id')}"


def test_signing_certificate_is_v1_with_sha256_digest_and_issuer_serial(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    signature = _signed(invoice_bytes, supplier_seal)
    cert = supplier_seal.certificate
    der = cert.public_bytes(serialization.Encoding.DER)
    cert_id = signature.find(".//xades:SigningCertificate/xades:Cert", NS)
    assert signature.find(".//xades:SigningCertificateV2", NS) is None
    assert (
        cert_id.findtext("xades:CertDigest/ds:DigestValue", namespaces=NS)
        == base64.b64encode(hashlib.sha256(der).digest()).decode()
    )
    assert cert_id.findtext("xades:IssuerSerial/ds:X509SerialNumber", namespaces=NS) == str(
        cert.serial_number
    )


def test_key_info_has_key_value_subject_name_and_certificate(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    key_info = _signed(invoice_bytes, supplier_seal).find("ds:KeyInfo", NS)
    assert key_info.find("ds:KeyValue/ds:RSAKeyValue/ds:Modulus", NS) is not None
    assert "1288331521" in key_info.findtext("ds:X509Data/ds:X509SubjectName", namespaces=NS)
    assert key_info.find("ds:X509Data/ds:X509Certificate", NS).text


def test_ec_key_info_has_no_rsa_key_value(invoice_bytes: bytes, supplier_ec_seal: Seal) -> None:
    assert _signed(invoice_bytes, supplier_ec_seal).find("ds:KeyInfo/ds:KeyValue", NS) is None


def test_signed_properties_carry_turkish_signing_time_and_claimed_role(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    moment = dt.datetime.now(dt.UTC).replace(microsecond=123456)
    root = sign_element(parse(invoice_bytes), supplier_seal, signing_time=moment)
    props = _signature(root).find(".//xades:SignedSignatureProperties", NS)
    turkish = moment + dt.timedelta(hours=3)
    assert props.findtext("xades:SigningTime", namespaces=NS) == (
        f"{turkish:%Y-%m-%dT%H:%M:%S}.123+03:00"
    )
    assert props.findtext(".//xades:ClaimedRole", namespaces=NS) == "Tedarikçi"


def test_qualifying_properties_target_the_signature(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    signature = _signed(invoice_bytes, supplier_seal)
    assert signature.find(".//xades:QualifyingProperties", NS).get("Target") == "#Signature"


def test_exclusive_template_puts_one_exc_c14n_transform_on_signed_properties(
    supplier: IssuedSeal,
) -> None:
    template = SignatureTemplate(
        SoftwareSigner(supplier.private_key, supplier.certificate), c14n=algorithms.EXC_C14N
    )
    root = parse(b"<r/>")
    template.sign_enveloped(root, root, signature_id="S", signing_time=dt.datetime.now(dt.UTC))
    transforms = root.xpath(
        "ds:Signature/ds:SignedInfo/ds:Reference[@Type]/ds:Transforms/ds:Transform/@Algorithm",
        namespaces=NS,
    )
    assert transforms == [algorithms.EXC_C14N]


def test_counter_template_references_the_signature_value(supplier: IssuedSeal) -> None:
    template = SignatureTemplate(
        SoftwareSigner(supplier.private_key, supplier.certificate), counter=True
    )
    root = parse(b"<r><v Id='V'>abc</v><h/></r>")
    signature = template.sign_counter(
        root[0], root[1], signature_id="C", signing_time=dt.datetime.now(dt.UTC)
    )
    first = signature.find("ds:SignedInfo/ds:Reference", NS)
    assert (first.get("URI"), first.get("Type")) == ("#V", COUNTERSIGNED_TYPE)
    assert [t.get("Algorithm") for t in first.iterfind(".//ds:Transform", NS)] == [algorithms.C14N]


def test_one_template_signs_many_documents_independently(
    invoice_bytes: bytes, response_bytes: bytes, supplier_seal: Seal, policy: VerificationPolicy
) -> None:
    first = sign_bytes(invoice_bytes, supplier_seal)
    second = sign_bytes(invoice_bytes.replace(b"Papatya", b"Lale"), supplier_seal)
    assert first != second
    assert verify_bytes(first, policy).signer_id == verify_bytes(second, policy).signer_id


def test_signing_time_text_is_turkish_time() -> None:
    assert (
        signing_time_text(dt.datetime(2026, 1, 1, 21, 0, tzinfo=dt.UTC))
        == "2026-01-02T00:00:00.000+03:00"
    )
