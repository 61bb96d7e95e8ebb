"""Read UBL ``ApplicationResponse`` documents into :mod:`.model` objects.

Reading is lenient on content and strict on shape: whatever GİB or a partner wrote (UBL 2.0
samples from 2013, invoice numbers instead of ETTNs, GTB's extra party IDs, a status code
that is not one) comes back as written, so that callers decide what to accept; only a
document that is not an ApplicationResponse, lacks the response code, or carries unreadable
dates raises :class:`~.errors.ResponseError`. Every byte input goes through
:func:`entegrator.ubl.xml.parse` (no DTD, no entities, size cap).
"""

from __future__ import annotations

from datetime import date, time
from typing import Final

from lxml import etree

from entegrator.ubl import extension, ns
from entegrator.ubl.responses.errors import ResponseError
from entegrator.ubl.responses.model import (
    SYSTEM_RESPONSE_CODE,
    Address,
    BusinessResponse,
    DocumentReference,
    LineResponse,
    ResponseParty,
    SystemResponse,
)
from entegrator.ubl.xml import parse as parse_xml

__all__ = ["from_element", "parse"]

_ROOT: Final = ns.qname(ns.APR, "ApplicationResponse")
_PERSON_SCHEMES: Final = ("VKN", "TCKN")


def _text(element: etree._Element | None, path: str) -> str | None:
    if element is None:
        return None
    found = element.find(path, ns.NS)
    if found is None:
        return None
    return (found.text or "").strip()


def _date(value: str | None, what: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ResponseError(f"{what} okunamadı: {value!r}") from exc


def _time(value: str | None) -> time | None:
    if value is None or value == "":
        return None
    try:
        return time.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ResponseError(f"cbc:IssueTime okunamadı: {value!r}") from exc


def _address(element: etree._Element | None) -> Address:
    if element is None:
        return Address(country="", country_code=None)
    return Address(
        city_subdivision=_text(element, "cbc:CitySubdivisionName") or "",
        city=_text(element, "cbc:CityName") or "",
        country=_text(element, "cac:Country/cbc:Name") or "",
        country_code=_text(element, "cac:Country/cbc:IdentificationCode") or None,
        street=_text(element, "cbc:StreetName") or None,
        building_number=_text(element, "cbc:BuildingNumber") or None,
        postal_zone=_text(element, "cbc:PostalZone") or None,
    )


def _party(element: etree._Element | None) -> ResponseParty:
    if element is None:
        return ResponseParty("", address=_address(None))
    identifier = ""
    others: list[tuple[str, str]] = []
    for id_element in element.iterfind("cac:PartyIdentification/cbc:ID", ns.NS):
        scheme = (id_element.get("schemeID") or "").strip()
        value = (id_element.text or "").strip()
        if scheme in _PERSON_SCHEMES and not identifier:
            identifier = value
        else:
            others.append((scheme, value))
    return ResponseParty(
        identifier=identifier,
        name=_text(element, "cac:PartyName/cbc:Name"),
        first_name=_text(element, "cac:Person/cbc:FirstName"),
        family_name=_text(element, "cac:Person/cbc:FamilyName"),
        address=_address(element.find("cac:PostalAddress", ns.NS)),
        tax_office=_text(element, "cac:PartyTaxScheme/cac:TaxScheme/cbc:Name"),
        other_ids=tuple(others),
    )


def _reference(element: etree._Element | None) -> DocumentReference | None:
    if element is None:
        return None
    return DocumentReference(
        id=_text(element, "cbc:ID") or "",
        issue_date=_date(_text(element, "cbc:IssueDate"), "cac:DocumentReference/cbc:IssueDate"),
        type_code=_text(element, "cbc:DocumentTypeCode"),
        type_name=_text(element, "cbc:DocumentType"),
    )


def _line(element: etree._Element) -> LineResponse:
    return LineResponse(
        line_id=_text(element, "cac:LineReference/cbc:LineID") or "",
        reference_id=_text(element, "cac:Response/cbc:ReferenceID") or "",
        code=_text(element, "cac:Response/cbc:ResponseCode"),
        description=_text(element, "cac:Response/cbc:Description"),
        document_reference=_reference(
            element.find("cac:LineReference/cac:DocumentReference", ns.NS)
        ),
    )


def _signatory(root: etree._Element) -> ResponseParty | None:
    signature = root.find("cac:Signature", ns.NS)
    if signature is None:
        return None
    signatory = _party(signature.find("cac:SignatoryParty", ns.NS))
    if not signatory.identifier:
        return ResponseParty(_text(signature, "cbc:ID") or "")
    return signatory


def from_element(root: etree._Element) -> BusinessResponse | SystemResponse:
    """Read an ``ApplicationResponse`` element (e.g. taken out of an envelope)."""
    if root.tag != _ROOT:
        raise ResponseError(f"Belge bir ApplicationResponse değil: {etree.QName(root).localname}")
    document = root.find("cac:DocumentResponse", ns.NS)
    code = _text(document, "cac:Response/cbc:ResponseCode")
    if not code:
        raise ResponseError("cac:DocumentResponse/cac:Response/cbc:ResponseCode yok")
    issue_date = _date(_text(root, "cbc:IssueDate"), "cbc:IssueDate")
    if issue_date is None:
        raise ResponseError("cbc:IssueDate yok")
    reference = _reference(document.find("cac:DocumentReference", ns.NS))  # type: ignore[union-attr]
    lines = tuple(_line(line) for line in document.iterfind("cac:LineResponse", ns.NS))  # type: ignore[union-attr]
    common = {
        "id": _text(root, "cbc:ID") or "",
        "uuid": _text(root, "cbc:UUID") or "",
        "issue_date": issue_date,
        "issue_time": _time(_text(root, "cbc:IssueTime")),
        "sender": _party(root.find("cac:SenderParty", ns.NS)),
        "receiver": _party(root.find("cac:ReceiverParty", ns.NS)),
        "reference_id": _text(document, "cac:Response/cbc:ReferenceID") or "",
        "profile_id": _text(root, "cbc:ProfileID") or "",
        "signatory": _signatory(root),
        "ubl_version_id": _text(root, "cbc:UBLVersionID") or "",
        "customization_id": _text(root, "cbc:CustomizationID") or "",
        "signed": extension.has_signature(root),
    }
    description = _text(document, "cac:Response/cbc:Description")
    if code == SYSTEM_RESPONSE_CODE:
        first = lines[0] if lines else LineResponse("", "", None, None)
        return SystemResponse(
            envelope=reference or DocumentReference(""),
            status=first.code,
            status_description=first.description,
            line_reference_id=first.reference_id,
            line_id=first.line_id,
            description=description,
            **common,  # type: ignore[arg-type]
        )
    return BusinessResponse(
        code=code,
        reason=description,
        invoice=reference or DocumentReference(""),
        lines=lines,
        notes=tuple((note.text or "").strip() for note in root.iterfind("cbc:Note", ns.NS)),
        **common,  # type: ignore[arg-type]
    )


def parse(data: bytes) -> BusinessResponse | SystemResponse:
    """Parse the bytes of an ``ApplicationResponse`` document (hardened, see module doc)."""
    return from_element(parse_xml(data))
