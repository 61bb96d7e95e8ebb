"""Tests for entegrator.gib.client with canned replies: request encoding, answer checks and the
mapping of faults, HTTP errors and nonsense to typed errors."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import pytest
from lxml import etree

from entegrator.envelope import md5_hex
from entegrator.errors import TransportError
from entegrator.gib.client import GibClient, GibClientConfig, SendResult
from entegrator.gib.errors import (
    AlreadyReceived,
    GibFault,
    HashMismatch,
    InvalidFileName,
    RequestRejected,
    ReturnedHashMismatch,
    Suspended,
    UnexpectedReply,
    UnknownEnvelope,
)
from entegrator.gib.inprocess import RecordingTransport
from entegrator.gib.messages import (
    AppRespResponse,
    DocumentRequest,
    DocumentResponse,
    FaultDetail,
)
from entegrator.gib.mtom import parse_media_type
from entegrator.gib.soap import Fault, SoapVersion, fault_element, read_message, write_message
from entegrator.gib.transport import Exchange, Reply

URL = "https://merkeztest.example/EFaturaMerkez/services/EFatura"
ZIP = b"PK\x03\x04" + b"c" * 500
NAME = f"{uuid.uuid4()}.zip"


def _reply(payload: etree._Element, *, status: int = 200,
           version: SoapVersion = SoapVersion.V12, mtom: bool = False) -> Reply:
    body, content_type = write_message(payload, version, mtom=mtom)
    return Reply(status, {"content-type": content_type}, body)


def _ok(hash_value: str | None = md5_hex(ZIP), msg: str | None = "ALINDI") -> Reply:
    return _reply(DocumentResponse(msg, hash_value).to_element())


def _efatura_fault(code: int, msg: str = "x") -> Reply:
    detail = FaultDetail(code, msg).to_element()
    return _reply(fault_element(SoapVersion.V12, Fault(reason=msg, sender=True, detail=detail)),
                  status=500)


def _client(transport: RecordingTransport, **options: object) -> GibClient:
    return GibClient(GibClientConfig(URL, **options), transport)  # type: ignore[arg-type]


def test_send_document_posts_mtom_soap12_with_md5() -> None:
    transport = RecordingTransport([_ok()])
    result = _client(transport).send_document(NAME, ZIP)
    assert result == SendResult(hash=md5_hex(ZIP), msg="ALINDI")
    (sent,) = transport.sent
    assert sent.url == URL
    media = parse_media_type(sent.headers["content-type"])
    assert media.value == "multipart/related"
    assert (media.param("type"), media.param("start-info"), media.param("action")) == (
        "application/xop+xml", "application/soap+xml", "sendDocument")
    message = read_message(sent.body, sent.headers["content-type"], max_bytes=1 << 20)
    request = DocumentRequest.from_element(message.payload, message.attachments)
    assert (request.file_name, request.data, request.hash) == (NAME, ZIP, md5_hex(ZIP))
    assert b"PK\x03\x04" in sent.body  # the zip travels as a binary part, not base64


def test_send_document_inline_base64_when_mtom_off() -> None:
    transport = RecordingTransport([_ok()])
    _client(transport, mtom=False).send_document(NAME, ZIP)
    (sent,) = transport.sent
    assert sent.headers["content-type"].startswith("application/soap+xml")
    message = read_message(sent.body, sent.headers["content-type"], max_bytes=1 << 20)
    assert DocumentRequest.from_element(message.payload, {}).data == ZIP


def test_send_document_soap11_sets_soapaction_header() -> None:
    transport = RecordingTransport([_reply(DocumentResponse("ok", md5_hex(ZIP)).to_element(),
                                           version=SoapVersion.V11)])
    _client(transport, soap_version=SoapVersion.V11, mtom=False).send_document(NAME, ZIP)
    (sent,) = transport.sent
    assert sent.headers["soapaction"] == '"sendDocument"'
    assert sent.headers["content-type"].startswith("text/xml")


def test_send_document_accepts_upper_case_returned_hash() -> None:
    result = _client(RecordingTransport([_ok(md5_hex(ZIP).upper())])).send_document(NAME, ZIP)
    assert result.hash == md5_hex(ZIP).upper()


def test_send_document_accepts_mtom_answer() -> None:
    reply = _reply(DocumentResponse("ok", md5_hex(ZIP)).to_element(), mtom=True)
    assert _client(RecordingTransport([reply])).send_document(NAME, ZIP).msg == "ok"


def test_returned_hash_mismatch_is_reported() -> None:
    with pytest.raises(ReturnedHashMismatch) as raised:
        _client(RecordingTransport([_ok(md5_hex(b"other"))])).send_document(NAME, ZIP)
    assert (raised.value.sent, raised.value.retryable) == (md5_hex(ZIP), False)


@pytest.mark.parametrize("hash_value", [None, "  "])
def test_missing_returned_hash_is_unexpected(hash_value: str | None) -> None:
    with pytest.raises(UnexpectedReply, match="hash"):
        _client(RecordingTransport([_ok(hash_value)])).send_document(NAME, ZIP)


def test_invalid_file_name_is_refused_without_sending() -> None:
    transport = RecordingTransport()
    with pytest.raises(InvalidFileName):
        _client(transport).send_document("fatura.zip", ZIP)
    assert transport.sent == []


@pytest.mark.parametrize("code", range(2000, 2008))
def test_efatura_faults_become_typed_errors(code: int) -> None:
    with pytest.raises(GibFault) as raised:
        _client(RecordingTransport([_efatura_fault(code, "GİB METNİ")])).send_document(NAME, ZIP)
    assert type(raised.value) is type(GibFault.for_code(code))
    assert (raised.value.code, raised.value.msg) == (code, "GİB METNİ")


def test_already_received_tells_caller_to_poll() -> None:
    with pytest.raises(AlreadyReceived) as raised:
        _client(RecordingTransport([_efatura_fault(2001)])).send_document(NAME, ZIP)
    assert raised.value.action.value == "poll"


def test_soap11_efatura_fault_is_read() -> None:
    detail = FaultDetail(2007, "YETKI").to_element()
    reply = _reply(fault_element(SoapVersion.V11, Fault(reason="YETKI", sender=True,
                                                        detail=detail)),
                   status=500, version=SoapVersion.V11)
    with pytest.raises(Suspended):
        _client(RecordingTransport([reply])).send_document(NAME, ZIP)


def test_sender_fault_without_detail_is_request_rejected() -> None:
    reply = _reply(fault_element(SoapVersion.V12, Fault(reason="Unmarshalling Error",
                                                        sender=True)), status=500)
    with pytest.raises(RequestRejected) as raised:
        _client(RecordingTransport([reply])).send_document(NAME, ZIP)
    assert (raised.value.reason, raised.value.retryable) == ("Unmarshalling Error", False)


def test_receiver_fault_without_detail_is_retryable_unexpected_reply() -> None:
    reply = _reply(fault_element(SoapVersion.V12, Fault(reason="NullPointerException")),
                   status=500)
    with pytest.raises(UnexpectedReply) as raised:
        _client(RecordingTransport([reply])).send_document(NAME, ZIP)
    assert raised.value.retryable


@pytest.mark.parametrize("status", [502, 503, 404])
def test_http_error_with_html_body_is_transport_error(status: int) -> None:
    reply = Reply(status, {"content-type": "text/html"}, b"<html>Bad Gateway</html>")
    with pytest.raises(TransportError) as raised:
        _client(RecordingTransport([reply])).send_document(NAME, ZIP)
    assert (raised.value.status, raised.value.retryable) == (status, True)


def test_http_error_with_soap_body_but_no_fault_is_transport_error() -> None:
    reply = _ok()
    with pytest.raises(TransportError):
        _client(RecordingTransport([Reply(503, reply.headers, reply.body)])).send_document(
            NAME, ZIP)


def test_ok_status_with_garbage_is_unexpected_reply() -> None:
    reply = Reply(200, {"content-type": "text/html"}, b"<html>Bakim</html>")
    with pytest.raises(UnexpectedReply) as raised:
        _client(RecordingTransport([reply])).send_document(NAME, ZIP)
    assert raised.value.retryable


def test_ok_status_with_wrong_element_is_unexpected_reply() -> None:
    reply = _reply(AppRespResponse("x").to_element())
    with pytest.raises(UnexpectedReply, match="documentResponse"):
        _client(RecordingTransport([reply])).send_document(NAME, ZIP)


def test_transport_error_propagates_and_hook_sees_it() -> None:
    seen: list[Exchange] = []
    transport = RecordingTransport([TransportError("bağlantı reddedildi")])
    client = GibClient(GibClientConfig(URL), transport, on_exchange=seen.append)
    with pytest.raises(TransportError):
        client.send_document(NAME, ZIP)
    (exchange,) = seen
    assert exchange.reply is None and isinstance(exchange.error, TransportError)
    assert exchange.request_body == transport.sent[0].body


def test_exchange_hook_sees_method_subject_and_raw_bytes() -> None:
    seen: list[Exchange] = []
    ok = _ok()
    transport = RecordingTransport([ok])
    GibClient(GibClientConfig(URL), transport, on_exchange=seen.append).send_document(NAME, ZIP)
    (exchange,) = seen
    assert (exchange.direction, exchange.method, exchange.subject, exchange.url) == (
        "out", "sendDocument", NAME, URL)
    assert exchange.request_body == transport.sent[0].body
    assert exchange.request_headers == transport.sent[0].headers
    assert exchange.reply == ok


def test_exchange_hook_error_propagates() -> None:
    def hook(exchange: Exchange) -> None:
        raise OSError("arşiv yazılamadı")

    client = GibClient(GibClientConfig(URL), RecordingTransport([_ok()]), on_exchange=hook)
    with pytest.raises(OSError, match="arşiv"):
        client.send_document(NAME, ZIP)


def test_get_application_response_returns_xml_bytes() -> None:
    xml = "<?xml version='1.0' encoding='UTF-8'?><sh:StandardBusinessDocument xmlns:sh='u'>ş" \
          "</sh:StandardBusinessDocument>"
    transport = RecordingTransport([_reply(AppRespResponse(xml).to_element())])
    instance_id = str(uuid.uuid4())
    assert _client(transport).get_application_response(instance_id) == xml.encode()
    message = read_message(transport.sent[0].body, transport.sent[0].headers["content-type"],
                           max_bytes=1 << 20)
    assert message.payload.findtext("instanceIdentifier") == instance_id
    assert message.action == "getApplicationResponse"


def test_get_application_response_unknown_is_2004() -> None:
    with pytest.raises(UnknownEnvelope):
        _client(RecordingTransport([_efatura_fault(2004)])).get_application_response("x")


def test_get_application_response_empty_answer_is_unexpected() -> None:
    with pytest.raises(UnexpectedReply):
        _client(RecordingTransport([_reply(AppRespResponse(None).to_element())])
                ).get_application_response("x")


def test_get_application_response_needs_an_id() -> None:
    with pytest.raises(ValueError, match="boş"):
        _client(RecordingTransport()).get_application_response(" ")


def test_hash_mismatch_fault_is_retryable() -> None:
    with pytest.raises(HashMismatch) as raised:
        _client(RecordingTransport([_efatura_fault(2000)])).send_document(NAME, ZIP)
    assert raised.value.retryable


def _echo(url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
    message = read_message(body, headers["content-type"], max_bytes=1 << 20)
    request = DocumentRequest.from_element(message.payload, message.attachments)
    return _reply(DocumentResponse("echo", request.hash).to_element())


def test_recording_transport_responder_is_called() -> None:
    assert _client(RecordingTransport([_echo])).send_document(NAME, ZIP).msg == "echo"
