"""Tests for entegrator.gib.dispatch: every EFaturaFault path, and nothing reaches the port
unless the request is well-formed, correctly named and hashed."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

from entegrator.envelope import md5_hex
from entegrator.errors import NotFound, TransportError
from entegrator.gib.dispatch import EFaturaService
from entegrator.gib.errors import (
    AlreadyReceived,
    ArchiveFailure,
    QueueFailure,
    Suspended,
    SystemFault,
    UnknownEnvelope,
)
from entegrator.gib.messages import (
    AppRespRequest,
    AppRespResponse,
    DocumentRequest,
    DocumentResponse,
    FaultDetail,
)
from entegrator.gib.ports import Caller
from entegrator.gib.soap import SoapVersion, read_fault, read_message, write_message
from entegrator.gib.transport import Reply
from entegrator.ubl import ns

if TYPE_CHECKING:
    from conftest import MemoryReceiver

CALLER = Caller("127.0.0.1")
ZIP = b"PK\x03\x04" + b"z" * 300


def _service(receiver: MemoryReceiver) -> EFaturaService:
    return EFaturaService(receiver, max_xml_bytes=1024 * 1024)


def _send(receiver: MemoryReceiver, request: DocumentRequest, *,
          version: SoapVersion = SoapVersion.V12, mtom: bool = True) -> Reply:
    payload, attachments = request.to_element(mtom=mtom)
    body, content_type = write_message(payload, version, mtom=mtom, attachments=attachments)
    return _service(receiver).handle(body, content_type, soap_action=None, caller=CALLER).reply


def _query(receiver: MemoryReceiver, instance_id: str | None) -> Reply:
    body, content_type = write_message(AppRespRequest(instance_id).to_element(), SoapVersion.V12)
    return _service(receiver).handle(body, content_type, soap_action=None, caller=CALLER).reply


def _fault_code(reply: Reply) -> int | None:
    message = read_message(reply.body, reply.content_type, max_bytes=1024 * 1024)
    fault = read_fault(message)
    assert fault is not None, reply.body
    detail = FaultDetail.from_element(fault.detail)
    return None if detail is None else detail.code


def test_send_document_stores_and_answers_hash(receiver: MemoryReceiver,
                                               envelope_name: str) -> None:
    reply = _send(receiver, DocumentRequest(envelope_name, ZIP, md5_hex(ZIP)))
    assert reply.status == 200
    message = read_message(reply.body, reply.content_type, max_bytes=1 << 20)
    answer = DocumentResponse.from_element(message.payload)
    assert answer.hash == md5_hex(ZIP)
    assert answer.msg == f"ALINDI {envelope_name} {md5_hex(ZIP)}"
    assert receiver.stored == {envelope_name: ZIP}


def test_mtom_request_gets_mtom_answer(receiver: MemoryReceiver, envelope_name: str) -> None:
    reply = _send(receiver, DocumentRequest(envelope_name, ZIP, md5_hex(ZIP)), mtom=True)
    assert reply.content_type is not None and reply.content_type.startswith("multipart/related")


def test_plain_soap11_request_gets_soap11_answer(receiver: MemoryReceiver,
                                                 envelope_name: str) -> None:
    reply = _send(receiver, DocumentRequest(envelope_name, ZIP, md5_hex(ZIP)),
                  version=SoapVersion.V11, mtom=False)
    message = read_message(reply.body, reply.content_type, max_bytes=1 << 20)
    assert reply.content_type is not None and reply.content_type.startswith("text/xml")
    assert message.version is SoapVersion.V11


def test_upper_case_hash_is_answered_in_upper_case(receiver: MemoryReceiver,
                                                   envelope_name: str) -> None:
    reply = _send(receiver, DocumentRequest(envelope_name, ZIP, md5_hex(ZIP).upper()))
    message = read_message(reply.body, reply.content_type, max_bytes=1 << 20)
    assert DocumentResponse.from_element(message.payload).hash == md5_hex(ZIP).upper()


@pytest.mark.parametrize("file_name", [None, "", "zarf.zip", f"{uuid.uuid4()}.xml",
                                       f"{uuid.uuid4()}"])
def test_bad_file_name_is_2006_and_port_not_called(receiver: MemoryReceiver,
                                                   file_name: str | None) -> None:
    reply = _send(receiver, DocumentRequest(file_name, ZIP, md5_hex(ZIP)))
    assert (reply.status, _fault_code(reply)) == (500, 2006)
    assert receiver.calls == []


@pytest.mark.parametrize("sent_hash", [None, "", md5_hex(b"other"), "not-a-hash"])
def test_wrong_hash_is_2000_and_port_not_called(receiver: MemoryReceiver, envelope_name: str,
                                                sent_hash: str | None) -> None:
    reply = _send(receiver, DocumentRequest(envelope_name, ZIP, sent_hash))
    assert (reply.status, _fault_code(reply)) == (500, 2000)
    assert receiver.calls == []


def test_missing_binary_data_is_sender_fault_and_port_not_called(
        receiver: MemoryReceiver, envelope_name: str) -> None:
    reply = _send(receiver, DocumentRequest(envelope_name, None, md5_hex(b"")))
    assert _fault_code(reply) is None
    assert b"binaryData" in reply.body
    assert receiver.calls == []


def test_duplicate_is_2001(receiver: MemoryReceiver, envelope_name: str) -> None:
    _send(receiver, DocumentRequest(envelope_name, ZIP, md5_hex(ZIP)))
    reply = _send(receiver, DocumentRequest(envelope_name, ZIP, md5_hex(ZIP)))
    assert _fault_code(reply) == 2001


@pytest.mark.parametrize(("error", "code"), [
    (AlreadyReceived(), 2001), (ArchiveFailure(), 2002), (QueueFailure(), 2003),
    (Suspended(), 2007), (SystemFault(), 2005), (RuntimeError("disk dolu"), 2005),
    (TransportError("kuyruk yok"), 2005),
])
def test_port_errors_map_to_fault_codes(receiver: MemoryReceiver, envelope_name: str,
                                        error: Exception, code: int) -> None:
    receiver.fail_with = error
    reply = _send(receiver, DocumentRequest(envelope_name, ZIP, md5_hex(ZIP)))
    assert (reply.status, _fault_code(reply)) == (500, code)
    assert b"disk dolu" not in reply.body


def test_application_response_returns_system_envelope_text(receiver: MemoryReceiver,
                                                            envelope_name: str) -> None:
    _send(receiver, DocumentRequest(envelope_name, ZIP, md5_hex(ZIP)))
    reply = _query(receiver, envelope_name.removesuffix(".zip"))
    message = read_message(reply.body, reply.content_type, max_bytes=1 << 20)
    text = AppRespResponse.from_element(message.payload).application_response
    assert text is not None and text.encode() == receiver.answer


def test_unknown_envelope_is_2004(receiver: MemoryReceiver) -> None:
    assert _fault_code(_query(receiver, str(uuid.uuid4()))) == 2004


@pytest.mark.parametrize("instance_id", [None, "", "../../etc/passwd", "1234"])
def test_non_uuid_instance_id_is_2004_and_port_not_called(receiver: MemoryReceiver,
                                                          instance_id: str | None) -> None:
    assert _fault_code(_query(receiver, instance_id)) == 2004
    assert receiver.calls == []


def test_port_not_found_is_2004(receiver: MemoryReceiver) -> None:
    receiver.fail_with = NotFound("yok")
    assert _fault_code(_query(receiver, str(uuid.uuid4()))) == 2004


@pytest.mark.parametrize(("error", "code"), [(UnknownEnvelope(), 2004), (Suspended(), 2007),
                                             (ValueError("x"), 2005)])
def test_application_response_port_errors(receiver: MemoryReceiver, error: Exception,
                                          code: int) -> None:
    receiver.fail_with = error
    assert _fault_code(_query(receiver, str(uuid.uuid4()))) == code


def test_application_response_not_utf8_is_2005(receiver: MemoryReceiver,
                                               envelope_name: str) -> None:
    _send(receiver, DocumentRequest(envelope_name, ZIP, md5_hex(ZIP)))
    receiver.answer = "<a>ş</a>".encode("iso-8859-9")
    assert _fault_code(_query(receiver, envelope_name.removesuffix(".zip"))) == 2005


def test_fault_codes_blame_sender_or_receiver(receiver: MemoryReceiver,
                                              envelope_name: str) -> None:
    receiver.fail_with = QueueFailure()
    reply = _send(receiver, DocumentRequest(envelope_name, ZIP, md5_hex(ZIP)))
    fault = read_fault(read_message(reply.body, reply.content_type, max_bytes=1 << 20))
    assert fault is not None and not fault.sender
    reply = _send(receiver, DocumentRequest("x.zip", ZIP, md5_hex(ZIP)))
    fault = read_fault(read_message(reply.body, reply.content_type, max_bytes=1 << 20))
    assert fault is not None and fault.sender and fault.reason == "GECERSIZ ZARF ADI"


@pytest.mark.parametrize(("body", "content_type", "status"), [
    (b"hello", "text/plain", 415),
    (b"{}", "application/json", 415),
    (b"", None, 415),
    (b"not xml", "application/soap+xml", 500),
    (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "text/xml", 500),
    (f'<s:Envelope xmlns:s="{ns.SOAP12}"><s:Body><other/></s:Body></s:Envelope>'.encode(),
     "application/soap+xml", 500),
    (b"--b\r\nContent-Type: text/xml\r\n\r\n<x/>", 'multipart/related; boundary="b"', 500),
])
def test_malformed_input_is_fault_and_port_not_called(receiver: MemoryReceiver, body: bytes,
                                                      content_type: str | None,
                                                      status: int) -> None:
    handled = _service(receiver).handle(body, content_type, soap_action=None, caller=CALLER)
    assert handled.reply.status == status
    assert _fault_code(handled.reply) is None
    assert receiver.calls == []


def test_soap11_malformed_input_gets_soap11_fault(receiver: MemoryReceiver) -> None:
    handled = _service(receiver).handle(b"<broken", "text/xml", soap_action=None, caller=CALLER)
    assert handled.reply.content_type is not None
    assert handled.reply.content_type.startswith("text/xml")
    assert ns.SOAP11.encode() in handled.reply.body


def test_handled_names_method_and_subject(receiver: MemoryReceiver, envelope_name: str) -> None:
    payload, attachments = DocumentRequest(envelope_name, ZIP, md5_hex(ZIP)).to_element(mtom=True)
    body, content_type = write_message(payload, SoapVersion.V12, mtom=True,
                                       attachments=attachments)
    handled = _service(receiver).handle(body, content_type, soap_action=None, caller=CALLER)
    assert (handled.method, handled.subject, handled.fault_code) == (
        "sendDocument", envelope_name, None)
