"""Write :class:`~.model.BusinessResponse` and :class:`~.model.SystemResponse` as UBL-TR XML.

:func:`problems` lists every GİB rule a response breaks (UBL-TR_Common_Schematron
``ApplicationResponseProfileIDCheck``, ``ARSignatureCheck``, ``ARPartyIdentification*``,
``DocumentResponseCheck``, ``PostBoxDocumentReferenceCheck``, ``UUIDCheck``; GİB's UBL-TR
schema for the mandatory elements); :func:`to_xml` refuses to write a response with problems.

Business responses always get the signature slot (``ext:UBLExtensions`` with the placeholder
of :mod:`entegrator.ubl.extension`) and ``cac:Signature``; the signer fills the slot. System
responses get them only when ``signatory`` is set, since GİB lets them go unsigned.
"""

from __future__ import annotations

from datetime import date, time
from typing import Final

from lxml import etree

from entegrator.ubl import codelists, extension, ns
from entegrator.ubl.identifiers import ettn, party
from entegrator.ubl.responses.errors import ResponseError
from entegrator.ubl.responses.model import (
    BUILDABLE_CODES,
    BUSINESS_PROFILES,
    ENVELOPE_TYPES,
    SYSTEM_PROFILE,
    SYSTEM_RESPONSE_CODE,
    Address,
    BusinessResponse,
    DocumentReference,
    LineResponse,
    ResponseParty,
    SystemResponse,
)
from entegrator.ubl.xml import to_bytes

__all__ = ["problems", "to_element", "to_xml"]

_SCHEMA_LOCATION: Final = f"{ns.APR} UBL-ApplicationResponse-2.1.xsd"
_NSMAP: Final = {
    None: ns.APR,
    "cac": ns.CAC,
    "cbc": ns.CBC,
    "ext": ns.EXT,
    "ds": ns.DS,
    "xades": ns.XADES,
    "xsi": ns.XSI,
}
#: GTB's KABUL to an IHRACAT invoice carries these IDs (ARPartyIdentificationGTBCheck).
_GTB_KABUL_IDS: Final = ("GTB_GCB_TESCILNO", "GTB_FIILI_IHRACAT_TARIHI")

Response = BusinessResponse | SystemResponse


# --- rules -------------------------------------------------------------------------------


def _party_problems(role: str, who: ResponseParty, *, named: bool) -> list[str]:
    found: list[str] = []
    if not party.is_valid(who.identifier, checksum=False):
        found.append(f"{role}: VKN (10 hane) ya da TCKN (11 hane) olmalı: {who.identifier!r}")
    elif named and who.scheme == "VKN" and not (who.name or "").strip():
        found.append(f"{role}: VKN'li taraf için unvan (PartyName) zorunlu")
    elif (
        named
        and who.scheme == "TCKN"
        and not ((who.first_name or "").strip() and (who.family_name or "").strip())
    ):
        found.append(f"{role}: TCKN'li taraf için ad ve soyad (Person) zorunlu")
    for scheme, _value in who.other_ids:
        if not codelists.is_valid("PartyIdentificationIDType", scheme) or scheme in ("VKN", "TCKN"):
            found.append(f"{role}: geçersiz ek kimlik şeması {scheme!r}")
    return found


def _common_problems(response: Response) -> list[str]:
    found: list[str] = []
    if not response.id.strip():
        found.append("cbc:ID boş olamaz")
    if not ettn.is_valid(response.uuid):
        found.append(f"cbc:UUID bir UUID olmalı: {response.uuid!r}")
    named = isinstance(response, BusinessResponse)
    found += _party_problems("Gönderen (SenderParty)", response.sender, named=named)
    found += _party_problems("Alıcı (ReceiverParty)", response.receiver, named=named)
    if response.signatory is not None:
        found += _party_problems("İmzalayan (SignatoryParty)", response.signatory, named=False)
    return found


def _business_problems(response: BusinessResponse) -> list[str]:
    found = _common_problems(response)
    if response.code not in BUILDABLE_CODES:
        found.append(f"Uygulama yanıtı kodu KABUL ya da RED olmalı: {response.code!r}")
    if response.profile_id not in BUSINESS_PROFILES:
        found.append(
            f"Uygulama yanıtı senaryosu TICARIFATURA ya da IHRACAT olmalı: {response.profile_id!r}"
        )
    if not (response.reason or "").strip():
        found.append("Yanıt açıklaması (red gerekçesi) boş olamaz")
    invoice = response.invoice
    if invoice.ettn is None:
        found.append(f"Yanıtlanan faturanın ETTN'si (UUID) yazılmalı: {invoice.id!r}")
    if invoice.issue_date is None:
        found.append("Yanıtlanan faturanın düzenlenme tarihi zorunlu")
    if not codelists.is_valid("InvoiceTypeCodeList", invoice.type_code):
        found.append(f"Yanıtlanan faturanın tipi geçersiz: {invoice.type_code!r}")
    if not (invoice.type_name or "").strip():
        found.append("cac:DocumentReference/cbc:DocumentType boş olamaz")
    for line in response.lines:
        found += _line_problems(line)
    if response.profile_id == "IHRACAT" and response.code == "KABUL":
        schemes = {scheme for scheme, _value in response.sender.other_ids}
        found += [
            f"IHRACAT KABUL yanıtında {s} kimliği zorunlu"
            for s in _GTB_KABUL_IDS
            if s not in schemes
        ]
    return found


def _line_problems(line: LineResponse) -> list[str]:
    found: list[str] = []
    if not line.reference_id.strip():
        found.append("cac:LineResponse/cac:Response/cbc:ReferenceID boş olamaz")
    if line.description is None:
        found.append("cac:LineResponse/cac:Response içinde bir cbc:Description olmalı")
    return found


def _system_problems(response: SystemResponse) -> list[str]:
    found = _common_problems(response)
    if response.profile_id != SYSTEM_PROFILE:
        found.append(f"Sistem yanıtı senaryosu {SYSTEM_PROFILE} olmalı: {response.profile_id!r}")
    envelope = response.envelope
    if not ettn.is_valid(envelope.id):
        found.append(f"Yanıtlanan zarfın ID'si bir UUID olmalı: {envelope.id!r}")
    if envelope.issue_date is None:
        found.append("Yanıtlanan zarfın tarihi zorunlu")
    if envelope.type_code not in ENVELOPE_TYPES or envelope.type_name not in ENVELOPE_TYPES:
        found.append(
            "Yanıtlanan zarf türü SENDERENVELOPE ya da POSTBOXENVELOPE olmalı: "
            f"{envelope.type_code!r}"
        )
    if response.status_code is None:
        found.append(f"Geçersiz GİB durum kodu: {response.status!r}")
    if response.status_description is None:
        found.append("Durum kodunun açıklaması (cbc:Description) zorunlu")
    if not response.reference_id.strip() or not response.line_reference_id.strip():
        found.append("cac:Response/cbc:ReferenceID boş olamaz")
    return found


def problems(response: Response) -> list[str]:
    """Every GİB rule ``response`` breaks, in Turkish; empty when it can be written."""
    if isinstance(response, BusinessResponse):
        return _business_problems(response)
    return _system_problems(response)


# --- XML ---------------------------------------------------------------------------------


def _add(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    child = etree.SubElement(parent, tag, attrs)
    if text is not None:
        child.text = text
    return child


def _date(value: date) -> str:
    return value.isoformat()


def _time(value: time) -> str:
    return value.strftime("%H:%M:%S")


def _address(parent: etree._Element, address: Address) -> None:
    element = _add(parent, ns.cac("PostalAddress"))
    if address.street:
        _add(element, ns.cbc("StreetName"), address.street)
    if address.building_number:
        _add(element, ns.cbc("BuildingNumber"), address.building_number)
    _add(element, ns.cbc("CitySubdivisionName"), address.city_subdivision)
    _add(element, ns.cbc("CityName"), address.city)
    if address.postal_zone:
        _add(element, ns.cbc("PostalZone"), address.postal_zone)
    country = _add(element, ns.cac("Country"))
    if address.country_code:
        _add(country, ns.cbc("IdentificationCode"), address.country_code)
    _add(country, ns.cbc("Name"), address.country)


def _party(parent: etree._Element, tag: str, who: ResponseParty) -> None:
    element = _add(parent, tag)
    ids = ((party.scheme_of(who.identifier), party.compact(who.identifier)), *who.other_ids)
    for scheme, value in ids:
        _add(_add(element, ns.cac("PartyIdentification")), ns.cbc("ID"), value, schemeID=scheme)
    if who.name:
        _add(_add(element, ns.cac("PartyName")), ns.cbc("Name"), who.name)
    _address(element, who.address)
    if who.tax_office:
        scheme = _add(_add(element, ns.cac("PartyTaxScheme")), ns.cac("TaxScheme"))
        _add(scheme, ns.cbc("Name"), who.tax_office)
    if who.first_name or who.family_name:
        person = _add(element, ns.cac("Person"))
        _add(person, ns.cbc("FirstName"), who.first_name or "")
        _add(person, ns.cbc("FamilyName"), who.family_name or "")


def _signature(root: etree._Element, response: Response, signatory: ResponseParty) -> None:
    element = _add(root, ns.cac("Signature"))
    _add(element, ns.cbc("ID"), party.compact(signatory.identifier), schemeID="VKN_TCKN")
    _party(element, ns.cac("SignatoryParty"), signatory)
    attachment = _add(element, ns.cac("DigitalSignatureAttachment"))
    reference = _add(attachment, ns.cac("ExternalReference"))
    _add(reference, ns.cbc("URI"), "#" + extension.signature_id(response.uuid))


def _document_reference(parent: etree._Element, reference: DocumentReference) -> None:
    element = _add(parent, ns.cac("DocumentReference"))
    _add(element, ns.cbc("ID"), reference.id)
    if reference.issue_date is not None:
        _add(element, ns.cbc("IssueDate"), _date(reference.issue_date))
    if reference.type_code is not None:
        _add(element, ns.cbc("DocumentTypeCode"), reference.type_code)
    if reference.type_name is not None:
        _add(element, ns.cbc("DocumentType"), reference.type_name)


def _response(
    parent: etree._Element, reference_id: str, code: str | None, description: str | None
) -> None:
    element = _add(parent, ns.cac("Response"))
    _add(element, ns.cbc("ReferenceID"), reference_id)
    if code is not None:
        _add(element, ns.cbc("ResponseCode"), code)
    if description is not None:
        _add(element, ns.cbc("Description"), description)


def _line(parent: etree._Element, line: LineResponse) -> None:
    element = _add(parent, ns.cac("LineResponse"))
    reference = _add(element, ns.cac("LineReference"))
    _add(reference, ns.cbc("LineID"), line.line_id)
    if line.document_reference is not None:
        _document_reference(reference, line.document_reference)
    _response(element, line.reference_id, line.code, line.description)


def _header(response: Response) -> etree._Element:
    root = etree.Element(ns.qname(ns.APR, "ApplicationResponse"), nsmap=_NSMAP)
    root.set(ns.qname(ns.XSI, "schemaLocation"), _SCHEMA_LOCATION)
    _add(root, ns.cbc("UBLVersionID"), response.ubl_version_id)
    _add(root, ns.cbc("CustomizationID"), response.customization_id)
    _add(root, ns.cbc("ProfileID"), response.profile_id)
    _add(root, ns.cbc("ID"), response.id)
    _add(root, ns.cbc("UUID"), response.uuid)
    _add(root, ns.cbc("IssueDate"), _date(response.issue_date))
    if response.issue_time is not None:
        _add(root, ns.cbc("IssueTime"), _time(response.issue_time))
    return root


def to_element(response: Response) -> etree._Element:
    """Build the ``ApplicationResponse`` element; :class:`ResponseError` lists any problems."""
    found = problems(response)
    if found:
        raise ResponseError(found)
    root = _header(response)
    if isinstance(response, BusinessResponse):
        for note in response.notes:
            _add(root, ns.cbc("Note"), note)
        signatory: ResponseParty | None = response.signatory or response.sender
    else:
        signatory = response.signatory
    if signatory is not None:
        _signature(root, response, signatory)
        extension.add_signature_slot(root)
    _party(root, ns.cac("SenderParty"), response.sender)
    _party(root, ns.cac("ReceiverParty"), response.receiver)
    document = _add(root, ns.cac("DocumentResponse"))
    if isinstance(response, BusinessResponse):
        _response(document, response.reference_id, response.code, response.reason)
        _document_reference(document, response.invoice)
        for line in response.lines:
            _line(document, line)
    else:
        _response(document, response.reference_id, SYSTEM_RESPONSE_CODE, response.description)
        _document_reference(document, response.envelope)
        envelope_ref = DocumentReference(response.envelope.id, response.envelope.issue_date)
        _line(
            document,
            LineResponse(
                response.line_id,
                response.line_reference_id,
                response.status,
                response.status_description,
                envelope_ref,
            ),
        )
    return root


def to_xml(response: Response) -> bytes:
    """The response as UTF-8 XML bytes with declaration, unsigned (see module docstring)."""
    return to_bytes(to_element(response))
