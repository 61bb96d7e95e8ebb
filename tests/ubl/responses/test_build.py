"""Tests for entegrator.ubl.responses.build."""

from __future__ import annotations

import dataclasses

import pytest
from lxml import etree

from entegrator.ubl import codelists, extension, ns
from entegrator.ubl.responses import (
    BusinessResponse,
    ResponseError,
    ResponseParty,
    SystemResponse,
    problems,
    to_element,
    to_xml,
)
from entegrator.ubl.xml import parse

ENVELOPE_ID = "e002da78-223f-438c-addb-16badeb047b5"  # the same as in conftest.py
UNSIGNED = [("bilgi", "imza-yok")]


def _text(root: etree._Element, path: str) -> list[str]:
    return [element.text or "" for element in root.iterfind(path, ns.NS)]


# --- GİB's own checker -------------------------------------------------------------------


def test_kabul_passes_gib_checks_except_the_missing_signature(kabul, gib_findings) -> None:
    assert gib_findings(to_xml(kabul)) == UNSIGNED


def test_red_passes_gib_checks_except_the_missing_signature(red, gib_findings) -> None:
    assert gib_findings(to_xml(red)) == UNSIGNED


def test_response_from_a_person_passes_gib_checks(red, person, gib_findings) -> None:
    response = dataclasses.replace(red, sender=person, signatory=person)
    assert gib_findings(to_xml(response)) == UNSIGNED


def test_kabul_without_signature_slot_fails_gib_checks(kabul, gib_findings) -> None:
    root = to_element(kabul)
    root.remove(root.find(ns.ext("UBLExtensions")))
    assert ("hata", "sch-ARSignatureCheck-2") in gib_findings(etree.tostring(root))


@pytest.mark.parametrize("status", sorted(codelists.values("AppResponseCodeType")))
def test_system_response_passes_gib_checks(system, status, gib_findings) -> None:
    from entegrator.ubl import status_codes

    response = dataclasses.replace(
        system, status=status, status_description=status_codes.status(status).label
    )
    assert gib_findings(to_xml(response)) == UNSIGNED


def test_signed_system_response_passes_gib_checks(system, seller, gib_findings) -> None:
    assert gib_findings(to_xml(dataclasses.replace(system, signatory=seller))) == UNSIGNED


def test_gtb_kabul_with_customs_ids_passes_gib_checks(kabul, gib_findings) -> None:
    gtb = ResponseParty(
        "1460415308",
        name="GÜMRÜK VE TİCARET BAKANLIĞI",
        other_ids=(
            ("GTB_GCB_TESCILNO", "16341200EX000001"),
            ("GTB_FIILI_IHRACAT_TARIHI", "2024-03-02"),
        ),
    )
    response = dataclasses.replace(kabul, profile_id="IHRACAT", sender=gtb, signatory=gtb)
    assert gib_findings(to_xml(response)) == UNSIGNED


# --- structure ---------------------------------------------------------------------------


def test_business_response_opens_with_the_signature_slot(kabul) -> None:
    root = to_element(kabul)
    assert root[0].tag == ns.ext("UBLExtensions")
    assert extension.find_placeholder(root) is not None


def test_signature_uri_points_at_the_signature_id(kabul) -> None:
    root = to_element(kabul)
    uri = _text(root, "cac:Signature/cac:DigitalSignatureAttachment/cac:ExternalReference/cbc:URI")
    assert uri == ["#" + extension.signature_id(kabul.uuid)]
    assert _text(root, "cac:Signature/cbc:ID") == [kabul.sender.identifier]


def test_signatory_can_be_the_integrator(kabul, seller) -> None:
    root = to_element(dataclasses.replace(kabul, signatory=seller))
    assert _text(root, "cac:Signature/cbc:ID") == [seller.identifier]
    assert _text(root, "cac:SenderParty/cac:PartyIdentification/cbc:ID") == [
        kabul.sender.identifier
    ]


def test_signatory_none_means_the_sender(kabul) -> None:
    root = to_element(dataclasses.replace(kabul, signatory=None))
    assert _text(root, "cac:Signature/cbc:ID") == [kabul.sender.identifier]


def test_business_header(red) -> None:
    root = to_element(red)
    assert _text(root, "cbc:UBLVersionID") == ["2.1"]
    assert _text(root, "cbc:CustomizationID") == ["TR1.2"]
    assert _text(root, "cbc:ProfileID") == ["TICARIFATURA"]
    assert _text(root, "cbc:IssueTime") == ["12:30:15"]
    assert "UBL-ApplicationResponse-2.1.xsd" in root.get(ns.qname(ns.XSI, "schemaLocation"))


def test_business_response_references_the_invoice(red) -> None:
    root = to_element(red)
    reference = "cac:DocumentResponse/cac:DocumentReference/"
    assert _text(root, reference + "cbc:ID") == [red.invoice.id]
    assert _text(root, reference + "cbc:DocumentTypeCode") == ["TEVKIFAT"]
    assert _text(root, reference + "cbc:DocumentType") == ["TEVKIFAT"]
    assert _text(root, "cac:DocumentResponse/cac:Response/cbc:Description") == [red.reason]


def test_business_line_response_has_empty_line_id(red) -> None:
    root = to_element(red)
    assert _text(root, "cac:DocumentResponse/cac:LineResponse/cac:LineReference/cbc:LineID") == [""]
    assert _text(root, "cac:DocumentResponse/cac:LineResponse/cac:Response/cbc:ResponseCode") == [
        "RED"
    ]


def test_notes_are_written(red) -> None:
    root = to_element(dataclasses.replace(red, notes=("Bir", "İki")))
    assert _text(root, "cbc:Note") == ["Bir", "İki"]


def test_person_party_is_written_with_names(red, person) -> None:
    root = to_element(dataclasses.replace(red, sender=person))
    assert (
        root.find("cac:SenderParty/cac:PartyIdentification/cbc:ID", ns.NS).get("schemeID") == "TCKN"
    )
    assert _text(root, "cac:SenderParty/cac:Person/cbc:FirstName") == ["Ayşe"]
    assert _text(root, "cac:SenderParty/cac:PartyName/cbc:Name") == []


def test_system_response_is_unsigned_by_default(system) -> None:
    root = to_element(system)
    assert root.find(ns.ext("UBLExtensions")) is None
    assert root.find(ns.cac("Signature")) is None


def test_system_response_structure(system) -> None:
    root = to_element(system)
    assert _text(root, "cbc:ProfileID") == ["UBL-TR-PROFILE-1"]
    assert _text(root, "cac:DocumentResponse/cac:Response/cbc:ResponseCode") == ["S_APR"]
    reference = "cac:DocumentResponse/cac:DocumentReference/"
    assert _text(root, reference + "cbc:ID") == [ENVELOPE_ID]
    assert _text(root, reference + "cbc:DocumentTypeCode") == ["SENDERENVELOPE"]
    assert _text(root, reference + "cbc:DocumentType") == ["SENDERENVELOPE"]
    (line,) = root.iterfind("cac:DocumentResponse/cac:LineResponse", ns.NS)
    assert _text(line, "cac:LineReference/cbc:LineID") == ["0"]
    assert _text(line, "cac:LineReference/cac:DocumentReference/cbc:ID") == [ENVELOPE_ID]
    assert _text(line, "cac:Response/cbc:ResponseCode") == ["1200"]
    assert _text(line, "cac:Response/cbc:Description") == ["ZARF BASARIYLA ISLENDI"]


def test_to_xml_is_parseable_utf8_with_declaration(red) -> None:
    data = to_xml(red)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert parse(data).tag == ns.qname(ns.APR, "ApplicationResponse")


def test_building_is_deterministic(red) -> None:
    assert to_xml(red) == to_xml(red)


# --- rules -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "IADE"}, "KABUL ya da RED"),
        ({"code": "S_APR"}, "KABUL ya da RED"),
        ({"profile_id": "TEMELFATURA"}, "TICARIFATURA ya da IHRACAT"),
        ({"profile_id": "TicariFatura"}, "TICARIFATURA ya da IHRACAT"),
        ({"reason": ""}, "açıklaması"),
        ({"reason": None}, "açıklaması"),
        ({"id": " "}, "cbc:ID"),
        ({"uuid": "GIB2009000000002"}, "cbc:UUID"),
    ],
)
def test_business_rules(red: BusinessResponse, changes: dict[str, object], message: str) -> None:
    response = dataclasses.replace(red, **changes)
    assert any(message in problem for problem in problems(response)), problems(response)
    with pytest.raises(ResponseError, match=message):
        to_xml(response)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "GIB2009000000011"}, "ETTN"),
        ({"issue_date": None}, "düzenlenme tarihi"),
        ({"type_code": "FATURA"}, "tipi geçersiz"),
        ({"type_code": None}, "tipi geçersiz"),
        ({"type_name": " "}, "DocumentType"),
    ],
)
def test_invoice_reference_rules(
    red: BusinessResponse, changes: dict[str, object], message: str
) -> None:
    response = dataclasses.replace(red, invoice=dataclasses.replace(red.invoice, **changes))
    assert any(message in problem for problem in problems(response))


@pytest.mark.parametrize(
    ("party", "message"),
    [
        (ResponseParty("12345"), "VKN (10 hane) ya da TCKN"),
        (ResponseParty("9205121120"), "unvan"),
        (ResponseParty("9205121120", name="  "), "unvan"),
        (ResponseParty("17291716060", first_name="Ayşe"), "ad ve soyad"),
        (ResponseParty("9205121120", name="X", other_ids=(("FOO", "1"),)), "ek kimlik şeması"),
        (ResponseParty("9205121120", name="X", other_ids=(("VKN", "1"),)), "ek kimlik şeması"),
    ],
)
def test_party_rules(red: BusinessResponse, party: ResponseParty, message: str) -> None:
    assert any(message in problem for problem in problems(dataclasses.replace(red, receiver=party)))


def test_gib_test_numbers_are_accepted(red: BusinessResponse) -> None:
    response = dataclasses.replace(
        red, receiver=ResponseParty("9999999999", name="e-Fatura Deneme")
    )
    assert problems(response) == []


def test_line_rules(red: BusinessResponse) -> None:
    line = dataclasses.replace(red.lines[0], reference_id="", description=None)
    found = problems(dataclasses.replace(red, lines=(line,)))
    assert any("ReferenceID" in problem for problem in found)
    assert any("cbc:Description" in problem for problem in found)


def test_gtb_kabul_needs_customs_ids(kabul: BusinessResponse) -> None:
    response = dataclasses.replace(kabul, profile_id="IHRACAT")
    found = problems(response)
    assert any("GTB_GCB_TESCILNO" in problem for problem in found)
    assert any("GTB_FIILI_IHRACAT_TARIHI" in problem for problem in found)


def test_all_problems_are_reported_at_once(red: BusinessResponse) -> None:
    response = dataclasses.replace(red, code="IADE", reason="", uuid="x")
    with pytest.raises(ResponseError) as info:
        to_xml(response)
    assert len(info.value.problems) == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"profile_id": "TICARIFATURA"}, "UBL-TR-PROFILE-1"),
        ({"status": "KABUL"}, "durum kodu"),
        ({"status": None}, "durum kodu"),
        ({"status_description": None}, "açıklaması"),
        ({"reference_id": ""}, "ReferenceID"),
        ({"line_reference_id": " "}, "ReferenceID"),
        ({"signatory": ResponseParty("1")}, "İmzalayan"),
    ],
)
def test_system_rules(system: SystemResponse, changes: dict[str, object], message: str) -> None:
    assert any(message in problem for problem in problems(dataclasses.replace(system, **changes)))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "not-a-uuid"}, "zarfın ID"),
        ({"issue_date": None}, "zarfın tarihi"),
        ({"type_code": "SYSTEMENVELOPE"}, "zarf türü"),
        ({"type_name": None}, "zarf türü"),
    ],
)
def test_system_envelope_rules(
    system: SystemResponse, changes: dict[str, object], message: str
) -> None:
    response = dataclasses.replace(system, envelope=dataclasses.replace(system.envelope, **changes))
    assert any(message in problem for problem in problems(response))


def test_system_response_may_carry_merkez_only_codes(system: SystemResponse) -> None:
    assert problems(dataclasses.replace(system, status="1300")) == []


def test_business_without_lines_writes_none(red: BusinessResponse) -> None:
    root = to_element(dataclasses.replace(red, lines=()))
    assert root.find("cac:DocumentResponse/cac:LineResponse", ns.NS) is None


def test_full_address_is_written(red: BusinessResponse) -> None:
    from entegrator.ubl.responses import Address

    address = Address("Çankaya", "Ankara", "Türkiye", None, "Atatürk Bulvarı", "12/A", "06100")
    root = to_element(
        dataclasses.replace(red, sender=dataclasses.replace(red.sender, address=address))
    )
    written = "cac:SenderParty/cac:PostalAddress/"
    assert _text(root, written + "cbc:BuildingNumber") == ["12/A"]
    assert _text(root, written + "cbc:PostalZone") == ["06100"]
    assert _text(root, written + "cac:Country/cbc:IdentificationCode") == []


def test_issue_time_is_optional(system: SystemResponse) -> None:
    root = to_element(dataclasses.replace(system, issue_time=None))
    assert _text(root, "cbc:IssueTime") == []


def test_system_description_is_optional(system: SystemResponse, gib_findings) -> None:
    response = dataclasses.replace(system, description=None)
    root = to_element(response)
    assert _text(root, "cac:DocumentResponse/cac:Response/cbc:Description") == []
    assert gib_findings(to_xml(response)) == UNSIGNED


def test_line_without_code_is_written_without_code(red: BusinessResponse) -> None:
    line = dataclasses.replace(red.lines[0], code=None)
    root = to_element(dataclasses.replace(red, lines=(line,)))
    assert _text(root, "cac:DocumentResponse/cac:LineResponse/cac:Response/cbc:ResponseCode") == []
