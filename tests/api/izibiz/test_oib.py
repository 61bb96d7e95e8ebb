"""The legacy EFaturaOIB endpoint: the same operations, errors as SOAP faults (its clients read
``Fault/detail/RequestFault/ERROR_CODE``), 2005 for documents that already exist."""

from __future__ import annotations

from lxml import etree

from tests.api.soap.support import b64, izibiz, login, post
from tests.core.inbound.support import invoice_bytes
from tests.core.support import SeededTaxpayer

PATH = "/EFaturaOIB"


def test_errors_are_faults_with_request_fault_details(soap_base: str) -> None:
    reply = post(soap_base + PATH, izibiz("GetInvoiceStatus", "sahte", '<INVOICE UUID="x"/>'))

    detail = reply.payload.find("detail")[0]
    assert reply.status == 500 and reply.is_fault
    assert etree.QName(detail).localname == "RequestFault"
    assert detail.findtext("ERROR_CODE") == "10004"


def test_an_existing_document_is_2005_naming_uuid_and_id(
        soap_base: str, supplier: SeededTaxpayer, customer: SeededTaxpayer) -> None:
    token = login(soap_base, PATH, supplier.username, supplier.password)
    xml = invoice_bytes(profile="TEMELFATURA", number=12, example="01-temel-satis.json")
    body = f"<INVOICE><CONTENT>{b64(xml)}</CONTENT></INVOICE>"
    first = post(soap_base + PATH, izibiz("SendInvoice", token, body,
                                          header="<COMPRESSED>N</COMPRESSED>"))

    again = post(soap_base + PATH, izibiz("SendInvoice", token, body,
                                          header="<COMPRESSED>N</COMPRESSED>"))

    short = again.payload.find("detail")[0].findtext("ERROR_SHORT_DES") or ""
    fields = dict(p.strip().split(":", 1) for p in short.split(": ", 1)[1].split(","))
    assert first.text("REQUEST_RETURN/RETURN_CODE") == "0"
    assert again.error_code == 2005 and fields["ID"] == "ENT2025000000012"
    assert fields["UUID"] == etree.fromstring(xml).findtext("{*}UUID")


def test_successful_answers_are_plain_responses(
        soap_base: str, supplier: SeededTaxpayer) -> None:
    token = login(soap_base, PATH, supplier.username, supplier.password)

    reply = post(soap_base + PATH, izibiz("GetInvoiceCount", token))

    assert reply.status == 200 and reply.text("WS") == "0"
