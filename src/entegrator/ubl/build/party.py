"""Writes parties: supplier/customer (``cac:Party``), the signature block, the real buyer and
the intermediary, in UBL 2.1 element order (GİB's UBL-CommonAggregateComponents-2.1.xsd).
"""

from __future__ import annotations

from lxml import etree

from entegrator.ubl import extension
from entegrator.ubl._tags import CAC, CBC
from entegrator.ubl.build._xml import date_text, element, optional, text
from entegrator.ubl.model import Address, BuyerCustomer, Party, TaxRepresentative

__all__ = [
    "write_address",
    "write_buyer_customer",
    "write_party",
    "write_signature",
    "write_tax_representative",
]


def write_address(parent: etree._Element, tag: str, address: Address) -> None:
    """Append an address element (``cac:PostalAddress``, ``cac:DeliveryAddress`` …)."""
    node = element(parent, tag)
    optional(node, CBC.StreetName, address.street)
    optional(node, CBC.BuildingName, address.building_name)
    optional(node, CBC.BuildingNumber, address.building_number)
    text(node, CBC.CitySubdivisionName, address.city_subdivision)
    text(node, CBC.CityName, address.city)
    optional(node, CBC.PostalZone, address.postal_code)
    optional(node, CBC.District, address.district)
    country = element(node, CAC.Country)
    optional(country, CBC.IdentificationCode, address.country_code)
    text(country, CBC.Name, address.country)


def _identification(parent: etree._Element, scheme: str, value: str) -> None:
    element(element(parent, CAC.PartyIdentification), CBC.ID, schemeID=scheme).text = value


def write_party(parent: etree._Element, wrapper: str, party: Party) -> None:
    """Append ``wrapper`` (``cac:AccountingSupplierParty`` …) holding ``party``."""
    node = element(element(parent, wrapper), CAC.Party)
    optional(node, CBC.WebsiteURI, party.website)
    optional(node, CBC.EndpointID, party.alias)
    identifier = party.identifier
    if identifier is not None:
        _identification(node, *identifier)
    for extra in party.identifiers:
        _identification(node, extra.scheme, extra.value)
    if party.name is not None:
        text(element(node, CAC.PartyName), CBC.Name, party.name)
    write_address(node, CAC.PostalAddress, party.address)
    if party.tax_office is not None:
        text(element(element(node, CAC.PartyTaxScheme), CAC.TaxScheme), CBC.Name, party.tax_office)
    contact = party.contact
    if contact is not None and (contact.telephone or contact.telefax or contact.email):
        contact_node = element(node, CAC.Contact)
        optional(contact_node, CBC.Telephone, contact.telephone)
        optional(contact_node, CBC.Telefax, contact.telefax)
        optional(contact_node, CBC.ElectronicMail, contact.email)
    if party.first_name is not None or party.family_name is not None:
        person = element(node, CAC.Person)
        text(person, CBC.FirstName, party.first_name or "")
        text(person, CBC.FamilyName, party.family_name or "")


def write_signature(parent: etree._Element, supplier: Party, ettn: str) -> None:
    """Append ``cac:Signature``: signer = supplier, URI → the ``ds:Signature`` to come.

    The signer gives ``ds:Signature`` the Id :func:`entegrator.ubl.extension.signature_id`
    returns for the document's ETTN (gib-protocol.md §6.1).
    """
    scheme, number = supplier.identifier or ("VKN", "")
    node = element(parent, CAC.Signature)
    element(node, CBC.ID, schemeID="VKN_TCKN").text = number
    signatory = element(node, CAC.SignatoryParty)
    _identification(signatory, scheme, number)
    write_address(signatory, CAC.PostalAddress, supplier.address)
    reference = element(element(node, CAC.DigitalSignatureAttachment), CAC.ExternalReference)
    text(reference, CBC.URI, "#" + extension.signature_id(ettn))


def write_buyer_customer(parent: etree._Element, buyer: BuyerCustomer) -> None:
    """Append ``cac:BuyerCustomerParty`` for an export (EXPORT) or tax-free (TAXFREE) sale."""
    node = element(element(parent, CAC.BuyerCustomerParty), CAC.Party)
    _identification(node, "PARTYTYPE", buyer.party_type)
    if buyer.name is not None:
        text(element(node, CAC.PartyName), CBC.Name, buyer.name)
    write_address(node, CAC.PostalAddress, buyer.address)
    if buyer.name is not None or buyer.tax_number is not None:
        legal = element(node, CAC.PartyLegalEntity)
        optional(legal, CBC.RegistrationName, buyer.name)
        optional(legal, CBC.CompanyID, buyer.tax_number)
    traveller = buyer.traveller
    if traveller is not None:
        person = element(node, CAC.Person)
        text(person, CBC.FirstName, traveller.first_name)
        text(person, CBC.FamilyName, traveller.family_name)
        text(person, CBC.NationalityID, traveller.nationality)
        passport = element(person, CAC.IdentityDocumentReference)
        text(passport, CBC.ID, traveller.passport_number)
        text(passport, CBC.IssueDate, date_text(traveller.passport_issue_date))


def write_tax_representative(parent: etree._Element, agent: TaxRepresentative) -> None:
    """Append ``cac:TaxRepresentativeParty`` (the intermediary of a tax-free sale)."""
    node = element(parent, CAC.TaxRepresentativeParty)
    _identification(node, "ARACIKURUMVKN", agent.vkn)
    _identification(node, "ARACIKURUMETIKET", agent.alias)
    if agent.name is not None:
        text(element(node, CAC.PartyName), CBC.Name, agent.name)
    write_address(node, CAC.PostalAddress, agent.address)
