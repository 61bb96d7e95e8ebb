"""zeep (an independent SOAP stack) reads the WSDL our server serves and calls the service over
real HTTP: the served contract and the wire format agree with a third-party client."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest
import zeep
from zeep.exceptions import Fault

from entegrator.envelope import md5_hex
from entegrator.gib.contract import MERKEZ_PATH
from entegrator.gib.messages import FaultDetail
from entegrator.gib.server import ServerConfig, efatura_app
from entegrator.ubl import ns

if TYPE_CHECKING:
    from conftest import MemoryReceiver, ServeFn

ZIP = b"PK\x03\x04" + bytes(range(256)) * 8


@pytest.fixture
def client(serve: ServeFn, receiver: MemoryReceiver) -> zeep.Client:
    base = serve(efatura_app(ServerConfig(), receiver))
    return zeep.Client(base + MERKEZ_PATH + "?wsdl")


def _fault_detail(fault: Fault) -> FaultDetail | None:
    assert fault.detail is not None
    element = fault.detail.find(f"{{{ns.EFATURA_WS}}}EFaturaFault")
    return FaultDetail.from_element(element)


def test_zeep_sees_both_operations(client: zeep.Client) -> None:
    operations = client.service._binding._operations
    assert sorted(operations) == ["getApplicationResponse", "sendDocument"]


def test_zeep_send_document(client: zeep.Client, receiver: MemoryReceiver,
                            envelope_name: str) -> None:
    result = client.service.sendDocument(
        fileName=envelope_name, hash=md5_hex(ZIP),
        binaryData={"_value_1": ZIP, "contentType": "application/zip"})
    assert result.hash == md5_hex(ZIP)
    assert result.msg.startswith("ALINDI")
    assert receiver.stored == {envelope_name: ZIP}


def test_zeep_get_application_response(client: zeep.Client, receiver: MemoryReceiver,
                                       envelope_name: str) -> None:
    client.service.sendDocument(fileName=envelope_name, binaryData=ZIP, hash=md5_hex(ZIP))
    text = client.service.getApplicationResponse(
        instanceIdentifier=envelope_name.removesuffix(".zip"))
    assert text.encode() == receiver.answer


def test_zeep_receives_efatura_fault_2000(client: zeep.Client, envelope_name: str) -> None:
    with pytest.raises(Fault) as raised:
        client.service.sendDocument(fileName=envelope_name, binaryData=ZIP, hash=md5_hex(b"x"))
    assert raised.value.message == "OZET DEGERLER ESIT DEGIL"
    assert _fault_detail(raised.value) == FaultDetail(2000, "OZET DEGERLER ESIT DEGIL")


def test_zeep_receives_efatura_fault_2001(client: zeep.Client, envelope_name: str) -> None:
    client.service.sendDocument(fileName=envelope_name, binaryData=ZIP, hash=md5_hex(ZIP))
    with pytest.raises(Fault) as raised:
        client.service.sendDocument(fileName=envelope_name, binaryData=ZIP, hash=md5_hex(ZIP))
    detail = _fault_detail(raised.value)
    assert detail is not None and detail.code == 2001


def test_zeep_receives_efatura_fault_2004(client: zeep.Client) -> None:
    with pytest.raises(Fault) as raised:
        client.service.getApplicationResponse(instanceIdentifier=str(uuid.uuid4()))
    detail = _fault_detail(raised.value)
    assert detail is not None and detail.code == 2004
