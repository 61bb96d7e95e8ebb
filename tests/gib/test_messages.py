"""Tests for entegrator.gib.messages: the EFatura message elements and EFaturaFault."""

from __future__ import annotations

import base64

import pytest
from lxml import etree

from entegrator.gib.errors import MalformedMessage
from entegrator.gib.messages import (
    AppRespRequest,
    AppRespResponse,
    DocumentRequest,
    DocumentResponse,
    FaultDetail,
)
from entegrator.ubl import ns

DATA = b"PK\x03\x04zarf"
XMIME_CT = ns.qname(ns.XMIME, "contentType")


def test_document_request_inline_round_trip() -> None:
    request = DocumentRequest("a.zip", DATA, "abc")
    element, attachments = request.to_element(mtom=False)
    assert attachments == {}
    binary = element.find("binaryData")
    assert binary is not None
    assert base64.b64decode(binary.text or "") == DATA
    assert binary.get(XMIME_CT) == "application/zip"
    assert DocumentRequest.from_element(element, {}) == request


def test_document_request_mtom_round_trip() -> None:
    request = DocumentRequest("a.zip", DATA, "abc")
    element, attachments = request.to_element(mtom=True)
    include = element.find(f"binaryData/{{{ns.XOP}}}Include")
    assert include is not None and include.get("href", "").startswith("cid:")
    assert [a.content for a in attachments.values()] == [DATA]
    parts = {cid: a.content for cid, a in attachments.items()}
    assert DocumentRequest.from_element(element, parts) == request


def test_document_request_children_are_unqualified_in_order() -> None:
    element, _ = DocumentRequest("a.zip", DATA, "abc").to_element(mtom=False)
    assert element.tag == ns.qname(ns.EFATURA_WS, "documentRequest")
    assert [child.tag for child in element] == ["fileName", "binaryData", "hash"]


def test_document_request_accepts_qualified_children() -> None:
    q = ns.EFATURA_WS
    element = etree.fromstring(
        f'<ef:documentRequest xmlns:ef="{q}"><ef:fileName>a.zip</ef:fileName>'
        f"<ef:binaryData>{base64.b64encode(DATA).decode()}</ef:binaryData>"
        "<ef:hash>h</ef:hash></ef:documentRequest>")
    request = DocumentRequest.from_element(element, {})
    assert (request.file_name, request.data, request.hash) == ("a.zip", DATA, "h")


def test_document_request_base64_with_line_breaks() -> None:
    wrapped = base64.encodebytes(DATA * 50).decode()
    element = etree.fromstring(
        f'<ef:documentRequest xmlns:ef="{ns.EFATURA_WS}"><binaryData>{wrapped}</binaryData>'
        "</ef:documentRequest>")
    assert DocumentRequest.from_element(element, {}).data == DATA * 50


def test_document_request_missing_fields_are_none() -> None:
    element = etree.fromstring(f'<ef:documentRequest xmlns:ef="{ns.EFATURA_WS}"/>')
    assert DocumentRequest.from_element(element, {}) == DocumentRequest(None, None, None, None)


@pytest.mark.parametrize(("inner", "reason"), [
    ("<binaryData>!!!</binaryData>", "base64"),
    (f'<binaryData><xop:Include xmlns:xop="{ns.XOP}" href="cid:missing"/></binaryData>',
     "MTOM parçası yok"),
    (f'<binaryData><xop:Include xmlns:xop="{ns.XOP}" href="http://evil/"/></binaryData>', "cid"),
    (f'<binaryData><xop:Include xmlns:xop="{ns.XOP}" href="cid:a"/>'
     f'<xop:Include xmlns:xop="{ns.XOP}" href="cid:a"/></binaryData>', "birden çok"),
    ("<fileName>a</fileName><fileName>b</fileName>", "birden çok"),
])
def test_document_request_refuses_bad_content(inner: str, reason: str) -> None:
    element = etree.fromstring(f'<ef:documentRequest xmlns:ef="{ns.EFATURA_WS}">{inner}'
                               "</ef:documentRequest>")
    with pytest.raises(MalformedMessage, match=reason):
        DocumentRequest.from_element(element, {"a": b"x"})


def test_from_element_refuses_other_element() -> None:
    with pytest.raises(MalformedMessage, match="documentRequest bekleniyordu"):
        DocumentRequest.from_element(etree.Element("documentRequest"), {})


def test_document_response_round_trip() -> None:
    response = DocumentResponse("ALINDI", "abc")
    assert DocumentResponse.from_element(response.to_element()) == response


def test_app_resp_round_trip_keeps_xml_text() -> None:
    xml = "<?xml version='1.0' encoding='UTF-8'?><sh:X xmlns:sh='u'>ş &amp; ğ</sh:X>"
    assert AppRespResponse.from_element(AppRespResponse(xml).to_element()).application_response \
        == xml
    assert AppRespRequest.from_element(AppRespRequest("id").to_element()).instance_identifier \
        == "id"


def test_fault_detail_round_trip() -> None:
    detail = FaultDetail(2001, "ZARF ID SISTEMDE MEVCUT")
    assert FaultDetail.from_element(detail.to_element()) == detail


@pytest.mark.parametrize("xml", [
    "<other/>",
    f'<ef:EFaturaFault xmlns:ef="{ns.EFATURA_WS}"><code>abc</code></ef:EFaturaFault>',
    f'<ef:EFaturaFault xmlns:ef="{ns.EFATURA_WS}"><msg>x</msg></ef:EFaturaFault>',
])
def test_fault_detail_unusable_gives_none(xml: str) -> None:
    assert FaultDetail.from_element(etree.fromstring(xml)) is None


def test_fault_detail_none_element() -> None:
    assert FaultDetail.from_element(None) is None
