"""Signing GİB documents: independent verifiers accept them, GİB's XSD/schematron too."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from cryptography import x509
from lxml import etree
from signxml import CanonicalizationMethod
from signxml.xades import XAdESSignatureConfiguration, XAdESVerifier

from entegrator.signing import (
    SealError,
    SoftwareSigner,
    TokenError,
    TrustStore,
    VerificationPolicy,
    algorithms,
    countersign_bytes,
    countersign_element,
    make_seal,
    sign_bytes,
    sign_element,
    verify_bytes,
    verify_element,
)
from entegrator.signing.devpki import IssuedSeal
from entegrator.signing.seal import Seal
from entegrator.ubl.ns import CAC, CBC, DS, EXT, SH, ds, ext, qname
from entegrator.ubl.xml import XmlError, parse

XMLSEC_OK = "SignedInfo References (ok/all): 2/2"


def _signature(root: etree._Element) -> etree._Element:
    return root.find(f"{ext('UBLExtensions')}/{ext('UBLExtension')}/{ext('ExtensionContent')}")[0]


def _c14n(root: etree._Element) -> bytes:
    return etree.tostring(root.getroottree(), method="c14n")


def test_sign_invoice_verifies_with_xmlsec1(
    invoice_bytes: bytes, supplier_seal: Seal, xmlsec1: Callable[..., str]
) -> None:
    signed = sign_bytes(invoice_bytes, supplier_seal)
    report = xmlsec1(signed, supplier_seal.certificate)
    assert report.startswith("rc=0") and XMLSEC_OK in report, report


def test_sign_invoice_verifies_with_signxml(invoice_bytes: bytes, supplier_seal: Seal) -> None:
    signed = sign_bytes(invoice_bytes, supplier_seal)
    config = XAdESSignatureConfiguration(
        expect_references=2,
        default_reference_c14n_method=CanonicalizationMethod.CANONICAL_XML_1_0,
    )
    results = XAdESVerifier().verify(
        signed, x509_cert=supplier_seal.certificate, expect_config=config
    )
    assert len(results) == 2


def test_sign_invoice_passes_gib_xsd_and_schematron(
    invoice_bytes: bytes, supplier_seal: Seal, gib_errors: Callable[[bytes], list[str]]
) -> None:
    assert gib_errors(sign_bytes(invoice_bytes, supplier_seal)) == []


def test_sign_invoice_with_ec_seal_verifies_and_passes_gib(
    invoice_bytes: bytes,
    supplier_ec_seal: Seal,
    xmlsec1: Callable[..., str],
    gib_errors: Callable[[bytes], list[str]],
    policy: VerificationPolicy,
) -> None:
    signed = sign_bytes(invoice_bytes, supplier_ec_seal)
    assert XMLSEC_OK in xmlsec1(signed, supplier_ec_seal.certificate)
    assert gib_errors(signed) == []
    assert verify_bytes(signed, policy).signature_method == algorithms.ECDSA_SHA256


def test_sign_invoice_with_exclusive_c14n_verifies(
    *,
    invoice_bytes: bytes,
    supplier: IssuedSeal,
    trust: TrustStore,
    xmlsec1: Callable[..., str],
    gib_errors: Callable[[bytes], list[str]],
    policy: VerificationPolicy,
) -> None:
    seal = make_seal(
        SoftwareSigner(supplier.private_key, supplier.certificate),
        taxpayer_vkn=supplier_vkn(supplier),
        trust=trust,
        c14n=algorithms.EXC_C14N,
    )
    signed = sign_bytes(invoice_bytes, seal)
    assert XMLSEC_OK in xmlsec1(signed, seal.certificate)
    assert gib_errors(signed) == []
    assert verify_bytes(signed, policy).canonicalization == algorithms.EXC_C14N


def supplier_vkn(issued: IssuedSeal) -> str:
    """The VKN in a test seal's serialNumber."""
    attribute = issued.certificate.subject.get_attributes_for_oid(x509.NameOID.SERIAL_NUMBER)
    return str(attribute[0].value)


def test_sign_application_response_verifies_and_passes_gib(
    response_bytes: bytes,
    responder_seal: Seal,
    xmlsec1: Callable[..., str],
    gib_errors: Callable[[bytes], list[str]],
    policy: VerificationPolicy,
) -> None:
    signed = sign_bytes(response_bytes, responder_seal)
    assert XMLSEC_OK in xmlsec1(signed, responder_seal.certificate)
    assert gib_errors(signed) == []
    assert verify_bytes(signed, policy).signer_id == responder_seal.taxpayer_vkn


def _in_user_envelope(envelope: bytes, message: etree._Element, sender_vkn: str) -> bytes:
    root = parse(envelope)
    header = root.find(qname(SH, "StandardBusinessDocumentHeader"))
    header.find(f"{qname(SH, 'DocumentIdentification')}/{qname(SH, 'TypeVersion')}").text = "1.2"
    for contact in header.iter(qname(SH, "Contact")):
        if contact.text == "9999999999":
            contact.text = sender_vkn
    element_list = root.find(".//ElementList")
    for child in list(element_list):
        element_list.remove(child)
    element_list.append(message)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_sign_user_account_with_counter_signature(
    *,
    user_account_bytes: bytes,
    user_envelope: bytes,
    integrator_seal: Seal,
    customer_seal: Seal,
    xmlsec1: Callable[..., str],
    gib_errors: Callable[[bytes], list[str]],
    policy: VerificationPolicy,
) -> None:
    signed = countersign_bytes(sign_bytes(user_account_bytes, integrator_seal), customer_seal)
    assert XMLSEC_OK in xmlsec1(signed, integrator_seal.certificate)
    assert XMLSEC_OK in xmlsec1(signed, customer_seal.certificate, node_id="CounterSignature")
    result = verify_bytes(signed, policy)
    assert (result.signer_id, result.counter_signature.signer_id) == (
        integrator_seal.taxpayer_vkn,
        customer_seal.taxpayer_vkn,
    )
    envelope = _in_user_envelope(user_envelope, parse(signed), integrator_seal.taxpayer_vkn)
    assert gib_errors(envelope) == []


def test_countersign_refuses_seal_of_someone_not_in_the_message(
    user_account_bytes: bytes, integrator_seal: Seal, supplier_seal: Seal
) -> None:
    root = parse(sign_bytes(user_account_bytes, integrator_seal))
    before = _c14n(root)
    with pytest.raises(SealError):
        countersign_element(root, supplier_seal)
    assert _c14n(root) == before


def test_sign_replaces_the_placeholder_with_the_signature(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    root = sign_element(parse(invoice_bytes), supplier_seal)
    content = root.find(f"{ext('UBLExtensions')}/{ext('UBLExtension')}/{ext('ExtensionContent')}")
    assert [child.tag for child in content] == [ds("Signature")]


def test_sign_inserts_ubl_extensions_when_missing(
    invoice_bytes: bytes,
    supplier_seal: Seal,
    gib_errors: Callable[[bytes], list[str]],
    policy: VerificationPolicy,
) -> None:
    root = parse(invoice_bytes)
    root.remove(root.find(ext("UBLExtensions")))
    sign_element(root, supplier_seal)
    assert root[0].tag == ext("UBLExtensions")
    signed = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert gib_errors(signed) == []
    assert verify_bytes(signed, policy).signer_id == supplier_seal.taxpayer_vkn


def test_sign_gives_the_signature_the_id_named_by_cac_signature(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    root = parse(invoice_bytes)
    uri = root.find(
        f"{qname(CAC, 'Signature')}/{qname(CAC, 'DigitalSignatureAttachment')}/"
        f"{qname(CAC, 'ExternalReference')}/{qname(CBC, 'URI')}"
    )
    uri.text = "#Imza-1"
    assert _signature(sign_element(root, supplier_seal)).get("Id") == "Imza-1"


def test_sign_drops_processing_instructions_outside_the_root(
    invoice_bytes: bytes, supplier_seal: Seal, policy: VerificationPolicy
) -> None:
    assert b"<?xml-stylesheet" in invoice_bytes
    signed = sign_bytes(invoice_bytes, supplier_seal)
    assert b"<?xml-stylesheet" not in signed
    envelope = etree.Element(qname(SH, "StandardBusinessDocument"), nsmap={"sh": SH})
    envelope.append(parse(signed))
    embedded = parse(etree.tostring(envelope))[0]
    assert verify_element(embedded, policy).signer_id == supplier_seal.taxpayer_vkn


def test_sign_refuses_a_document_of_another_supplier(
    response_bytes: bytes, supplier_seal: Seal
) -> None:
    root = parse(response_bytes)
    before = _c14n(root)
    with pytest.raises(SealError, match="tedarikçisi"):
        sign_element(root, supplier_seal)
    assert _c14n(root) == before


def test_sign_refuses_when_cac_signature_names_another_signer(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    root = parse(invoice_bytes)
    root.find(f"{qname(CAC, 'Signature')}/{qname(CBC, 'ID')}").text = "1111111111"
    with pytest.raises(SealError, match="cac:Signature"):
        sign_element(root, supplier_seal)


def test_sign_refuses_a_seal_expired_at_signing_time(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    later = supplier_seal.valid_until + dt.timedelta(days=1)
    with pytest.raises(SealError, match="geçerli değil"):
        sign_bytes(invoice_bytes, supplier_seal, signing_time=later)


class _BrokenToken(SoftwareSigner):
    """A signer whose token fails at the moment of signing."""

    def sign(self, data: bytes) -> bytes:
        raise TokenError("belirteç çıkarıldı")


def test_sign_leaves_the_document_unchanged_when_the_token_fails(
    invoice_bytes: bytes, supplier: IssuedSeal, trust: TrustStore
) -> None:
    seal = make_seal(
        _BrokenToken(supplier.private_key, supplier.certificate),
        taxpayer_vkn=supplier_vkn(supplier),
        trust=trust,
    )
    root = parse(invoice_bytes)
    before = _c14n(root)
    with pytest.raises(TokenError):
        sign_element(root, seal)
    assert _c14n(root) == before


def test_sign_bytes_rejects_malformed_xml(supplier_seal: Seal) -> None:
    with pytest.raises(XmlError):
        sign_bytes(b"<Invoice><unclosed></Invoice>", supplier_seal)


def test_sign_element_refuses_a_non_root_element(invoice_bytes: bytes, supplier_seal: Seal) -> None:
    wrapper = etree.Element("wrapper")
    wrapper.append(parse(invoice_bytes))
    with pytest.raises(ValueError, match="kökü"):
        sign_element(wrapper[0], supplier_seal)


def test_signature_namespaces_are_the_xmldsig_and_ubl_ones(
    invoice_bytes: bytes, supplier_seal: Seal
) -> None:
    root = sign_element(parse(invoice_bytes), supplier_seal)
    assert _signature(root).tag == f"{{{DS}}}Signature"
    assert root[0].tag == f"{{{EXT}}}UBLExtensions"
