"""The SOAP layer over HTTP: limits before parsing, safe parsing, dispatch on the first Body
child, SOAP 1.1 and 1.2, lenient requests, errors in each family's style (api.soap.endpoint)."""

from __future__ import annotations

import gzip

import httpx
import pytest

from tests.api.soap.support import EDM_PATH, edm, izibiz, login, post
from tests.core.support import SeededTaxpayer


def test_a_body_over_the_limit_is_413_before_parsing(soap_base: str) -> None:
    body = izibiz("GetInvoice", "x", "<PAD>" + "A" * (17 * 1024 * 1024) + "</PAD>")

    reply = post(soap_base + "/EInvoiceWS", body)

    assert reply.status == 413 and reply.error_code == 10010


def test_a_compressed_body_is_415(soap_base: str) -> None:
    body = gzip.compress(izibiz("Logout", "x").encode())

    reply = post(soap_base + "/EInvoiceWS", body, headers={"content-encoding": "gzip"})

    assert reply.status == 415 and reply.is_fault


def test_malformed_xml_is_a_client_fault(soap_base: str) -> None:
    reply = post(soap_base + "/EInvoiceWS", "<soapenv:Envelope><unclosed>")

    assert reply.status == 500 and reply.error_code == 10013


def test_entities_are_never_expanded(soap_base: str) -> None:
    body = ('<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + izibiz("Login", "-1", "<USER_NAME>&x;</USER_NAME><PASSWORD>p</PASSWORD>"))

    reply = post(soap_base + "/AuthenticationWS", body)

    assert reply.error_code == 10013
    assert "root:" not in (reply.text("detail/*/ERROR_LONG_DES") or "")


def test_an_unknown_operation_is_10015(soap_base: str) -> None:
    reply = post(soap_base + "/EInvoiceWS", izibiz("GetEnvelope", "x"))

    assert reply.is_fault and reply.error_code == 10015


def test_a_body_that_is_not_soap_is_refused(soap_base: str) -> None:
    reply = post(soap_base + "/EInvoiceWS", "<Invoice/>")

    assert reply.is_fault and reply.error_code == 10013


def test_izibiz_errors_come_in_error_type_with_http_200(soap_base: str) -> None:
    reply = post(soap_base + "/EInvoiceWS", izibiz("GetInvoiceStatus", "bogus",
                                                 '<INVOICE UUID="x"/>'))

    assert reply.status == 200 and not reply.is_fault and reply.error_code == 10004


def test_izibiz_operations_without_error_type_answer_with_a_fault(soap_base: str) -> None:
    reply = post(soap_base + "/EInvoiceWS", izibiz("GetInvoiceCount", "bogus"))

    assert reply.status == 500 and reply.is_fault and reply.error_code == 10004


def test_edm_errors_are_faults_with_its_session_text(soap_base: str) -> None:
    reply = post(soap_base + EDM_PATH, edm("GetInvoiceStatus", "bogus",
                                          '<INVOICE xmlns="" UUID="x"/>'))

    detail = reply.payload.find("detail")[0]
    assert reply.status == 500 and reply.error_code == 10004
    assert detail.findtext("ERROR_SHORT_DES") == "Aktif session bulunamadı"


def test_client_transaction_id_is_echoed(soap_base: str) -> None:
    reply = post(soap_base + "/EInvoiceWS", izibiz(
        "GetInvoiceStatus", "bogus", '<INVOICE UUID="x"/>',
        header="<CLIENT_TXN_ID>erp-42</CLIENT_TXN_ID>"))

    assert reply.text("ERROR_TYPE/CLIENT_TXN_ID") == "erp-42"
    assert int(reply.text("ERROR_TYPE/INTL_TXN_ID") or "0") > 0


def test_soap_12_is_answered_in_soap_12(soap_base: str, supplier: SeededTaxpayer) -> None:
    body = edm("Login", "0", f'<USER_NAME xmlns="">{supplier.username}</USER_NAME>'
                             f'<PASSWORD xmlns="">{supplier.password}</PASSWORD>', soap12=True)

    reply = post(soap_base + EDM_PATH, body, soap12=True)

    assert reply.status == 200 and reply.content_type.startswith("application/soap+xml")
    assert reply.text("SESSION_ID")


def test_the_soap_action_is_not_trusted(soap_base: str, supplier: SeededTaxpayer) -> None:
    body = izibiz("Login", "-1", f"<USER_NAME>{supplier.username}</USER_NAME>"
                                 f"<PASSWORD>{supplier.password}</PASSWORD>")

    reply = post(soap_base + "/AuthenticationWS", body, action="http://tempuri.org/Logout")

    assert reply.text("SESSION_ID")


@pytest.mark.parametrize("session_id", ["-1", "0", ""])
def test_login_takes_any_placeholder_session(
        soap_base: str, supplier: SeededTaxpayer, session_id: str) -> None:
    body = izibiz("Login", session_id, f"<USER_NAME>{supplier.username}</USER_NAME>"
                                       f"<PASSWORD>{supplier.password}</PASSWORD>")

    reply = post(soap_base + "/EInvoiceWS", body)

    assert reply.text("REQUEST_RETURN/RETURN_CODE") == "0" and reply.text("SESSION_ID")


def test_fields_out_of_order_and_namespaced_are_read(
        soap_base: str, supplier: SeededTaxpayer, customer: SeededTaxpayer) -> None:
    token = login(soap_base, "/EInvoiceWS", supplier.username, supplier.password)
    body = izibiz("GetInvoice", token,
                  '<HEADER_ONLY>Y</HEADER_ONLY><wsdl:INVOICE_SEARCH_KEY>'
                  "<DIRECTION>OUT</DIRECTION><READ_INCLUDED>Y</READ_INCLUDED><LIMIT>5</LIMIT>"
                  "</wsdl:INVOICE_SEARCH_KEY>")

    reply = post(soap_base + "/EInvoiceWS", body)

    assert reply.status == 200 and reply.error_code is None


def test_a_session_works_on_every_endpoint(soap_base: str, supplier: SeededTaxpayer) -> None:
    token = login(soap_base, "/AuthenticationWS", supplier.username, supplier.password)

    einvoice = post(soap_base + "/EInvoiceWS", izibiz("GetInvoiceCount", token))
    edm_reply = post(soap_base + EDM_PATH, edm("CheckUser", token,
                                              '<USER xmlns=""><IDENTIFIER>9205121120'
                                              "</IDENTIFIER></USER>"))

    assert einvoice.text("WS") == "0" and edm_reply.status == 200


def test_logout_ends_the_session_everywhere(soap_base: str, supplier: SeededTaxpayer) -> None:
    token = login(soap_base, "/EInvoiceWS", supplier.username, supplier.password)

    out = post(soap_base + "/AuthenticationWS", izibiz("Logout", token))
    after = post(soap_base + "/EInvoiceWS", izibiz("GetInvoiceStatus", token,
                                                 '<INVOICE UUID="x"/>'))

    assert out.text("REQUEST_RETURN/RETURN_CODE") == "0" and after.error_code == 10004


def test_get_requests_without_wsdl_do_not_reach_operations(soap_base: str) -> None:
    reply = httpx.get(soap_base + "/EInvoiceWS?op=Logout", timeout=10)

    assert reply.status_code == 400


def test_a_compressed_flag_that_is_no_flag_counts_as_not_given(
        soap_base: str, supplier: SeededTaxpayer) -> None:
    token = login(soap_base, "/EInvoiceWS", supplier.username, supplier.password)

    reply = post(soap_base + "/EInvoiceWS", izibiz("GetInvoiceCount", token,
                                                 header="<COMPRESSED>belki</COMPRESSED>"))

    assert reply.status == 200 and reply.text("WS") == "0"
