"""Verification of received documents: tampering and bad certificates map to GİB's codes."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

from entegrator.errors import DocumentError
from entegrator.signing import (
    SignatureRejected,
    SoftwareSigner,
    TrustStore,
    VerificationPolicy,
    algorithms,
    countersign_bytes,
    document,
    sign_bytes,
    verify_bytes,
    verify_element,
)
from entegrator.signing.devpki import DevPki, IssuedSeal
from entegrator.signing.seal import Seal
from entegrator.signing.xades import SignatureTemplate
from entegrator.ubl.ns import DS, ds, ext
from entegrator.ubl.xml import parse

NOW = dt.datetime.now(dt.UTC)


def _raw_sign(data: bytes, issued: IssuedSeal, signing_time: dt.datetime = NOW) -> bytes:
    """Sign like entegrator does but without the seal's pre-signing checks."""
    root = parse(data)
    template = SignatureTemplate(SoftwareSigner(issued.private_key, issued.certificate))
    container = document.prepare_container(root, document.document_kind(root))
    template.sign_enveloped(
        root, container.element, signature_id="Signature", signing_time=signing_time
    )
    return etree.tostring(root)


def _signature(root: etree._Element) -> etree._Element:
    return root.find(f"{ext('UBLExtensions')}/{ext('UBLExtension')}/{ext('ExtensionContent')}")[0]


def _resign(signature: etree._Element, issued: IssuedSeal, digest: hashes.HashAlgorithm) -> None:
    """Recompute SignatureValue over the (modified) SignedInfo: a cryptographically valid sig."""
    info = signature.find(ds("SignedInfo"))
    value = issued.private_key.sign(
        etree.tostring(info, method="c14n", with_comments=False), padding.PKCS1v15(), digest
    )
    signature.find(ds("SignatureValue")).text = base64.b64encode(value).decode()


def _code(data: bytes, policy: VerificationPolicy) -> int | None:
    with pytest.raises(SignatureRejected) as caught:
        verify_bytes(data, policy)
    return caught.value.gib_code


def test_verify_accepts_an_untouched_invoice(
    invoice_bytes: bytes, supplier_seal: Seal, policy: VerificationPolicy
) -> None:
    result = verify_bytes(sign_bytes(invoice_bytes, supplier_seal), policy)
    assert (result.signer_id, result.delegated) == (supplier_seal.taxpayer_vkn, False)


def test_verify_rejects_one_changed_digit_in_an_amount(
    invoice_bytes: bytes, supplier_seal: Seal, policy: VerificationPolicy
) -> None:
    signed = sign_bytes(invoice_bytes, supplier_seal)
    amount = b'<cbc:PayableAmount currencyID="TRY">'
    assert amount in signed
    tampered = signed.replace(amount + b"2", amount + b"3", 1)
    assert tampered != signed
    assert _code(tampered, policy) == 1177


def test_verify_rejects_a_swapped_certificate(
    invoice_bytes: bytes, supplier_seal: Seal, responder: IssuedSeal, policy: VerificationPolicy
) -> None:
    root = parse(sign_bytes(invoice_bytes, supplier_seal))
    cert = _signature(root).find(f"{ds('KeyInfo')}/{ds('X509Data')}/{ds('X509Certificate')}")
    cert.text = base64.b64encode(
        responder.certificate.public_bytes(serialization.Encoding.DER)
    ).decode()
    with pytest.raises(SignatureRejected, match="SigningCertificate") as caught:
        verify_element(root, policy)
    assert caught.value.gib_code == 1177


def test_verify_rejects_a_certificate_expired_at_signing_time(
    invoice_bytes: bytes, expired: IssuedSeal, policy: VerificationPolicy
) -> None:
    with pytest.raises(SignatureRejected, match="sertifika geçerli değil") as caught:
        verify_bytes(_raw_sign(invoice_bytes, expired), policy)
    assert caught.value.gib_code == 1177


def test_verify_accepts_a_signature_made_before_the_certificate_expired(
    invoice_bytes: bytes, expired: IssuedSeal, policy: VerificationPolicy
) -> None:
    during = expired.certificate.not_valid_after_utc - dt.timedelta(days=30)
    result = verify_bytes(_raw_sign(invoice_bytes, expired, during), policy)
    assert result.signing_time == during.replace(microsecond=during.microsecond // 1000 * 1000)


def test_verify_rejects_a_certificate_of_another_vkn(
    invoice_bytes: bytes, responder: IssuedSeal, policy: VerificationPolicy
) -> None:
    assert _code(_raw_sign(invoice_bytes, responder), policy) == 1176


def test_verify_accepts_another_vkn_when_it_is_an_authorised_delegate(
    invoice_bytes: bytes, responder: IssuedSeal, policy: VerificationPolicy
) -> None:
    delegates = replace(policy, authorised_delegates=frozenset({"9205121120"}))
    result = verify_bytes(_raw_sign(invoice_bytes, responder), delegates)
    assert (result.signer_id, result.delegated) == ("9205121120", True)


def test_verify_rejects_an_rsa_sha1_signature(
    invoice_bytes: bytes, supplier: IssuedSeal, policy: VerificationPolicy
) -> None:
    root = parse(_raw_sign(invoice_bytes, supplier))
    signature = _signature(root)
    signature.find(f"{ds('SignedInfo')}/{ds('SignatureMethod')}").set(
        "Algorithm", algorithms.RSA_SHA1
    )
    _resign(signature, supplier, hashes.SHA1())
    with pytest.raises(SignatureRejected, match="rsa-sha1") as caught:
        verify_element(root, policy)
    assert caught.value.gib_code == 1177


def test_verify_rejects_a_missing_signed_properties_reference(
    invoice_bytes: bytes, supplier: IssuedSeal, policy: VerificationPolicy
) -> None:
    root = parse(_raw_sign(invoice_bytes, supplier))
    signature = _signature(root)
    info = signature.find(ds("SignedInfo"))
    info.remove(info.findall(ds("Reference"))[1])
    _resign(signature, supplier, hashes.SHA256())
    with pytest.raises(SignatureRejected, match="SignedProperties") as caught:
        verify_element(root, policy)
    assert caught.value.gib_code == 1177


def test_verify_rejects_a_changed_signing_time(
    invoice_bytes: bytes, supplier_seal: Seal, policy: VerificationPolicy
) -> None:
    root = parse(sign_bytes(invoice_bytes, supplier_seal))
    signing_time = next(_signature(root).iter("{http://uri.etsi.org/01903/v1.3.2#}SigningTime"))
    signing_time.text = "2000-01-01T00:00:00.000+03:00"
    with pytest.raises(SignatureRejected) as caught:
        verify_element(root, policy)
    assert caught.value.gib_code == 1177


def test_verify_rejects_a_certificate_without_vkn(
    invoice_bytes: bytes, pki: DevPki, policy: VerificationPolicy
) -> None:
    anonymous = pki.issue_seal("ABC", "Kimliksiz Ltd.")
    assert _code(_raw_sign(invoice_bytes, anonymous), policy) == 1161


def test_verify_rejects_a_certificate_from_an_untrusted_issuer(
    invoice_bytes: bytes, policy: VerificationPolicy
) -> None:
    stranger = DevPki.create("Yabancı ESHS").issue_seal("1288331521", "AAA Anonim Şirketi")
    assert _code(_raw_sign(invoice_bytes, stranger), policy) == 1175


def test_verify_rejects_a_signing_time_in_the_future(
    invoice_bytes: bytes, supplier: IssuedSeal, policy: VerificationPolicy
) -> None:
    tomorrow = NOW + dt.timedelta(days=1)
    with pytest.raises(SignatureRejected, match="gelecekte"):
        verify_bytes(_raw_sign(invoice_bytes, supplier, tomorrow), policy)


def test_verify_rejects_two_signatures(
    invoice_bytes: bytes, supplier_seal: Seal, policy: VerificationPolicy
) -> None:
    root = parse(sign_bytes(invoice_bytes, supplier_seal))
    signature = _signature(root)
    signature.addnext(etree.fromstring(etree.tostring(signature)))
    with pytest.raises(SignatureRejected, match="tek bir ds:Signature"):
        verify_element(root, policy)


def test_verify_rejects_an_xpath_filter_that_leaves_amounts_unsigned(
    invoice_bytes: bytes, supplier: IssuedSeal, policy: VerificationPolicy
) -> None:
    root = parse(_raw_sign(invoice_bytes, supplier))
    signature = _signature(root)
    transform = signature.find(f".//{ds('Transform')}")
    transform.set("Algorithm", algorithms.XPATH)
    xpath = etree.SubElement(transform, ds("XPath"), nsmap={"ds": DS})
    xpath.text = (
        "not(ancestor-or-self::ds:Signature)"
        " and not(ancestor-or-self::*[local-name()='LegalMonetaryTotal'])"
    )
    _resign(signature, supplier, hashes.SHA256())
    with pytest.raises(SignatureRejected, match="dönüşüm"):
        verify_element(root, policy)


def test_verify_rejects_a_reference_outside_the_signature(
    invoice_bytes: bytes, supplier: IssuedSeal, policy: VerificationPolicy
) -> None:
    root = parse(_raw_sign(invoice_bytes, supplier))
    signature = _signature(root)
    root.find(".//{*}LegalMonetaryTotal").set("Id", "tutarlar")
    extra = etree.SubElement(signature.find(ds("SignedInfo")), ds("Reference"), URI="#tutarlar")
    etree.SubElement(extra, ds("DigestMethod"), Algorithm=algorithms.SHA256)
    etree.SubElement(extra, ds("DigestValue")).text = "AAAA"
    _resign(signature, supplier, hashes.SHA256())
    with pytest.raises(SignatureRejected, match="dışını"):
        verify_element(root, policy)


def test_verify_rejects_a_counter_signature_by_someone_else(
    user_account_bytes: bytes, integrator_seal: Seal, pki: DevPki, policy: VerificationPolicy
) -> None:
    signed = sign_bytes(user_account_bytes, integrator_seal)
    stranger = pki.issue_seal("12345678950", "Başka Kişi")
    template = SignatureTemplate(
        SoftwareSigner(stranger.private_key, stranger.certificate), counter=True
    )
    root = parse(signed)
    signature = document.find_signature(root, document.DocumentKind.USER_ACCOUNT)[0]
    holder = document.counter_signature_holder(signature)
    template.sign_counter(
        signature.find(ds("SignatureValue")),
        holder.element,
        signature_id="CounterSignature",
        signing_time=NOW,
    )
    with pytest.raises(SignatureRejected) as caught:
        verify_element(root, policy)
    assert caught.value.gib_code == 1176


def test_verify_rejects_a_main_signature_changed_after_counter_signing(
    user_account_bytes: bytes,
    integrator_seal: Seal,
    customer_seal: Seal,
    policy: VerificationPolicy,
) -> None:
    signed = countersign_bytes(sign_bytes(user_account_bytes, integrator_seal), customer_seal)
    root = parse(signed)
    value = root.find(f".//{ds('SignatureValue')}[@Id='Signature-SignatureValue']")
    value.text = value.text[:-4] + ("AAA=" if not value.text.endswith("AAA=") else "BBB=")
    with pytest.raises(SignatureRejected) as caught:
        verify_element(root, policy)
    assert caught.value.gib_code == 1177


def test_verify_requires_a_counter_signature_when_the_policy_says_so(
    user_account_bytes: bytes, integrator_seal: Seal, policy: VerificationPolicy
) -> None:
    signed = sign_bytes(user_account_bytes, integrator_seal)
    assert verify_bytes(signed, policy).counter_signature is None
    with pytest.raises(SignatureRejected, match="karşı imzası yok"):
        verify_bytes(signed, replace(policy, require_counter_signature=True))


def test_verify_checks_gib_s_own_signed_sample_up_to_the_trust_store(
    samples_dir: Path, policy: VerificationPolicy
) -> None:
    # GİB's sample: C14N-with-comments, GİB's tooling, a KamuSM test certificate. Everything
    # up to the chain verifies; KamuSM is not in the test trust store, hence 1175.
    data = (samples_dir / "gib-efatura-paketi" / "4_KULLANICI_ACMA.xml").read_bytes()
    with pytest.raises(SignatureRejected, match="e-Fatura Deneme") as caught:
        verify_bytes(data, policy)
    assert caught.value.gib_code == 1175


def test_verify_refuses_an_unknown_document_type(policy: VerificationPolicy) -> None:
    with pytest.raises(DocumentError):
        verify_bytes(b"<Order xmlns='urn:example'/>", policy)


def test_verify_element_copies_an_embedded_document_out(
    invoice_bytes: bytes, supplier_seal: Seal, trust: TrustStore
) -> None:
    wrapper = etree.Element("{urn:example:zarf}Package", nsmap={"z": "urn:example:zarf"})
    wrapper.append(parse(sign_bytes(invoice_bytes, supplier_seal)))
    result = verify_element(wrapper[0], VerificationPolicy(trust=trust))
    assert result.signer_id == supplier_seal.taxpayer_vkn


def test_verify_element_ignores_the_whitespace_after_an_embedded_document(
    invoice_bytes: bytes, supplier_seal: Seal, trust: TrustStore
) -> None:
    wrapper = etree.Element("{urn:example:zarf}Package", nsmap={"z": "urn:example:zarf"})
    wrapper.append(parse(sign_bytes(invoice_bytes, supplier_seal)))
    wrapper[0].tail = "\n   "  # as in a pretty-printed envelope
    result = verify_element(wrapper[0], VerificationPolicy(trust=trust))
    assert result.signer_id == supplier_seal.taxpayer_vkn
