"""Fixtures of the signing tests: a test PKI, seals, GİB sample documents, a SoftHSM2 token."""

from __future__ import annotations

import copy
import datetime as dt
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from efatura_kontrol.kontrol import kontrol_et
from lxml import etree

from entegrator.signing import (
    SoftwareSigner,
    TrustStore,
    VerificationPolicy,
    make_seal,
)
from entegrator.signing.devpki import DevPki, IssuedSeal
from entegrator.signing.seal import Seal
from entegrator.signing.softhsm import SoftHsmToken, init_token
from entegrator.types import Secret
from entegrator.ubl.ns import CAC, CBC, HR, OA, qname
from entegrator.ubl.xml import parse

SUPPLIER_VKN = "1288331521"  # AAA Anonim Şirketi in GİB's UBL-TR samples
RESPONDER_VKN = "9205121120"  # BBB Limited Şirketi, the buyer answering with KABUL
INTEGRATOR_VKN = "9999999999"  # the integrator in GİB's user-account samples
CUSTOMER_TCKN = "10000000146"
HSM_PIN = Secret("1234")


@pytest.fixture(scope="session")
def pki() -> DevPki:
    """A test PKI whose CAs were issued three years ago (so expired seals can chain)."""
    return DevPki.create(now=dt.datetime.now(dt.UTC) - dt.timedelta(days=3 * 365))


@pytest.fixture(scope="session")
def trust(pki: DevPki) -> TrustStore:
    """Trust store holding the test PKI's root and seal CA."""
    return TrustStore.from_certificates(pki.trust_anchors)


@pytest.fixture(scope="session")
def trust_dir(pki: DevPki, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The test PKI's CA certificates as PEM files in a directory."""
    return pki.write_trust_directory(tmp_path_factory.mktemp("trust"))


@pytest.fixture(scope="session")
def policy(trust: TrustStore) -> VerificationPolicy:
    """Verification against the test PKI, no delegates."""
    return VerificationPolicy(trust=trust)


@pytest.fixture(scope="session")
def supplier(pki: DevPki) -> IssuedSeal:
    """RSA-2048 seal of the invoice supplier."""
    return pki.issue_seal(SUPPLIER_VKN, "AAA Anonim Şirketi")


@pytest.fixture(scope="session")
def supplier_ec(pki: DevPki) -> IssuedSeal:
    """EC P-256 seal of the invoice supplier."""
    return pki.issue_seal(SUPPLIER_VKN, "AAA Anonim Şirketi", key_type="ec")


@pytest.fixture(scope="session")
def responder(pki: DevPki) -> IssuedSeal:
    """Seal of the buyer that sends the application response."""
    return pki.issue_seal(RESPONDER_VKN, "BBB Limited Şirketi")


@pytest.fixture(scope="session")
def integrator(pki: DevPki) -> IssuedSeal:
    """The integrator's own seal."""
    return pki.issue_seal(INTEGRATOR_VKN, "Entegratör A.Ş.")


@pytest.fixture(scope="session")
def customer(pki: DevPki) -> IssuedSeal:
    """A natural-person customer's qualified certificate (TCKN in serialNumber)."""
    return pki.issue_seal(CUSTOMER_TCKN, "Ayşe Yılmaz")


@pytest.fixture(scope="session")
def expired(pki: DevPki) -> IssuedSeal:
    """The supplier's seal that expired a year ago."""
    now = dt.datetime.now(dt.UTC)
    return pki.issue_seal(
        SUPPLIER_VKN,
        "AAA Anonim Şirketi",
        not_before=now - dt.timedelta(days=730),
        not_after=now - dt.timedelta(days=365),
    )


@pytest.fixture(scope="session")
def supplier_seal(supplier: IssuedSeal, trust: TrustStore) -> Seal:
    """The supplier's seal with its key in memory."""
    signer = SoftwareSigner(supplier.private_key, supplier.certificate)
    return make_seal(signer, taxpayer_vkn=SUPPLIER_VKN, trust=trust)


@pytest.fixture(scope="session")
def supplier_ec_seal(supplier_ec: IssuedSeal, trust: TrustStore) -> Seal:
    """The supplier's EC seal with its key in memory."""
    signer = SoftwareSigner(supplier_ec.private_key, supplier_ec.certificate)
    return make_seal(signer, taxpayer_vkn=SUPPLIER_VKN, trust=trust)


@pytest.fixture(scope="session")
def responder_seal(responder: IssuedSeal, trust: TrustStore) -> Seal:
    """The responding buyer's seal."""
    signer = SoftwareSigner(responder.private_key, responder.certificate)
    return make_seal(signer, taxpayer_vkn=RESPONDER_VKN, trust=trust)


@pytest.fixture(scope="session")
def integrator_seal(integrator: IssuedSeal, trust: TrustStore) -> Seal:
    """The integrator's seal for its own user-account messages."""
    signer = SoftwareSigner(integrator.private_key, integrator.certificate)
    return make_seal(signer, taxpayer_vkn=INTEGRATOR_VKN, trust=trust)


@pytest.fixture(scope="session")
def customer_seal(customer: IssuedSeal, trust: TrustStore) -> Seal:
    """The customer's seal for counter-signing its user-account message."""
    signer = SoftwareSigner(customer.private_key, customer.certificate)
    return make_seal(signer, taxpayer_vkn=CUSTOMER_TCKN, trust=trust)


@pytest.fixture(scope="session")
def invoice_bytes(samples_dir: Path) -> bytes:
    """GİB's TICARIFATURA sample (passes efatura-kontrol, placeholder in ExtensionContent)."""
    return (samples_dir / "gib-ubltr-1.2.1" / "TicariFaturaOrnegi.xml").read_bytes()


@pytest.fixture(scope="session")
def response_bytes(samples_dir: Path) -> bytes:
    """GİB's KABUL application response, made schematron-clean: TICARIFATURA + cac:Signature."""
    root = parse((samples_dir / "gib-ubltr-1.2.1" / "KabulUygulamaYanitiOrnegi.xml").read_bytes())
    root.find(qname(CBC, "ProfileID")).text = "TICARIFATURA"
    signature = etree.Element(qname(CAC, "Signature"))
    etree.SubElement(signature, qname(CBC, "ID"), schemeID="VKN_TCKN").text = RESPONDER_VKN
    party_id = etree.SubElement(
        etree.SubElement(signature, qname(CAC, "SignatoryParty")), qname(CAC, "PartyIdentification")
    )
    etree.SubElement(party_id, qname(CBC, "ID"), schemeID="VKN").text = RESPONDER_VKN
    sender = root.find(qname(CAC, "SenderParty"))
    party_id.addnext(copy.deepcopy(sender.find(qname(CAC, "PostalAddress"))))
    reference = etree.SubElement(
        etree.SubElement(signature, qname(CAC, "DigitalSignatureAttachment")),
        qname(CAC, "ExternalReference"),
    )
    etree.SubElement(reference, qname(CBC, "URI")).text = "#Signature"
    root.find(qname(CAC, "SenderParty")).addprevious(signature)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.fixture(scope="session")
def user_account_bytes(samples_dir: Path) -> bytes:
    """GİB's ProcessUserAccount sample, unsigned, for our integrator and customer."""
    root = parse((samples_dir / "gib-efatura-paketi" / "4_KULLANICI_ACMA.xml").read_bytes())
    holder = root.find(f"{qname(OA, 'ApplicationArea')}/{qname(OA, 'Signature')}")
    for child in list(holder):
        holder.remove(child)
    holder.text = None
    for user_id in root.iter(qname(HR, "UserID")):
        user_id.text = CUSTOMER_TCKN
    for person in root.iter(qname(HR, "PersonName")):
        person.find(qname(OA, "GivenName")).text = "Ayşe"
        person.find(qname(HR, "FamilyName")).text = "Yılmaz"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@pytest.fixture(scope="session")
def user_envelope(samples_dir: Path) -> bytes:
    """GİB's USERENVELOPE sample, to validate signed user-account messages inside."""
    return (samples_dir / "gib-efatura-paketi" / "4_KULLANICI_ACMA_ZARF.xml").read_bytes()


@pytest.fixture(scope="session")
def softhsm(
    tmp_path_factory: pytest.TempPathFactory, supplier: IssuedSeal
) -> Iterator[SoftHsmToken]:
    """A SoftHSM2 token holding the supplier's imported key ("aaa", id 01).

    Sets ``SOFTHSM2_CONF`` for this test process (SoftHSM2 reads it when python-pkcs11 first
    initialises the library) and restores it afterwards.
    """
    token = init_token(
        tmp_path_factory.mktemp("softhsm"),
        "entegrator-test",
        pin=HSM_PIN,
        so_pin=Secret("87654321"),
    )
    token.import_key(supplier.private_key_der(), supplier.certificate, label="aaa", key_id=b"\x01")
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ.update(token.environ())
    yield token
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


@pytest.fixture(scope="session")
def xmlsec1(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., str]:
    """Verify with Debian's ``xmlsec1 --verify`` (libxmlsec1 1.2.37); return its report.

    ``certificate`` is the signer's certificate; ``node_id`` picks a signature by Id.
    """
    scratch = tmp_path_factory.mktemp("xmlsec1")

    def run(data: bytes, certificate: x509.Certificate, node_id: str | None = None) -> str:
        document = scratch / "document.xml"
        cert_file = scratch / "signer.pem"
        document.write_bytes(data)
        cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        command = [
            "xmlsec1", "--verify", "--pubkey-cert-pem", str(cert_file),
            "--id-attr:Id", "http://uri.etsi.org/01903/v1.3.2#:SignedProperties",
            "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:SignatureValue",
            "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Signature",
        ]  # fmt: skip
        if node_id:
            command += ["--node-id", node_id]
        result = subprocess.run(
            [*command, str(document)], capture_output=True, text=True, check=False, timeout=60
        )
        return f"rc={result.returncode}\n{result.stderr}"

    return run


@pytest.fixture(scope="session")
def gib_errors() -> Callable[[bytes], list[str]]:
    """GİB's XSD + schematron (efatura-kontrol): the error findings of a document."""

    def run(data: bytes) -> list[str]:
        report = kontrol_et(data)
        return [f"{b.kod}: {b.mesaj}" for b in report.bulgular if b.seviye == "hata"]

    return run
