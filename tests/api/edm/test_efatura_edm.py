"""EFaturaEDM.svc operations through zeep (loading ?singleWsdl over HTTP) and raw envelopes:
user list, sending with per-invoice routing, drafts, reading, sessions, EDM's header fields."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import zeep
from lxml import etree
from zeep.exceptions import Fault
from zeep.helpers import serialize_object

from entegrator.core import documents
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.signing import Seal
from tests.api.soap.support import EDM_PATH, edm, login, post, receive_invoices, unzip_one
from tests.api.soap.world import invoice_xml
from tests.core.inbound.support import invoice_bytes
from tests.core.support import CUSTOMER, SUPPLIER, SeededTaxpayer


@pytest.fixture
def client(soap_base: str) -> zeep.Client:
    return zeep.Client(soap_base + EDM_PATH + "?singleWsdl")


@pytest.fixture
def seller(soap_base: str, supplier: SeededTaxpayer, customer: SeededTaxpayer) -> dict:
    return {"SESSION_ID": login(soap_base, EDM_PATH, supplier.username, supplier.password)}


@pytest.fixture
def buyer(soap_base: str, customer: SeededTaxpayer) -> dict:
    return {"SESSION_ID": login(soap_base, EDM_PATH, customer.username, customer.password)}


def _fault_code(fault: Fault) -> int:
    return int(fault.detail[0].findtext("ERROR_CODE"))


def test_bad_login_raises_a_fault_in_zeep(client: zeep.Client, supplier: SeededTaxpayer) -> None:
    with pytest.raises(Fault) as raised:
        client.service.Login(REQUEST_HEADER={"SESSION_ID": "0"}, USER_NAME=supplier.username,
                             PASSWORD="yanlış")

    assert _fault_code(raised.value) == 2005 and raised.value.message == "Kullanıcı Bulunamadı!"


def test_check_user_by_title(client: zeep.Client, seller: dict) -> None:
    found = client.service.CheckUser(REQUEST_HEADER=seller, USER={"TITLE": "KARADENIZ"})

    assert [(u.IDENTIFIER, u.ALIAS) for u in found] == [(CUSTOMER.vkn, CUSTOMER.pk)]


def test_user_list_items_and_zipped_binary(client: zeep.Client, seller: dict) -> None:
    listed = client.service.GetUserList(REQUEST_HEADER=seller, UNIT="GB")
    binary = client.service.GetUserListBinary(REQUEST_HEADER=seller, TYPE="ZIP")

    _, xml = unzip_one(binary.Item._value_1)
    assert {u.ALIAS for u in listed} == {SUPPLIER.gb, CUSTOMER.gb}
    assert len(etree.fromstring(xml).findall("Items/Items")) == 4


def test_per_invoice_routing_and_series_request(
        client: zeep.Client, integrator: Integrator, supplier: SeededTaxpayer,
        seller: dict) -> None:
    result = client.service.SendInvoice(REQUEST_HEADER=seller, INVOICE=[{
        "TRXID": 0,
        "HEADER": {"TO": CUSTOMER.pk.removeprefix("urn:mail:"),
                   "INVOICESERIAL_REQUESTED": "ENT", "ERP_REFERENCE": "ERP-42",
                   "INTERNETSALES": False, "EARCHIVE": False},
        "CONTENT": {"_value_1": invoice_xml("01-temel-satis.json")}}])

    (echo,) = result.INVOICE
    view = documents.get_document(integrator, supplier.caller, echo.TRXID)
    assert result.REQUEST_RETURN.RETURN_CODE == 0 and view.ettn == echo.UUID
    assert view.client_reference == "ERP-42" and view.receiver_alias == CUSTOMER.pk
    assert DocumentState.QUEUED.status == echo.HEADER.STATUS
    assert dt.date(1, 1, 1) == echo.HEADER.EARCHIVE_REPORT_SENDDATE


def test_a_loaded_draft_is_sent_by_uuid_with_empty_content(
        client: zeep.Client, integrator: Integrator, supplier: SeededTaxpayer,
        seller: dict) -> None:
    loaded = client.service.LoadInvoice(REQUEST_HEADER=seller, INVOICE=[{
        "TRXID": 0, "CONTENT": {"_value_1": invoice_xml("01-temel-satis.json")}}])
    (draft,) = loaded.INVOICE

    sent = client.service.SendInvoice(REQUEST_HEADER=seller,
                                      INVOICE=[{"TRXID": 0, "UUID": draft.UUID}])

    assert draft.HEADER.STATUS == "LOAD - SUCCEED"
    assert DocumentState.QUEUED.status == sent.INVOICE[0].HEADER.STATUS
    view = documents.get_document(integrator, supplier.caller, draft.TRXID)
    assert view.state is DocumentState.QUEUED


def test_a_queued_invoice_cannot_be_cancelled(
        client: zeep.Client, seller: dict) -> None:
    sent = client.service.SendInvoice(REQUEST_HEADER=seller, INVOICE=[{
        "TRXID": 0, "CONTENT": {"_value_1": invoice_xml("01-temel-satis.json")}}])

    with pytest.raises(Fault) as raised:
        client.service.CancelInvoice(REQUEST_HEADER=seller,
                                     INVOICE=[{"TRXID": 0, "UUID": sent.INVOICE[0].UUID}])

    assert _fault_code(raised.value) == 10013


def test_get_invoice_pages_by_arrival_time_and_offset(
        client: zeep.Client, integrator: Integrator, buyer: dict, supplier_seal: Seal) -> None:
    ettns = receive_invoices(integrator, supplier_seal, 3)
    key = {"READ_INCLUDED": True, "DIRECTION": "IN", "LIMIT": 2,
           "CR_START_DATE": dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)}

    first = client.service.GetInvoice(REQUEST_HEADER=buyer, INVOICE_SEARCH_KEY=key,
                                      HEADER_ONLY="Y")
    rest = client.service.GetInvoice(REQUEST_HEADER=buyer,
                                     INVOICE_SEARCH_KEY={**key, "OFFSET": 2}, HEADER_ONLY="Y")
    later = client.service.GetInvoice(
        REQUEST_HEADER=buyer, HEADER_ONLY="Y",
        INVOICE_SEARCH_KEY={**key, "CR_START_DATE": dt.datetime.now(dt.UTC)
                            + dt.timedelta(minutes=5)})

    assert [i.UUID for i in first + rest] == ettns and later == []


def test_get_invoice_as_pdf_or_by_status(
        client: zeep.Client, integrator: Integrator, buyer: dict, supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)

    pdf = client.service.GetInvoice(REQUEST_HEADER=buyer, INVOICE_CONTENT_TYPE="PDF",
                                    INVOICE_SEARCH_KEY={"UUID": ettn, "DIRECTION": "IN"})
    waiting = client.service.GetInvoice(
        REQUEST_HEADER=buyer, HEADER_ONLY="Y", INVOICE_SEARCH_KEY={
            "DIRECTION": "IN", "CONNECTORSTATUSDESCRIPTION": "RECEIVE - SUCCEED"})

    assert pdf[0].CONTENT._value_1.startswith(b"%PDF")
    assert pdf[0].CONTENT.contentType == "application/pdf" and waiting == []


def test_headers_carry_the_fields_dotnet_clients_always_expect(
        soap_base: str, integrator: Integrator, buyer: dict, supplier_seal: Seal) -> None:
    receive_invoices(integrator, supplier_seal, 1)

    reply = post(soap_base + EDM_PATH, edm(
        "GetInvoice", buyer["SESSION_ID"],
        '<INVOICE_SEARCH_KEY xmlns=""><DIRECTION>IN</DIRECTION></INVOICE_SEARCH_KEY>'
        '<HEADER_ONLY xmlns="">Y</HEADER_ONLY>'))

    header = reply.payload.find("INVOICE/HEADER")
    assert header.findtext("INTERNETSALES") == "false" and header.findtext("EARCHIVE") == "false"
    assert header.findtext("EARCHIVE_REPORT_SENDDATE") == "0001-01-01"
    assert header.findtext("MARKED") == "false" and header.findtext("INVOICE_TYPE") == "Satış"


def test_session_info_tells_live_from_dead(client: zeep.Client, seller: dict) -> None:
    live = client.service.GetSessionInfo(REQUEST_HEADER=seller, SESION_ID=seller["SESSION_ID"])
    client.service.Logout(REQUEST_HEADER=seller)
    dead = client.service.GetSessionInfo(REQUEST_HEADER={"SESSION_ID": "0"},
                                         SESION_ID=seller["SESSION_ID"])

    assert live.ISVALID is True and live.EXISTFROM is not None
    assert dead.ISVALID is False


def test_an_expired_session_is_named_as_edm_does(client: zeep.Client) -> None:
    with pytest.raises(Fault) as raised:
        client.service.GetInvoiceStatus(REQUEST_HEADER={"SESSION_ID": "eski"},
                                        INVOICE={"TRXID": 0, "UUID": "x"})

    assert raised.value.message == "Aktif session bulunamadı"


def test_status_answers_in_zeep(
        client: zeep.Client, integrator: Integrator, buyer: dict, supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)

    status = client.service.GetInvoiceStatus(REQUEST_HEADER=buyer,
                                             INVOICE={"TRXID": 0, "UUID": ettn.upper()})

    found = serialize_object(status)
    assert found["STATUS"] == "RECEIVE - WAIT_APPLICATION_RESPONSE"
    assert found["DIRECTION"] == "Gelen" and found["GIB_STATUS_CODE"] == -1


def test_plain_content_of_a_numbered_invoice_keeps_its_number(
        client: zeep.Client, integrator: Integrator, supplier: SeededTaxpayer,
        seller: dict) -> None:
    xml = invoice_bytes(profile="TEMELFATURA", number=31, example="01-temel-satis.json")

    result = client.service.SendInvoice(
        REQUEST_HEADER=seller, INVOICE=[{"TRXID": 0, "CONTENT": {"_value_1": xml}}])

    assert result.INVOICE[0].ID == "ENT2025000000031"
    stored = documents.get_document(integrator, supplier.caller, result.INVOICE[0].TRXID)
    assert base64.b64encode(xml) and stored.number == "ENT2025000000031"
