"""The captured EDM requests (EDM's own test tool, ../shared/reference/edm/examples) replayed
against our EFaturaEDM.svc with the tool's SOAPAction; their identifiers are swapped for ours.
Each answer is checked for its meaning, against our XSD, and against the shape of EDM's
captured answer: the same root, and the elements both carry in the same order."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from lxml import etree

from entegrator.core import documents
from entegrator.core.outbound import submit
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.signing import Seal
from tests.api.soap.support import EDM_PATH, REFERENCE, Reply, post, receive_invoices, schema
from tests.api.soap.world import invoice_xml
from tests.core.support import CUSTOMER, SUPPLIER, SeededTaxpayer

EXAMPLES = REFERENCE / "edm" / "examples"
_SESSION = re.compile(r"<SESSION_ID>[^<]*</SESSION_ID>")


def replay(base: str, name: str, session: str | None = None,
           swaps: dict[str, str] | None = None) -> Reply:
    """POST one captured request (SESSION_ID and ``swaps`` replaced) as EDM's tool does."""
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    if session is not None:
        text = _SESSION.sub(f"<SESSION_ID>{session}</SESSION_ID>", text)
    for old, new in (swaps or {}).items():
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new)
    operation = etree.QName(etree.fromstring(text.encode()).find(".//{*}Body")[0]).localname
    reply = post(base + EDM_PATH, text, action=operation)
    if not reply.is_fault:
        schema("entegrator.api.edm", "edm.xsd").assertValid(reply.payload)
    return reply


def captured(name: str) -> etree._Element:
    """The payload of EDM's captured answer."""
    root = etree.parse(str(EXAMPLES / name)).getroot()
    return root.find(".//{*}Body")[0]


def assert_shaped_like(ours: etree._Element, theirs: etree._Element) -> None:
    """Same root name; the child elements both have come in the same order (recursively
    for the first child of each name)."""
    assert etree.QName(ours).localname == etree.QName(theirs).localname
    mine = [etree.QName(c).localname for c in ours if isinstance(c.tag, str)]
    their = [etree.QName(c).localname for c in theirs if isinstance(c.tag, str)]
    shared = set(mine) & set(their)
    assert [n for n in mine if n in shared] == [n for n in their if n in shared]
    for child in theirs:
        if isinstance(child.tag, str) and len(child):
            match = ours.find(etree.QName(child).localname)
            if match is not None:
                assert_shaped_like(match, child)


def login_swaps(user: SeededTaxpayer) -> dict[str, str]:
    return {">username<": f">{user.username}<", ">password<": f">{user.password}<"}


@pytest.fixture
def buyer_session(soap_base: str, customer: SeededTaxpayer) -> str:
    reply = replay(soap_base, "01_Login_request.xml", swaps=login_swaps(customer))
    return reply.text("SESSION_ID") or ""


@pytest.fixture
def seller_session(soap_base: str, supplier: SeededTaxpayer) -> str:
    reply = replay(soap_base, "01_Login_request.xml", swaps=login_swaps(supplier))
    return reply.text("SESSION_ID") or ""


def test_login_answer_has_the_captured_shape(soap_base: str, customer: SeededTaxpayer) -> None:
    reply = replay(soap_base, "01_Login_request.xml", swaps=login_swaps(customer))

    assert reply.status == 200 and reply.text("SESSION_ID")
    assert_shaped_like(reply.payload, captured("01_Login_response.xml"))


def test_bad_login_is_the_captured_2005_fault(soap_base: str, customer: SeededTaxpayer) -> None:
    reply = replay(soap_base, "01_Login_request.xml",
                   swaps={">username<": f">{customer.username}<", ">password<": ">yanlış<"})

    fault = reply.payload
    detail = fault.find("detail")[0]
    theirs = captured("12_Fault_bad_login.xml")
    assert reply.status == 500 and fault.findtext("faultcode", "").endswith(":Client")
    assert etree.QName(detail).namespace == "http://tempuri.org/"
    assert detail.findtext("ERROR_CODE") == "2005"
    assert detail.findtext("ERROR_SHORT_DES") == theirs.findtext(".//{*}ERROR_SHORT_DES")
    assert_shaped_like(detail, theirs.find(".//{*}RequestFault"))


def test_send_invoice_with_bare_aliases_is_queued_and_echoed(
        soap_base: str, integrator: Integrator, seller_session: str,
        supplier: SeededTaxpayer, customer: SeededTaxpayer) -> None:
    content = base64.b64encode(invoice_xml("01-temel-satis.json")).decode()
    bare_pk = CUSTOMER.pk.removeprefix("urn:mail:")

    reply = replay(soap_base, "03_SendInvoice_request.xml", seller_session, {
        'vkn="1245548126" alias="damla.bas@edmbilisim.com.tr"':
            f'vkn="{CUSTOMER.vkn}" alias="{bare_pk}"',
        "<SENDER>3230512384</SENDER>": f"<SENDER>{SUPPLIER.vkn}</SENDER>",
        "<RECEIVER>1245548126</RECEIVER>": f"<RECEIVER>{CUSTOMER.vkn}</RECEIVER>",
        "urn:mail:defaultgb@yenibirfirmadaha.com.tr ": f"{SUPPLIER.gb} ",
        "<TO>damla.bas@edmbilisim.com.tr</TO>": f"<TO>{bare_pk}</TO>",
        "PEludm9pY...2UgeG1sbn": content,
    })

    (sent,) = documents.list_documents(integrator, supplier.caller).items
    echoed = reply.payload.find("INVOICE")
    assert reply.text("REQUEST_RETURN/RETURN_CODE") == "0"
    assert echoed.get("UUID") == sent.ettn and echoed.get("TRXID") == str(sent.id)
    assert sent.receiver_alias == CUSTOMER.pk and sent.state is DocumentState.QUEUED
    assert_shaped_like(reply.payload, captured("03_SendInvoice_response.xml"))


def test_get_invoice_by_number_and_arrival_time(
        soap_base: str, integrator: Integrator, buyer_session: str,
        supplier_seal: Seal) -> None:
    receive_invoices(integrator, supplier_seal, 2, first_number=44)
    now = dt.datetime.now(dt.timezone(dt.timedelta(hours=3)))

    reply = replay(soap_base, "04_GetInvoice_request.xml", buyer_session, {
        "TUR2018000000045": "ENT2025000000045",
        "2018-10-30T00:00:00+03:00": (now - dt.timedelta(hours=1)).isoformat(),
        "2018-11-02T00:00:00+03:00": (now + dt.timedelta(hours=1)).isoformat(),
    })

    (found,) = reply.payload.findall("INVOICE")
    assert found.get("ID") == "ENT2025000000045" and found.find("CONTENT") is None
    assert found.findtext("HEADER/SENDER") == SUPPLIER.vkn
    assert_shaped_like(reply.payload, captured("04_GetInvoice_response.xml"))


def test_invoice_status_of_a_sent_invoice(
        soap_base: str, integrator: Integrator, seller_session: str,
        supplier: SeededTaxpayer, customer: SeededTaxpayer) -> None:
    sent = submit(integrator, supplier.caller, invoice_xml("01-temel-satis.json"),
                  series="ENT", channel="soap")

    reply = replay(soap_base, "05_GetInvoiceStatus_request.xml", seller_session,
                   {"a268a924-0255-4da6-9b47-94383421cb48": sent.ettn})

    status = reply.payload.find("INVOICE_STATUS")
    assert status.get("UUID") == sent.ettn and status.findtext("DIRECTION") == "Giden"
    assert status.findtext("STATUS") == DocumentState.QUEUED.status
    assert_shaped_like(reply.payload, captured("05_GetInvoiceStatus_response.xml"))


def test_mark_invoice_read_by_number(
        soap_base: str, integrator: Integrator, buyer_session: str, customer: SeededTaxpayer,
        supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1, first_number=2)

    reply = replay(soap_base, "06_MarkInvoice_request.xml", buyer_session,
                   {"HPL2018000000002": "ENT2025000000002"})

    assert reply.text("REQUEST_RETURN/RETURN_CODE") == "0"
    assert documents.find_document(integrator, customer.caller, ettn=ettn).is_read
    assert_shaped_like(reply.payload, captured("06_MarkInvoice_response.xml"))


def test_check_user_answers_the_pk_aliases(
        soap_base: str, seller_session: str, customer: SeededTaxpayer) -> None:
    reply = replay(soap_base, "08_CheckUser_request.xml", seller_session,
                   {"<IDENTIFIER>3230512384</IDENTIFIER>":
                    f"<IDENTIFIER>{CUSTOMER.vkn}</IDENTIFIER>"})

    (user,) = reply.payload.findall("USER")
    assert user.findtext("ALIAS") == CUSTOMER.pk and user.findtext("UNIT") == "PK"
    assert_shaped_like(reply.payload, captured("08_CheckUser_response.xml"))


def test_server_signed_kabul_by_number(
        soap_base: str, integrator: Integrator, buyer_session: str, customer: SeededTaxpayer,
        supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1, first_number=7)

    reply = replay(soap_base, "09_SendInvoiceResponseWithServerSign_request.xml",
                   buyer_session, {"TRM2018002017076": "ENT2025000000007"})

    view = documents.find_document(integrator, customer.caller, ettn=ettn)
    assert view.state is DocumentState.ACCEPT_PROCESSING
    assert_shaped_like(reply.payload,
                       captured("09_SendInvoiceResponseWithServerSign_response.xml"))


def test_cancel_invoice_cancels_a_loaded_draft(
        soap_base: str, integrator: Integrator, seller_session: str,
        supplier: SeededTaxpayer) -> None:
    draft = submit(integrator, supplier.caller, invoice_xml("01-temel-satis.json"),
                   draft=True, channel="soap")

    reply = replay(soap_base, "10_CancelInvoice_request.xml", seller_session,
                   {"9c6a54a3-97ed-480b-af05-b527434f0197": draft.ettn})

    assert reply.text("REQUEST_RETURN/RETURN_CODE") == "0"
    view = documents.get_document(integrator, supplier.caller, draft.document_id)
    assert view.state is DocumentState.CANCELLED
