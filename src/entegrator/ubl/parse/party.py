"""Reads parties (``cac:Party``), the real buyer and the intermediary into model mappings."""

from __future__ import annotations

from typing import Any

from lxml import etree

from entegrator.ubl._tags import CAC, CBC
from entegrator.ubl.parse._read import compact, date_of, first, text_of

__all__ = ["read_address", "read_buyer_customer", "read_party", "read_tax_representative"]

_COUNTRY_NAME = CAC.path("Country", CBC.Name)
_COUNTRY_CODE = CAC.path("Country", CBC.IdentificationCode)
_PARTY_ID = CAC.path("PartyIdentification", CBC.ID)
_TAX_OFFICE = CAC.path("PartyTaxScheme", "TaxScheme", CBC.Name)
_PARTY_NAME = CAC.path("PartyName", CBC.Name)


def read_address(element: etree._Element | None) -> dict[str, Any] | None:
    """An address mapping; required parts missing in the document become empty texts."""
    if element is None:
        return None
    return compact(
        {
            "street": text_of(element, CBC.StreetName),
            "building_name": text_of(element, CBC.BuildingName),
            "building_number": text_of(element, CBC.BuildingNumber),
            "district": text_of(element, CBC.District),
            "city_subdivision": text_of(element, CBC.CitySubdivisionName) or "",
            "city": text_of(element, CBC.CityName) or "",
            "postal_code": text_of(element, CBC.PostalZone),
            "country": text_of(element, _COUNTRY_NAME) or "",
            "country_code": text_of(element, _COUNTRY_CODE),
        }
    )


def _identifications(party: etree._Element) -> list[tuple[str, str]]:
    found = []
    for node in party.iterfind(_PARTY_ID):
        scheme, value = (node.get("schemeID") or "").strip(), text_of(node)
        if scheme and value is not None:
            found.append((scheme, value))
    return found


def read_party(wrapper: etree._Element | None) -> dict[str, Any]:
    """The party inside ``cac:Accounting…Party`` (an empty mapping if it is missing)."""
    party = first(wrapper, CAC.Party)
    if party is None:
        return {}
    ids = _identifications(party)
    mapping: dict[str, Any] = {
        "vkn": next((value for scheme, value in ids if scheme == "VKN"), None),
        "tckn": next((value for scheme, value in ids if scheme == "TCKN"), None),
        "name": text_of(party, _PARTY_NAME),
        "first_name": text_of(party, CAC.path("Person", CBC.FirstName)),
        "family_name": text_of(party, CAC.path("Person", CBC.FamilyName)),
        "tax_office": text_of(party, _TAX_OFFICE),
        "address": read_address(first(party, CAC.PostalAddress)) or {},
        "website": text_of(party, CBC.WebsiteURI),
        "alias": text_of(party, CBC.EndpointID),
        "identifiers": [
            {"scheme": scheme, "value": value}
            for scheme, value in ids
            if scheme not in ("VKN", "TCKN")
        ],
    }
    contact = first(party, CAC.Contact)
    if contact is not None:
        details = compact(
            {
                "telephone": text_of(contact, CBC.Telephone),
                "telefax": text_of(contact, CBC.Telefax),
                "email": text_of(contact, CBC.ElectronicMail),
            }
        )
        mapping["contact"] = details or None
    return compact(mapping)


def read_buyer_customer(wrapper: etree._Element | None) -> dict[str, Any] | None:
    """The EXPORT/TAXFREE buyer; None when absent or of another kind."""
    party = first(wrapper, CAC.Party)
    if party is None:
        return None
    kind = next((value for scheme, value in _identifications(party) if scheme == "PARTYTYPE"), None)
    if kind not in ("EXPORT", "TAXFREE"):
        return None
    legal = first(party, CAC.PartyLegalEntity)
    person = first(party, CAC.Person)
    traveller = None
    if person is not None:
        traveller = {
            "first_name": text_of(person, CBC.FirstName) or "",
            "family_name": text_of(person, CBC.FamilyName) or "",
            "nationality": text_of(person, CBC.NationalityID) or "",
            "passport_number": text_of(person, CAC.path("IdentityDocumentReference", CBC.ID)) or "",
            "passport_issue_date": date_of(
                person, CAC.path("IdentityDocumentReference", CBC.IssueDate)
            ),
        }
    return compact(
        {
            "party_type": kind,
            "name": text_of(legal, CBC.RegistrationName) or text_of(party, _PARTY_NAME),
            "tax_number": text_of(legal, CBC.CompanyID),
            "address": read_address(first(party, CAC.PostalAddress)) or {},
            "traveller": traveller,
        }
    )


def read_tax_representative(party: etree._Element | None) -> dict[str, Any] | None:
    """The intermediary (``cac:TaxRepresentativeParty``); None when absent."""
    if party is None:
        return None
    ids = dict(_identifications(party))
    return compact(
        {
            "vkn": ids.get("ARACIKURUMVKN", ""),
            "alias": ids.get("ARACIKURUMETIKET", ""),
            "name": text_of(party, _PARTY_NAME),
            "address": read_address(first(party, CAC.PostalAddress)) or {},
        }
    )
