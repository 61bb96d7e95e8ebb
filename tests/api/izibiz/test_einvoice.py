"""EInvoiceWS operations: sending, drafts, reading, marking, status, counts, answers, lists."""

from __future__ import annotations

import base64
import csv
import io

import pytest
import zeep
from lxml import etree

from entegrator.core import documents
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.signing import Seal
from tests.api.soap.support import (
    Reply,
    b64,
    izibiz,
    login,
    post,
    receive_invoices,
    schema,
    unzip_one,
    zipped,
)
from tests.api.soap.world import invoice_xml
from tests.core.inbound.support import invoice_bytes
from tests.core.support import CUSTOMER, SUPPLIER, SeededTaxpayer

PATH = "/EInvoiceWS"


def call(base: str, operation: str, token: str, body: str = "", header: str = "") -> Reply:
    reply = post(base + PATH, izibiz(operation, token, body, header=header))
    if not reply.is_fault:
        schema("entegrator.api.izibiz", "einvoice.xsd").assertValid(reply.payload)
    return reply


@pytest.fixture
def seller(soap_base: str, supplier: SeededTaxpayer, customer: SeededTaxpayer) -> str:
    return login(soap_base, PATH, supplier.username, supplier.password)


@pytest.fixture
def buyer(soap_base: str, customer: SeededTaxpayer) -> str:
    return login(soap_base, PATH, customer.username, customer.password)


def _invoice(content: bytes, *, zip_it: bool = True) -> str:
    data = zipped(content) if zip_it else content
    return f"<INVOICE><CONTENT>{b64(data)}</CONTENT></INVOICE>"


# -- sending --------------------------------------------------------------------------------

def test_zeep_sends_a_zipped_invoice_by_default(
        soap_base: str, integrator: Integrator, supplier: SeededTaxpayer, seller: str) -> None:
    client = zeep.Client(soap_base + PATH + "?wsdl")

    result = client.service.SendInvoice(
        REQUEST_HEADER={"SESSION_ID": seller}, SERI_PREFIX="ENT",
        INVOICE=[{"CONTENT": {"_value_1": zipped(invoice_xml("01-temel-satis.json"))}}])

    (sent,) = documents.list_documents(integrator, supplier.caller).items
    assert result.REQUEST_RETURN.RETURN_CODE == 0 and result.ERROR_TYPE is None
    assert sent.state is DocumentState.QUEUED and sent.number is None


def test_an_invoice_with_its_own_number_answers_invoice_id(
        soap_base: str, seller: str) -> None:
    xml = invoice_bytes(profile="TEMELFATURA", number=77, example="01-temel-satis.json")

    reply = call(soap_base, "SendInvoice", seller, _invoice(xml))

    assert reply.text("INVOICE_ID") == "ENT2025000000077"


def test_receiver_alias_without_prefix_is_taken(
        soap_base: str, integrator: Integrator, supplier: SeededTaxpayer, seller: str) -> None:
    bare = CUSTOMER.pk.removeprefix("urn:mail:")

    call(soap_base, "SendInvoice", seller,
         f'<RECEIVER vkn="{CUSTOMER.vkn}" alias="{bare}"/>'
         + _invoice(invoice_xml("01-temel-satis.json")))

    (sent,) = documents.list_documents(integrator, supplier.caller).items
    assert sent.receiver_alias == CUSTOMER.pk


def test_more_than_100_invoices_is_10010(soap_base: str, seller: str) -> None:
    one = _invoice(b"<x/>", zip_it=False)

    reply = call(soap_base, "SendInvoice", seller, one * 101)

    assert reply.error_code == 10010


def test_compressed_content_that_is_no_zip_is_10007(soap_base: str, seller: str) -> None:
    reply = call(soap_base, "SendInvoice", seller,
                 f"<INVOICE><CONTENT>{b64(b'%PDF-1.7 nothing')}</CONTENT></INVOICE>")

    assert reply.error_code == 10007


def test_the_same_invoice_twice_is_10009_naming_it(soap_base: str, seller: str) -> None:
    xml = invoice_bytes(profile="TEMELFATURA", number=5, example="01-temel-satis.json")
    call(soap_base, "SendInvoice", seller, _invoice(xml))

    again = call(soap_base, "SendInvoice", seller, _invoice(xml))

    uuid = etree.fromstring(xml).findtext("{*}UUID")
    assert again.error_code == 10009
    assert f"UUID:{uuid}" in (again.text("ERROR_TYPE/ERROR_SHORT_DES") or "")


def test_an_invoice_failing_gibs_rules_is_10003(soap_base: str, seller: str) -> None:
    xml = invoice_bytes(profile="TEMELFATURA", number=6, example="01-temel-satis.json",
                        edit=lambda b: b.replace(b">TEMELFATURA<", b">YOKFATURA<"))

    reply = call(soap_base, "SendInvoice", seller, _invoice(xml))

    assert reply.error_code == 10003


def test_a_customer_that_is_no_efatura_user_is_10013(
        soap_base: str, seller: str) -> None:
    xml = invoice_xml("01-temel-satis.json").replace(CUSTOMER.vkn.encode(), b"1234567890")

    reply = call(soap_base, "SendInvoice", seller, _invoice(xml))

    assert reply.error_code == 10013 and "kayıtlı" in (reply.text("ERROR_TYPE/ERROR_LONG_DES")
                                                       or "")


def test_nothing_of_a_batch_is_kept_when_one_fails(
        soap_base: str, integrator: Integrator, supplier: SeededTaxpayer, seller: str) -> None:
    good = invoice_xml("01-temel-satis.json")
    bad = good.replace(CUSTOMER.vkn.encode(), b"1234567890")

    reply = call(soap_base, "SendInvoice", seller, _invoice(good) + _invoice(bad))

    assert reply.error_code == 10013
    assert documents.list_documents(integrator, supplier.caller).items == ()


# -- drafts ---------------------------------------------------------------------------------

def test_load_keeps_a_draft_and_reloading_replaces_it(
        soap_base: str, integrator: Integrator, supplier: SeededTaxpayer, seller: str) -> None:
    xml = invoice_bytes(profile="TEMELFATURA", number=8, example="01-temel-satis.json")
    call(soap_base, "LoadInvoice", seller, _invoice(xml))
    changed = xml.replace(b"Barbaros", b"Barbaros Bulvar")

    reply = call(soap_base, "LoadInvoice", seller, _invoice(changed))

    (draft,) = documents.list_documents(integrator, supplier.caller).items
    assert reply.text("REQUEST_RETURN/RETURN_CODE") == "0"
    assert draft.state is DocumentState.DRAFT
    assert b"Barbaros Bulvar" in documents.document_xml(integrator, supplier.caller, draft.id)


def test_drafts_are_listed_with_draft_flag_and_cancelled_by_uuid(
        soap_base: str, integrator: Integrator, supplier: SeededTaxpayer, seller: str) -> None:
    xml = invoice_bytes(profile="TEMELFATURA", number=9, example="01-temel-satis.json")
    call(soap_base, "LoadInvoice", seller, _invoice(xml))
    key = ("<INVOICE_SEARCH_KEY><DIRECTION>OUT</DIRECTION><DRAFT_FLAG>Y</DRAFT_FLAG>"
           "</INVOICE_SEARCH_KEY><HEADER_ONLY>Y</HEADER_ONLY>")
    listed = call(soap_base, "GetInvoice", seller, key).payload.findall("INVOICE")
    plain = call(soap_base, "GetInvoice", seller, key.replace(">Y</DRAFT", ">N</DRAFT"))

    reply = call(soap_base, "CancelDraftInvoice", seller,
                 f"<UUID>{listed[0].get('UUID')}</UUID>")

    assert listed[0].findtext("HEADER/STATUS") == "LOAD - SUCCEED"
    assert plain.payload.findall("INVOICE") == []
    assert reply.text("REQUEST_RETURN/RETURN_CODE") == "0"
    (view,) = documents.list_documents(integrator, supplier.caller).items
    assert view.state is DocumentState.CANCELLED


# -- reading ---------------------------------------------------------------------------------

def _incoming(base: str, token: str, extra: str = "", header: str = "") -> list:
    reply = call(base, "GetInvoice", token,
                 f"<INVOICE_SEARCH_KEY>{extra}</INVOICE_SEARCH_KEY>", header=header)
    assert reply.error_code is None
    return reply.payload.findall("INVOICE")


def test_polling_walks_forward_as_invoices_are_marked_read(
        soap_base: str, integrator: Integrator, buyer: str, supplier_seal: Seal) -> None:
    ettns = receive_invoices(integrator, supplier_seal, 3)
    first = _incoming(soap_base, buyer, "<LIMIT>2</LIMIT>")
    marks = "".join(f'<INVOICE UUID="{i.get("UUID")}"/>' for i in first)
    call(soap_base, "MarkInvoice", buyer, f'<MARK value="READ">{marks}</MARK>')

    second = _incoming(soap_base, buyer, "<LIMIT>2</LIMIT>")
    everything = _incoming(soap_base, buyer, "<READ_INCLUDED>true</READ_INCLUDED>")

    assert [i.get("UUID") for i in first + second] == ettns
    assert len(everything) == 3


def test_unread_puts_an_invoice_back_into_polling(
        soap_base: str, integrator: Integrator, buyer: str, supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)
    call(soap_base, "MarkInvoice", buyer, f'<MARK value="READ"><INVOICE UUID="{ettn}"/></MARK>')

    call(soap_base, "MarkInvoice", buyer,
         f'<MARK value="UNREAD"><INVOICE UUID="{ettn}"/></MARK>')

    assert [i.get("UUID") for i in _incoming(soap_base, buyer)] == [ettn]


def test_content_is_a_zip_of_the_invoice_unless_compressed_is_n(
        soap_base: str, integrator: Integrator, buyer: str, customer: SeededTaxpayer,
        supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)
    stored = documents.find_document(integrator, customer.caller, ettn=ettn)
    xml = documents.document_xml(integrator, customer.caller, stored.id)

    (zipped_one,) = _incoming(soap_base, buyer)
    (plain,) = _incoming(soap_base, buyer, header="<COMPRESSED>N</COMPRESSED>")

    assert unzip_one(base64.b64decode(zipped_one.findtext("CONTENT"))) == (f"{ettn}.xml", xml)
    assert base64.b64decode(plain.findtext("CONTENT")) == xml


def test_invoice_with_type_html_is_zipped_even_when_not_compressed(
        soap_base: str, integrator: Integrator, buyer: str, supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)

    reply = call(soap_base, "GetInvoiceWithType", buyer,
                 f"<INVOICE_SEARCH_KEY><UUID>{ettn}</UUID><TYPE>HTML</TYPE>"
                 "<READ_INCLUDED>true</READ_INCLUDED></INVOICE_SEARCH_KEY>",
                 header="<COMPRESSED>N</COMPRESSED>")

    name, html = unzip_one(base64.b64decode(reply.payload.findtext("INVOICE/CONTENT")))
    assert name == f"{ettn}.html" and b"<html" in html.lower()


def test_status_of_several_invoices_skips_unknown_ones(
        soap_base: str, integrator: Integrator, buyer: str, supplier_seal: Seal) -> None:
    ettns = receive_invoices(integrator, supplier_seal, 2)
    asked = "".join(f"<UUID>{u}</UUID>" for u in [*ettns, "0f8fad5b-d9cb-469f-a165-70867728950e"])

    reply = call(soap_base, "GetInvoiceStatusAll", buyer, asked)

    statuses = reply.payload.findall("INVOICE_STATUS")
    assert [s.get("UUID") for s in statuses] == ettns
    assert {s.findtext("HEADER/STATUS") for s in statuses} == {
        "RECEIVE - WAIT_APPLICATION_RESPONSE"}


def test_status_of_an_unknown_invoice_is_10008(soap_base: str, buyer: str) -> None:
    reply = call(soap_base, "GetInvoiceStatus", buyer,
                 '<INVOICE ID="ENT2025000000999"/>')

    assert reply.error_code == 10008


def test_counts_split_portal_and_web_services(
        soap_base: str, integrator: Integrator, seller: str) -> None:
    call(soap_base, "SendInvoice", seller, _invoice(invoice_xml("01-temel-satis.json")))

    reply = call(soap_base, "GetInvoiceCount", seller, "<DIRECTION>OUT</DIRECTION>")

    assert (reply.text("PORTAL"), reply.text("WS")) == ("0", "1")


# -- answers ---------------------------------------------------------------------------------

def test_a_reject_without_reason_gets_a_standard_one(
        soap_base: str, integrator: Integrator, buyer: str, customer: SeededTaxpayer,
        supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)

    reply = call(soap_base, "SendInvoiceResponseWithServerSign", buyer,
                 f'<STATUS>RED</STATUS><INVOICE UUID="{ettn}"/>')

    view = documents.find_document(integrator, customer.caller, ettn=ettn)
    assert reply.text("REQUEST_RETURN/RETURN_CODE") == "0"
    assert view.state is DocumentState.REJECT_PROCESSING and view.response_description


def test_a_basic_invoice_cannot_be_answered(
        soap_base: str, integrator: Integrator, buyer: str, supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1, profile="TEMELFATURA")

    reply = call(soap_base, "SendInvoiceResponseWithServerSign", buyer,
                 f'<STATUS>KABUL</STATUS><INVOICE UUID="{ettn}"/>')

    assert reply.error_code == 10013


def test_answering_twice_is_10011(
        soap_base: str, integrator: Integrator, buyer: str, supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)
    body = f'<STATUS>KABUL</STATUS><INVOICE UUID="{ettn}"/>'
    call(soap_base, "SendInvoiceResponseWithServerSign", buyer, body)

    reply = call(soap_base, "SendInvoiceResponseWithServerSign", buyer, body)

    assert reply.error_code == 10011


def test_a_status_other_than_kabul_or_red_is_10013(soap_base: str, buyer: str) -> None:
    reply = call(soap_base, "SendInvoiceResponseWithServerSign", buyer,
                 '<STATUS>BELKI</STATUS><INVOICE UUID="x"/>')

    assert reply.error_code == 10013


# -- user list ------------------------------------------------------------------------------

def test_user_list_in_the_body(soap_base: str, seller: str) -> None:
    reply = call(soap_base, "GetUserList", seller)

    assert {u.findtext("IDENTIFIER") for u in reply.payload.findall("USER")} == {
        SUPPLIER.vkn, CUSTOMER.vkn}


def test_user_list_binary_as_zipped_csv(soap_base: str, seller: str) -> None:
    reply = call(soap_base, "GetUserListBinary", seller, "<TYPE>CSV</TYPE>")

    _, data = unzip_one(base64.b64decode(reply.text("CONTENT") or ""))
    rows = list(csv.DictReader(io.StringIO(data.decode())))
    assert {r["ALIAS"] for r in rows} >= {SUPPLIER.pk, CUSTOMER.pk}
