"""Tests for entegrator.ubl.build.party (parties and the signature block)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from entegrator.ubl import extension

Query = Callable[[etree._Element, str], list[Any]]
_SUPPLIER = "cac:AccountingSupplierParty/cac:Party"


def test_signature_names_the_supplier(built: Callable[..., etree._Element], query: Query) -> None:
    root = built()
    assert query(root, "cac:Signature/cbc:ID/@schemeID") == ["VKN_TCKN"]
    assert query(root, "cac:Signature/cbc:ID/text()") == ["4540536920"]
    assert query(
        root, "cac:Signature/cac:SignatoryParty/cac:PartyIdentification/cbc:ID/@schemeID"
    ) == ["VKN"]


def test_signature_points_at_the_signature_to_come(
    built: Callable[..., etree._Element], query: Query
) -> None:
    root = built()
    uri = query(root, "cac:Signature/cac:DigitalSignatureAttachment/cac:ExternalReference/cbc:URI")
    ettn = query(root, "cbc:UUID/text()")[0]
    assert uri[0].text == "#" + extension.signature_id(ettn)


def test_company_party(built: Callable[..., etree._Element], query: Query) -> None:
    root = built()
    assert query(root, f"{_SUPPLIER}/cac:PartyName/cbc:Name/text()") == ["Örnek Yazılım A.Ş."]
    assert query(root, f"{_SUPPLIER}/cac:PartyTaxScheme/cac:TaxScheme/cbc:Name/text()") == [
        "Beşiktaş"
    ]
    assert query(root, f"{_SUPPLIER}/cac:PostalAddress/cac:Country/cbc:Name/text()") == ["Türkiye"]
    assert query(root, f"{_SUPPLIER}/cac:Person") == []


def test_person_party(built: Callable[..., etree._Element], query: Query) -> None:
    person = {
        "tckn": "17291716060",
        "first_name": "Ayşe",
        "family_name": "Yılmaz",
        "address": {"city_subdivision": "Kadıköy", "city": "İstanbul"},
    }
    party = query(built(customer=person), "cac:AccountingCustomerParty/cac:Party")[0]
    assert query(party, "cac:PartyIdentification/cbc:ID/@schemeID") == ["TCKN"]
    assert query(party, "cac:Person/cbc:FirstName/text()") == ["Ayşe"]
    assert query(party, "cac:PartyName") == []


def test_alias_and_extra_identifiers(
    built: Callable[..., etree._Element], query: Query, spec: dict[str, Any]
) -> None:
    supplier = {
        **spec["supplier"],
        "alias": "urn:mail:gb@ornek.com.tr",
        "identifiers": [{"scheme": "MERSISNO", "value": "0454053692000015"}],
    }
    root = built(supplier=supplier)
    assert query(root, f"{_SUPPLIER}/cbc:EndpointID/text()") == ["urn:mail:gb@ornek.com.tr"]
    assert query(root, f"{_SUPPLIER}/cac:PartyIdentification/cbc:ID/@schemeID") == [
        "VKN",
        "MERSISNO",
    ]
