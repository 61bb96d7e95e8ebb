"""Tests for entegrator.gib.soap: SOAP 1.1/1.2 envelopes and faults, plain and MTOM."""

from __future__ import annotations

import pytest
from lxml import etree

from entegrator.gib.errors import MalformedMessage, UnsupportedMediaType
from entegrator.gib.mtom import Attachment
from entegrator.gib.soap import (
    Fault,
    SoapMessage,
    SoapVersion,
    fault_element,
    read_fault,
    read_message,
    write_message,
)
from entegrator.ubl import ns

LIMIT = 1024 * 1024


def _payload() -> etree._Element:
    element = etree.Element(ns.qname(ns.EFATURA_WS, "getAppRespRequest"))
    etree.SubElement(element, "instanceIdentifier").text = "x"
    return element


def _envelope(version_ns: str, body: str) -> bytes:
    return (f'<s:Envelope xmlns:s="{version_ns}"><s:Header/><s:Body>{body}</s:Body>'
            "</s:Envelope>").encode()


@pytest.mark.parametrize("version", list(SoapVersion))
@pytest.mark.parametrize("mtom", [False, True])
def test_write_then_read_round_trip(version: SoapVersion, mtom: bool) -> None:
    body, content_type = write_message(_payload(), version, mtom=mtom,
                                       action="getApplicationResponse")
    message = read_message(body, content_type, max_bytes=LIMIT)
    assert message.version is version
    assert message.mtom is mtom
    assert message.payload.tag == ns.qname(ns.EFATURA_WS, "getAppRespRequest")
    assert message.payload.findtext("instanceIdentifier") == "x"


def test_write_plain_soap12_content_type_carries_action() -> None:
    _, content_type = write_message(_payload(), SoapVersion.V12, action="sendDocument")
    assert content_type == 'application/soap+xml; charset=utf-8; action="sendDocument"'


def test_write_plain_soap11_content_type_is_text_xml() -> None:
    _, content_type = write_message(_payload(), SoapVersion.V11, action="sendDocument")
    assert content_type == "text/xml; charset=utf-8"


def test_write_refuses_attachments_without_mtom() -> None:
    with pytest.raises(ValueError, match="mtom"):
        write_message(_payload(), SoapVersion.V12, attachments={"a": Attachment(b"x")})


def test_write_mtom_carries_attachment() -> None:
    body, content_type = write_message(_payload(), SoapVersion.V12, mtom=True,
                                       attachments={"z@e": Attachment(b"ZIPBYTES")})
    assert read_message(body, content_type, max_bytes=LIMIT).attachments == {"z@e": b"ZIPBYTES"}


def test_read_version_follows_envelope_namespace_not_content_type() -> None:
    message = read_message(_envelope(ns.SOAP12, "<a/>"), "text/xml", max_bytes=LIMIT)
    assert message.version is SoapVersion.V12


def test_read_soap_action_header_used_for_soap11() -> None:
    message = read_message(_envelope(ns.SOAP11, "<a/>"), "text/xml", soap_action='"sendDocument"',
                           max_bytes=LIMIT)
    assert message.action == "sendDocument"


def test_read_action_from_soap12_content_type() -> None:
    message = read_message(_envelope(ns.SOAP12, "<a/>"),
                           'application/soap+xml; action="getApplicationResponse"',
                           max_bytes=LIMIT)
    assert message.action == "getApplicationResponse"


@pytest.mark.parametrize("content_type", [
    "application/json", "text/plain", "multipart/form-data; boundary=x", "application/xml", None,
])
def test_read_refuses_wrong_content_type(content_type: str | None) -> None:
    with pytest.raises(UnsupportedMediaType):
        read_message(_envelope(ns.SOAP12, "<a/>"), content_type, max_bytes=LIMIT)


@pytest.mark.parametrize(("body", "reason"), [
    (b"not xml at all", "okunamadı"),
    (b"", "okunamadı"),
    (b"<a/>", "SOAP zarfı"),
    (b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x "y">]>' + _envelope(ns.SOAP12, "<a>&x;</a>"),
     "DTD"),
    (b'<!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
     + _envelope(ns.SOAP12, "<a>&b;</a>"), "DTD"),
    (_envelope(ns.SOAP12, ""), "0 öğe"),
    (_envelope(ns.SOAP12, "<a/><b/>"), "2 öğe"),
    (f'<s:Envelope xmlns:s="{ns.SOAP12}"/>'.encode(), "Body"),
    (f'<s:Envelope xmlns:s="{ns.SOAP12}"><s:Body><a/></s:Body><s:Body><a/></s:Body>'
     "</s:Envelope>".encode(), "Body"),
])
def test_read_refuses_malformed_envelopes(body: bytes, reason: str) -> None:
    with pytest.raises(MalformedMessage, match=reason):
        read_message(body, "application/soap+xml", max_bytes=LIMIT)


def test_read_refuses_oversize_xml() -> None:
    body = _envelope(ns.SOAP12, "<a>" + "x" * 5000 + "</a>")
    with pytest.raises(MalformedMessage, match="büyük"):
        read_message(body, "application/soap+xml", max_bytes=1000)


def test_read_ignores_comments_in_body() -> None:
    message = read_message(_envelope(ns.SOAP12, "<!-- c --><a/><!-- d -->"),
                           "application/soap+xml", max_bytes=LIMIT)
    assert message.payload.tag == "a"


@pytest.mark.parametrize("version", list(SoapVersion))
@pytest.mark.parametrize("sender", [True, False])
def test_fault_round_trip(version: SoapVersion, sender: bool) -> None:
    detail = etree.Element("detailThing")
    element = fault_element(version, Fault(reason="hata oluştu", sender=sender, detail=detail))
    body, content_type = write_message(element, version)
    fault = read_fault(read_message(body, content_type, max_bytes=LIMIT))
    assert fault is not None
    assert (fault.reason, fault.sender) == ("hata oluştu", sender)
    assert fault.detail is not None and fault.detail.tag == "detailThing"


def test_soap12_fault_shape() -> None:
    element = fault_element(SoapVersion.V12, Fault(reason="r", sender=True))
    env = ns.SOAP12
    assert element.findtext(f"{{{env}}}Code/{{{env}}}Value") == "soap:Sender"
    text = element.find(f"{{{env}}}Reason/{{{env}}}Text")
    assert text is not None and text.get("{http://www.w3.org/XML/1998/namespace}lang") == "tr"


def test_soap11_fault_shape() -> None:
    element = fault_element(SoapVersion.V11, Fault(reason="r", sender=False))
    assert [child.tag for child in element] == ["faultcode", "faultstring"]
    assert element.findtext("faultcode") == "soap:Server"


def test_read_fault_soap11_dotted_client_code() -> None:
    body = _envelope(ns.SOAP11, "<s:Fault><faultcode>s:Client.Validation</faultcode>"
                                "<faultstring>bad</faultstring></s:Fault>")
    fault = read_fault(read_message(body, "text/xml", max_bytes=LIMIT))
    assert fault is not None and fault.sender and fault.detail is None


def test_read_fault_none_for_normal_payload() -> None:
    message = SoapMessage(SoapVersion.V12, _payload())
    assert read_fault(message) is None
