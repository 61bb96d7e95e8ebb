"""AuthenticationWS: login, CheckUser and the GİB user list (api.izibiz.users)."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io

import pytest
from lxml import etree

from entegrator.core.wiring import Integrator
from tests.api.soap.support import izibiz, login, post, schema, unzip_one
from tests.core.outbound.support import register_gib_user
from tests.core.support import CUSTOMER, SUPPLIER, SeededTaxpayer

AUTH = "/AuthenticationWS"


@pytest.fixture
def token(soap_base: str, supplier: SeededTaxpayer, customer: SeededTaxpayer) -> str:
    return login(soap_base, AUTH, supplier.username, supplier.password)


def _call(base: str, operation: str, token: str, body: str = ""):
    reply = post(base + AUTH, izibiz(operation, token, body))
    schema("entegrator.api.izibiz", "auth.xsd").assertValid(reply.payload)
    return reply


def test_wrong_password_is_10002_in_the_body(soap_base: str, supplier: SeededTaxpayer) -> None:
    reply = _call(soap_base, "Login", "-1",
                  f"<USER_NAME>{supplier.username}</USER_NAME><PASSWORD>x</PASSWORD>")

    assert reply.status == 200 and reply.error_code == 10002
    assert reply.text("SESSION_ID") is None


def test_check_user_lists_every_open_alias(soap_base: str, token: str) -> None:
    reply = _call(soap_base, "CheckUser", token,
                  f"<USER><IDENTIFIER>{CUSTOMER.vkn}</IDENTIFIER></USER>")

    users = reply.payload.findall("USER")
    assert {(u.findtext("UNIT"), u.findtext("ALIAS")) for u in users} == {
        ("GB", CUSTOMER.gb), ("PK", CUSTOMER.pk)}
    assert {u.findtext("DELETED") for u in users} == {"N"}
    assert {u.findtext("DOCUMENT_TYPE") for u in users} == {"INVOICE"}


def test_check_user_by_unit(soap_base: str, token: str) -> None:
    reply = _call(soap_base, "CheckUser", token,
                  f"<USER><IDENTIFIER>{CUSTOMER.vkn}</IDENTIFIER><UNIT>PK</UNIT></USER>"
                  "<DOCUMENT_TYPE>INVOICE</DOCUMENT_TYPE>")

    assert [u.findtext("ALIAS") for u in reply.payload.findall("USER")] == [CUSTOMER.pk]


def test_a_non_user_is_an_empty_answer_not_an_error(soap_base: str, token: str) -> None:
    reply = _call(soap_base, "CheckUser", token,
                  "<USER><IDENTIFIER>1234567890</IDENTIFIER></USER>")

    assert reply.error_code is None and reply.payload.findall("USER") == []


def _list(base: str, token: str, body: str = "") -> tuple[str, bytes]:
    reply = _call(base, "GetGibUserList", token, body)
    return unzip_one(base64.b64decode(reply.text("CONTENT") or ""))


def test_gib_user_list_defaults_to_postboxes(soap_base: str, token: str) -> None:
    _, data = _list(soap_base, token)

    listed = etree.fromstring(data)
    assert {u.findtext("UNIT") for u in listed.iter("USER")} == {"PK"}
    assert {u.findtext("ALIAS") for u in listed.iter("USER")} == {SUPPLIER.pk, CUSTOMER.pk}


def test_gib_user_list_as_csv_with_every_alias(soap_base: str, token: str) -> None:
    name, data = _list(soap_base, token, "<TYPE>CSV</TYPE><ALIAS_TYPE>ALL</ALIAS_TYPE>")

    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert name.endswith(".csv") and len(rows) == 4
    assert {r["UNIT"] for r in rows} == {"GB", "PK"}


def test_gib_user_list_changes_since_include_closed_aliases(
        soap_base: str, integrator: Integrator, token: str) -> None:
    since = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
    register_gib_user(integrator, "1234567890", "Kapanan Ltd.", pk=["urn:mail:a@k.com"],
                      closed_pk=["urn:mail:eski@k.com"])

    _, data = _list(soap_base, token, f"<ALIAS_MODIFY_DATE>{since}</ALIAS_MODIFY_DATE>")

    deleted = {u.findtext("ALIAS"): u.findtext("DELETED")
               for u in etree.fromstring(data).iter("USER")}
    assert deleted["urn:mail:eski@k.com"] == "Y" and deleted["urn:mail:a@k.com"] == "N"


def test_gib_user_list_of_nothing_new_is_empty(soap_base: str, token: str) -> None:
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat()

    _, data = _list(soap_base, token, f"<ALIAS_MODIFY_DATE>{future}</ALIAS_MODIFY_DATE>")

    assert list(etree.fromstring(data).iter("USER")) == []


def test_bad_alias_type_is_10013(soap_base: str, token: str) -> None:
    reply = _call(soap_base, "GetGibUserList", token, "<ALIAS_TYPE>XX</ALIAS_TYPE>")

    assert reply.error_code == 10013
