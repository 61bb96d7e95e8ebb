"""Helpers shared by the envelope tests: parties, a deterministic id factory, invoice
builders, and a small XML-DSig signer/verifier (python-xmlsec, throw-away key).

The signer exists only to prove that embedding keeps signatures intact: what matters is
the enveloped ``URI=""`` document reference that every GİB signature has. The project's own
XAdES signer lives in entegrator.signing."""

from __future__ import annotations

import base64
import copy
import itertools
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

import xmlsec
from lxml import etree

from entegrator.envelope import Party
from entegrator.ubl import xml
from entegrator.ubl.ns import CAC, CBC, DS, INV, NS, cac, cbc, ext, qname

#: Parties of GİB's TicariFaturaOrnegi.xml (supplier 1288331521, customer 9205121120).
SELLER = Party("urn:mail:defaultgb@aaa.com.tr", "1288331521", "AAA Anonim Şirketi")
BUYER = Party("urn:mail:defaultpk@bbb.com.tr", "9205121120", "BBB Limited Şirketi")
FIXED_TIME = datetime(2026, 1, 5, 10, 30, 0)


class Ids:
    """A deterministic UUID factory: 00000000-0000-0000-0000-000000000001, …002, …"""

    def __init__(self, start: int = 1) -> None:
        self._numbers = itertools.count(start)
        self.issued: list[str] = []

    def __call__(self) -> str:
        value = str(uuid.UUID(int=next(self._numbers)))
        self.issued.append(value)
        return value


@dataclass(frozen=True)
class ThrowawayKey:
    """PEM key and certificate of a throw-away signer."""

    key_pem: bytes
    cert_pem: bytes


def invoice_from(data: bytes, *, number: int = 1, profile: str | None = None) -> etree._Element:
    """A standalone copy of an invoice with a fresh ETTN, ID and signature URI (and
    optionally profile)."""
    root = copy.deepcopy(xml.parse(data))  # the copy leaves the xml-stylesheet PI behind
    ettn = str(uuid.UUID(int=(0xF47AC10B << 96) | number))
    root.find(cbc("UUID")).text = ettn
    root.find(cbc("ID")).text = f"GIB2009{number:09d}"
    # signature Ids must be unique within an envelope: name the signature after the ETTN,
    # as entegrator.ubl's builders do (GİB's sample says "#Signature")
    root.find(f"{cac('Signature')}//{cbc('URI')}").text = f"#Signature_{ettn}"
    if profile is not None:
        root.find(cbc("ProfileID")).text = profile
    return root


def synthetic_invoice(
    number: int,
    *,
    supplier: str = SELLER.vkn_tckn,
    customer: str = BUYER.vkn_tckn,
    profile: str = "TICARIFATURA",
    filler: bytes = b"",
    signature_id: str | None = None,
) -> etree._Element:
    """A minimal Invoice-shaped document for packing tests (not a valid UBL invoice).

    ``filler`` is stored base64-encoded in a note, to make the document as large (and as
    incompressible) as a test needs; ``signature_id`` adds an (empty) ``ds:Signature``
    carrying that ``Id``.
    """
    root = etree.Element(qname(INV, "Invoice"), nsmap={None: INV, "cac": CAC, "cbc": CBC})
    if signature_id is not None:
        etree.SubElement(root, qname(DS, "Signature"), Id=signature_id)
    etree.SubElement(root, cbc("ProfileID")).text = profile
    etree.SubElement(root, cbc("ID")).text = f"ABC2026{number:09d}"
    etree.SubElement(root, cbc("UUID")).text = str(uuid.UUID(int=(7 << 100) | number))
    if filler:
        etree.SubElement(root, cbc("Note")).text = base64.b64encode(filler).decode("ascii")
    for role, vkn in (("AccountingSupplierParty", supplier), ("AccountingCustomerParty", customer)):
        party = etree.SubElement(etree.SubElement(root, cac(role)), cac("Party"))
        scheme = etree.SubElement(etree.SubElement(party, cac("PartyIdentification")), cbc("ID"))
        scheme.set("schemeID", "VKN")
        scheme.text = vkn
    return root


_C14N = {
    "c14n-comments": xmlsec.constants.TransformInclC14NWithComments,
    "c14n": xmlsec.constants.TransformInclC14N,
    "exc-c14n": xmlsec.constants.TransformExclC14N,
}


def sign_invoice(root: etree._Element, key: ThrowawayKey, c14n: str) -> bytes:
    """Sign an invoice in place (enveloped, ``URI=""``, inside ext:ExtensionContent) and
    return the signed document's bytes."""
    content = root.find(f"{ext('UBLExtensions')}/{ext('UBLExtension')}/{ext('ExtensionContent')}")
    for child in list(content):
        content.remove(child)
    signature = xmlsec.template.create(
        root, _C14N[c14n], xmlsec.constants.TransformRsaSha256, ns="ds"
    )
    content.append(signature)
    reference = xmlsec.template.add_reference(signature, xmlsec.constants.TransformSha256, uri="")
    xmlsec.template.add_transform(reference, xmlsec.constants.TransformEnveloped)
    info = xmlsec.template.ensure_key_info(signature)
    xmlsec.template.x509_data_add_certificate(xmlsec.template.add_x509_data(info))
    context = xmlsec.SignatureContext()
    signing_key = xmlsec.Key.from_memory(key.key_pem, xmlsec.constants.KeyDataFormatPem)
    signing_key.load_cert_from_memory(key.cert_pem, xmlsec.constants.KeyDataFormatPem)
    context.key = signing_key
    context.sign(signature)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def verify(signature: etree._Element, id_holders: Iterable[etree._Element] = ()) -> None:
    """Verify one ds:Signature with the certificate it carries; raises ``xmlsec.Error``.

    ``id_holders`` are elements whose ``Id`` attribute a reference points to (XAdES
    SignedProperties, the SignatureValue a counter-signature signs).
    """
    certificate = signature.findtext(
        f"{qname(DS, 'KeyInfo')}/{qname(DS, 'X509Data')}/{qname(DS, 'X509Certificate')}"
    )
    body = "".join(certificate.split())
    lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    pem = f"-----BEGIN CERTIFICATE-----\n{lines}\n-----END CERTIFICATE-----\n"
    context = xmlsec.SignatureContext()
    context.key = xmlsec.Key.from_memory(pem.encode("ascii"), xmlsec.constants.KeyDataFormatCertPem)
    for holder in id_holders:
        context.register_id(holder, "Id")
    context.verify(signature)


def xades_id_holders(root: etree._Element) -> Iterator[etree._Element]:
    """Every element a XAdES reference may point to by Id in GİB's signed samples."""
    yield from root.iterfind(".//xades:SignedProperties", NS)
    yield from root.iterfind(".//ds:SignatureValue[@Id]", NS)


def first_signature(root: etree._Element) -> etree._Element:
    """The document's own (outermost) ds:Signature."""
    return next(root.iterfind(".//ds:Signature", NS))


def counter_signature(root: etree._Element) -> etree._Element:
    """The XAdES counter-signature (seri imza) inside the document's signature."""
    return next(root.iterfind(".//xades:CounterSignature/ds:Signature", NS))
