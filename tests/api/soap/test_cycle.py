"""The whole ERP cycle through two integrators and the GİB simulator, in both dialects, with
zeep clients built from the WSDLs the integrators serve over HTTP.

Seller's ERP at integrator A: login → CheckUser → SendInvoice (one zipped, one plain) →
GetInvoiceStatus until GİB has delivered. Buyer's ERP at integrator B: GetInvoice (unread) →
MarkInvoice READ → nothing unread any more → SendInvoiceResponseWithServerSign KABUL for one,
RED for the other. The seller then sees both answers; both log out.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zeep
from zeep.exceptions import Fault

from entegrator.store import StoreConfig
from tests.api.soap.world import World, invoice_xml, start_world, wait_until
from tests.core.support import CUSTOMER, CorePki

pytestmark = pytest.mark.slow

#: Where an invoice counts as delivered: GİB's 1300, or the receiver's 1200 overtaking it.
DELIVERED = {"SEND - WAIT_APPLICATION_RESPONSE", "ACCEPTED - SUCCEED", "REJECTED - SUCCEED"}
WAIT = 120.0


@pytest.fixture
def world(db_config: StoreConfig, tmp_path: Path, core_pki: CorePki) -> Iterator[World]:
    """Integrator A on the test database (SQLite, PostgreSQL), B on SQLite, the simulator."""
    started = start_world(tmp_path, core_pki, a_db=db_config,
                          b_db=StoreConfig(url=f"sqlite:///{tmp_path / 'b.db'}"))
    yield started
    started.stop()


def _zip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("fatura.xml", data)
    return buffer.getvalue()


def _unzip(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(archive.infolist()[0])


def _invoices() -> list[tuple[str, bytes]]:
    made = []
    for _ in range(2):
        ettn = str(uuid.uuid4())
        made.append((ettn, invoice_xml("32-ticari-satis.json", ettn=ettn)))
    return made


def test_izibiz_cycle(world: World) -> None:
    auth_a = zeep.Client(world.a.url + "/AuthenticationWS?wsdl")
    ws_a = zeep.Client(world.a.url + "/EInvoiceWS?wsdl")
    ws_b = zeep.Client(world.b.url + "/EInvoiceWS?wsdl")
    seller, buyer = world.a.taxpayer, world.b.taxpayer
    a = {"SESSION_ID": auth_a.service.Login(REQUEST_HEADER={"SESSION_ID": "-1"},
                                            USER_NAME=seller.username,
                                            PASSWORD=seller.password).SESSION_ID}
    b = {"SESSION_ID": ws_b.service.Login(REQUEST_HEADER={"SESSION_ID": "-1"},
                                          USER_NAME=buyer.username,
                                          PASSWORD=buyer.password).SESSION_ID}

    users = auth_a.service.CheckUser(REQUEST_HEADER=a, USER={"IDENTIFIER": CUSTOMER.vkn}).USER
    assert CUSTOMER.pk in {u.ALIAS for u in users}

    (zipped_id, zipped_xml), (plain_id, plain_xml) = _invoices()
    sent = [ws_a.service.SendInvoice(REQUEST_HEADER=a, SERI_PREFIX="ANA",
                                     INVOICE=[{"CONTENT": {"_value_1": _zip(zipped_xml)}}]),
            ws_a.service.SendInvoice(REQUEST_HEADER={**a, "COMPRESSED": "N"},
                                     SERI_PREFIX="ANA",
                                     INVOICE=[{"CONTENT": {"_value_1": plain_xml}}])]
    assert [s.REQUEST_RETURN.RETURN_CODE for s in sent] == [0, 0]

    def status(ettn: str) -> Any:
        return ws_a.service.GetInvoiceStatus(REQUEST_HEADER=a,
                                             INVOICE={"UUID": ettn}).INVOICE_STATUS

    for ettn in (zipped_id, plain_id):
        done = wait_until(lambda e=ettn: (s := status(e)).STATUS in DELIVERED and s,
                          timeout=WAIT, what=f"{ettn} GİB'den geçsin")
        assert done.GIB_STATUS_CODE in (1200, 1300) and done.ID.startswith("ANA")

    key = {"DIRECTION": "IN", "LIMIT": 10}
    incoming = wait_until(lambda: len(got := ws_b.service.GetInvoice(
        REQUEST_HEADER=b, INVOICE_SEARCH_KEY=key, HEADER_ONLY="N").INVOICE) == 2 and got,
        timeout=WAIT, what="alıcıya ulaşsın")
    assert {i.UUID for i in incoming} == {zipped_id, plain_id}
    assert all(b"<cbc:UUID>" + i.UUID.encode() in _unzip(i.CONTENT._value_1)
               for i in incoming)
    ws_b.service.MarkInvoice(REQUEST_HEADER=b, MARK={
        "value": "READ", "INVOICE": [{"UUID": i.UUID} for i in incoming]})
    assert ws_b.service.GetInvoice(REQUEST_HEADER=b, INVOICE_SEARCH_KEY=key).INVOICE == []

    for ettn, answer in ((zipped_id, "KABUL"), (plain_id, "RED")):
        reply = ws_b.service.SendInvoiceResponseWithServerSign(
            REQUEST_HEADER=b, STATUS=answer, INVOICE=[{"UUID": ettn}],
            DESCRIPTION=["Fiyat hatalı"] if answer == "RED" else [])
        assert reply.REQUEST_RETURN.RETURN_CODE == 0

    for ettn, code, final in ((zipped_id, "ACCEPTED", "ACCEPTED - SUCCEED"),
                              (plain_id, "REJECTED", "REJECTED - SUCCEED")):
        seen = wait_until(lambda e=ettn, f=final: f == (s := status(e)).STATUS and s,
                          timeout=WAIT, what=f"{ettn} yanıtı satıcıya ulaşsın")
        assert code == seen.RESPONSE_CODE and code == seen.HEADER.RESPONSE_CODE

    for client, session in ((ws_a, a), (ws_b, b)):
        assert client.service.Logout(REQUEST_HEADER=session).REQUEST_RETURN.RETURN_CODE == 0
    after = ws_a.service.GetInvoiceStatus(REQUEST_HEADER=a, INVOICE={"UUID": zipped_id})
    assert after.ERROR_TYPE.ERROR_CODE == 10004


def test_edm_cycle(world: World) -> None:
    path = "/EFaturaEDM/EFaturaEDM.svc"
    edm_a = zeep.Client(world.a.url + path + "?singleWsdl")
    edm_b = zeep.Client(world.b.url + path + "?wsdl")
    seller, buyer = world.a.taxpayer, world.b.taxpayer
    a = {"SESSION_ID": edm_a.service.Login(REQUEST_HEADER={"SESSION_ID": "0"},
                                           USER_NAME=seller.username,
                                           PASSWORD=seller.password).SESSION_ID}
    b = {"SESSION_ID": edm_b.service.Login(REQUEST_HEADER={"SESSION_ID": "0"},
                                           USER_NAME=buyer.username,
                                           PASSWORD=buyer.password).SESSION_ID}

    users = edm_a.service.CheckUser(REQUEST_HEADER=a, USER={"IDENTIFIER": CUSTOMER.vkn})
    assert [u.ALIAS for u in users] == [CUSTOMER.pk]

    (zipped_id, zipped_xml), (plain_id, plain_xml) = _invoices()
    bare = CUSTOMER.pk.removeprefix("urn:mail:")
    sent = edm_a.service.SendInvoice(
        REQUEST_HEADER={**a, "COMPRESSED": "N"}, RECEIVER={"vkn": CUSTOMER.vkn, "alias": bare},
        INVOICE=[{"TRXID": 0, "HEADER": {"INVOICESERIAL_REQUESTED": "ANA"},
                  "CONTENT": {"_value_1": plain_xml}}])
    zipped = edm_a.service.SendInvoice(
        REQUEST_HEADER={**a, "COMPRESSED": "Y"},
        INVOICE=[{"TRXID": 0, "HEADER": {"TO": CUSTOMER.pk, "INVOICESERIAL_REQUESTED": "ANA"},
                  "CONTENT": {"_value_1": _zip(zipped_xml)}}])
    assert [plain_id, zipped_id] == [sent.INVOICE[0].UUID, zipped.INVOICE[0].UUID]

    def status(ettn: str) -> Any:
        return edm_a.service.GetInvoiceStatus(REQUEST_HEADER=a,
                                              INVOICE={"TRXID": 0, "UUID": ettn})

    for ettn in (zipped_id, plain_id):
        done = wait_until(lambda e=ettn: (s := status(e)).STATUS in DELIVERED and s,
                          timeout=WAIT, what=f"{ettn} GİB'den geçsin")
        assert done.GIB_STATUS_CODE in (1200, 1300) and done.DIRECTION == "Giden"

    key = {"DIRECTION": "IN", "READ_INCLUDED": False}
    incoming = wait_until(lambda: len(got := edm_b.service.GetInvoice(
        REQUEST_HEADER=b, INVOICE_SEARCH_KEY=key, INVOICE_CONTENT_TYPE="XML")) == 2 and got,
        timeout=WAIT, what="alıcıya ulaşsın")
    assert all(b"<cbc:UUID>" + i.UUID.encode() in i.CONTENT._value_1 for i in incoming)
    edm_b.service.MarkInvoice(REQUEST_HEADER=b, MARK={
        "value": "READ", "INVOICE": [{"TRXID": 0, "ID": i.ID} for i in incoming]})
    assert edm_b.service.GetInvoice(REQUEST_HEADER=b, INVOICE_SEARCH_KEY=key) == []

    edm_b.service.SendInvoiceResponseWithServerSign(
        REQUEST_HEADER=b, STATUS="KABUL", INVOICE=[{"TRXID": 0, "UUID": zipped_id}])
    edm_b.service.SendInvoiceResponseWithServerSign(
        REQUEST_HEADER=b, STATUS="RED", INVOICE=[{"TRXID": 0, "UUID": plain_id}],
        DESCRIPTION=["Eksik teslimat"])

    for ettn, code, final in ((zipped_id, "ACCEPT", "ACCEPTED - SUCCEED"),
                              (plain_id, "REJECT", "REJECTED - SUCCEED")):
        seen = wait_until(lambda e=ettn, f=final: f == (s := status(e)).STATUS and s,
                          timeout=WAIT, what=f"{ettn} yanıtı satıcıya ulaşsın")
        assert code == seen.RESPONSE_CODE

    edm_a.service.Logout(REQUEST_HEADER=a)
    edm_b.service.Logout(REQUEST_HEADER=b)
    with pytest.raises(Fault, match="Aktif session bulunamadı"):
        status(zipped_id)
