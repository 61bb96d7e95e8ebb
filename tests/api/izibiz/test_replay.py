"""The captured requests of a real İzibiz client (Workcube ERP, ../shared/reference/
izibiz-examples) replayed byte for byte — placeholders filled in — against our endpoints, at
the paths and with the SOAPAction that client uses; each answer is checked for its meaning
and against our own XSD."""

from __future__ import annotations

import base64
import datetime as dt
import time

import pytest
from lxml import etree

from entegrator.core import documents
from entegrator.core.sessions import token_claims
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.signing import Seal
from tests.api.soap.support import REFERENCE, Reply, post, receive_invoices, schema, unzip_one
from tests.api.soap.world import invoice_xml
from tests.core.support import CUSTOMER, SUPPLIER, SeededTaxpayer

EXAMPLES = REFERENCE / "izibiz-examples"
PACKAGE = "entegrator.api.izibiz"


def replay(base: str, name: str, **values: str) -> Reply:
    """POST one captured request with its placeholders filled in."""
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    assert "{" not in text.split("Envelope", 1)[1], f"unfilled placeholder in {name}"
    operation = etree.fromstring(text.encode()).find(".//{*}Body")[0]
    action = etree.QName(operation).localname
    path = "/AuthenticationWS" if action in ("LoginRequest", "GetGibUserListRequest") \
        else "/EFaturaOIB"
    reply = post(base + path, text, action=f"http://tempuri.org/{action}")
    if not reply.is_fault:
        xsd = "auth.xsd" if path == "/AuthenticationWS" else "einvoice.xsd"
        schema(PACKAGE, xsd).assertValid(reply.payload)
    return reply


@pytest.fixture
def session(soap_base: str, customer: SeededTaxpayer) -> str:
    """A session of the buyer, opened by the captured Login request."""
    reply = replay(soap_base, "01_Login_request.xml", USER=customer.username,
                   PASSWORD=customer.password)
    token = reply.text("SESSION_ID")
    assert token
    return token


def test_login_answers_a_jwt_session_valid_for_eight_hours(
        soap_base: str, customer: SeededTaxpayer) -> None:
    reply = replay(soap_base, "01_Login_request.xml", USER=customer.username,
                   PASSWORD=customer.password)

    claims = token_claims(reply.text("SESSION_ID") or "")
    assert reply.status == 200 and reply.error_code is None
    assert claims["exp"] - time.time() == pytest.approx(8 * 3600, abs=120)


def test_gib_user_list_is_a_zip_of_the_registered_users(
        soap_base: str, session: str, supplier: SeededTaxpayer) -> None:
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()

    reply = replay(soap_base, "02_GetGibUserList_request.xml", SESSION_ID=session,
                   **{"yyyy-mm-dd": yesterday})

    name, data = unzip_one(base64.b64decode(reply.text("CONTENT") or ""))
    listed = etree.fromstring(data)
    identifiers = {u.findtext("IDENTIFIER") for u in listed.iter("USER")}
    assert name.endswith(".xml") and etree.QName(listed).localname == "GetUserListResponse"
    assert {SUPPLIER.vkn, CUSTOMER.vkn} <= identifiers


def test_send_invoice_plain_content_from_a_series_is_queued(
        soap_base: str, integrator: Integrator, supplier: SeededTaxpayer,
        customer: SeededTaxpayer) -> None:
    token = replay(soap_base, "01_Login_request.xml", USER=supplier.username,
                   PASSWORD=supplier.password).text("SESSION_ID") or ""
    content = base64.b64encode(invoice_xml("01-temel-satis.json")).decode()

    reply = replay(soap_base, "03_SendInvoice_request.xml", SESSION_ID=token,
                   **{"3-char prefix, optional": "ENT", "base64 of UBL-TR XML": content})

    (sent,) = documents.list_documents(integrator, supplier.caller).items
    assert reply.text("REQUEST_RETURN/RETURN_CODE") == "0"
    assert sent.state is DocumentState.QUEUED and sent.channel == "soap"


def test_incoming_invoices_come_with_their_xml_unzipped(
        soap_base: str, integrator: Integrator, session: str, customer: SeededTaxpayer,
        supplier_seal: Seal) -> None:
    ettns = receive_invoices(integrator, supplier_seal, 2)

    reply = replay(soap_base, "04_GetInvoice_request_incoming.xml", SESSION_ID=session,
                   **{"yyyy-mm-dd": "2025-03-14"})

    found = reply.payload.findall("INVOICE")
    assert sorted(i.get("UUID") for i in found) == sorted(ettns)
    for invoice in found:
        stored = documents.document_xml(integrator, customer.caller, int(invoice.get("LIST_ID")))
        assert base64.b64decode(invoice.findtext("CONTENT") or "") == stored
        assert invoice.findtext("HEADER/DIRECTION") == "IN"


def test_outgoing_invoice_by_uuid_comes_header_only(
        soap_base: str, integrator: Integrator, supplier: SeededTaxpayer,
        customer: SeededTaxpayer) -> None:
    token = replay(soap_base, "01_Login_request.xml", USER=supplier.username,
                   PASSWORD=supplier.password).text("SESSION_ID") or ""
    sent = _submit(integrator, supplier)

    reply = replay(soap_base, "05_GetInvoice_request_outgoing_by_uuid.xml",
                   SESSION_ID=token, UUID=sent)

    (invoice,) = reply.payload.findall("INVOICE")
    assert invoice.get("UUID") == sent and invoice.find("CONTENT") is None
    assert invoice.findtext("HEADER/STATUS") == DocumentState.QUEUED.status


def test_invoice_status_names_state_codes_and_gib_code(
        soap_base: str, integrator: Integrator, session: str, supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)

    reply = replay(soap_base, "06_GetInvoiceStatus_request.xml", SESSION_ID=session,
                   UUID=ettn.upper())

    status = reply.payload.find("INVOICE_STATUS")
    assert status is not None and status.get("UUID") == ettn
    assert status.findtext("STATUS") == "RECEIVE - WAIT_APPLICATION_RESPONSE"
    assert status.findtext("STATUS_DESCRIPTION") == "WAIT_APPLICATION_RESPONSE"
    assert status.findtext("STATUS_CODE") == "132"
    assert status.findtext("GIB_STATUS_CODE") == "-1"


def test_invoice_with_type_pdf_is_a_zipped_pdf(
        soap_base: str, integrator: Integrator, supplier: SeededTaxpayer,
        customer: SeededTaxpayer) -> None:
    token = replay(soap_base, "01_Login_request.xml", USER=supplier.username,
                   PASSWORD=supplier.password).text("SESSION_ID") or ""
    sent = _submit(integrator, supplier)

    reply = replay(soap_base, "07_GetInvoiceWithType_request.xml", SESSION_ID=token,
                   UUID=sent)

    (invoice,) = reply.payload.findall("INVOICE")
    name, data = unzip_one(base64.b64decode(invoice.findtext("CONTENT") or ""))
    assert name == f"{sent}.pdf" and data.startswith(b"%PDF")


def test_server_signed_kabul_answers_the_received_invoice(
        soap_base: str, integrator: Integrator, session: str, customer: SeededTaxpayer,
        supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)

    reply = replay(soap_base, "08_SendInvoiceResponseWithServerSign_request.xml",
                   SESSION_ID=session, UUID=ettn)

    view = documents.find_document(integrator, customer.caller, ettn=ettn)
    assert reply.text("REQUEST_RETURN/RETURN_CODE") == "0"
    assert view.state is DocumentState.ACCEPT_PROCESSING and view.response_code == "KABUL"


def test_answering_twice_is_a_2005_fault_on_the_legacy_endpoint(
        soap_base: str, integrator: Integrator, session: str, supplier_seal: Seal) -> None:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)
    replay(soap_base, "08_SendInvoiceResponseWithServerSign_request.xml", SESSION_ID=session,
           UUID=ettn)

    again = replay(soap_base, "08_SendInvoiceResponseWithServerSign_request.xml",
                   SESSION_ID=session, UUID=ettn)

    assert again.status == 500 and again.is_fault and again.error_code == 2005


def _submit(integrator: Integrator, supplier: SeededTaxpayer) -> str:
    from entegrator.core.outbound import submit

    result = submit(integrator, supplier.caller, invoice_xml("01-temel-satis.json"),
                    series="ENT", channel="soap")
    return result.ettn
