"""Tests for entegrator.gib.server over real HTTP on loopback (uvicorn): WSDL, allow-list,
size caps, content checks, and that every failure is a SOAP fault that never reaches the port."""

from __future__ import annotations

import socket
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

import httpx
import pytest
from lxml import etree
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from entegrator.envelope import md5_hex
from entegrator.errors import ConfigurationError
from entegrator.gib import dispatch
from entegrator.gib.contract import MERKEZ_PATH
from entegrator.gib.inprocess import AsgiTransport
from entegrator.gib.messages import DocumentRequest, FaultDetail
from entegrator.gib.server import ServerConfig, efatura_app, efatura_routes
from entegrator.gib.soap import SoapVersion, read_fault, read_message, write_message
from entegrator.gib.transport import Exchange
from entegrator.ubl import ns

if TYPE_CHECKING:
    from conftest import MemoryReceiver, ServeFn

ZIP = b"PK\x03\x04" + b"q" * 2000


def _mtom_request(file_name: str, data: bytes = ZIP) -> tuple[bytes, dict[str, str]]:
    payload, attachments = DocumentRequest(file_name, data, md5_hex(data)).to_element(mtom=True)
    body, content_type = write_message(payload, SoapVersion.V12, mtom=True,
                                       attachments=attachments)
    return body, {"content-type": content_type}


def _fault(response: httpx.Response) -> tuple[str, int | None]:
    message = read_message(response.content, response.headers.get("content-type"),
                           max_bytes=1 << 20)
    fault = read_fault(message)
    assert fault is not None, response.content
    detail = FaultDetail.from_element(fault.detail)
    return fault.reason, None if detail is None else detail.code


@pytest.fixture
def url(serve: ServeFn, receiver: MemoryReceiver) -> str:
    return serve(efatura_app(ServerConfig(), receiver)) + MERKEZ_PATH


def test_wsdl_is_served_with_address_of_the_server(url: str) -> None:
    response = httpx.get(url + "?wsdl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    root = etree.fromstring(response.content)
    address = root.find(f"{{{ns.WSDL}}}service/{{{ns.WSDL}}}port/{{{ns.WSDL_SOAP12}}}address")
    assert address is not None and address.get("location") == url


def test_wsdl_query_is_case_insensitive(url: str) -> None:
    assert httpx.get(url + "?WSDL").status_code == 200


def test_wsdl_uses_configured_public_url(serve: ServeFn, receiver: MemoryReceiver) -> None:
    config = ServerConfig(public_url="https://entegrator.example/gib/EFatura")
    base = serve(efatura_app(config, receiver))
    assert b'location="https://entegrator.example/gib/EFatura"' in httpx.get(
        base + MERKEZ_PATH + "?wsdl").content


def test_get_without_wsdl_is_400(url: str) -> None:
    assert httpx.get(url).status_code == 400


def test_other_methods_are_405(url: str) -> None:
    assert httpx.put(url, content=b"x").status_code == 405


def test_post_sends_document_to_port(url: str, receiver: MemoryReceiver,
                                     envelope_name: str) -> None:
    body, headers = _mtom_request(envelope_name)
    response = httpx.post(url, content=body, headers=headers)
    assert response.status_code == 200
    assert receiver.stored == {envelope_name: ZIP}
    assert receiver.calls[0][2].address == "127.0.0.1"


def test_caller_outside_allow_list_is_refused(serve: ServeFn, receiver: MemoryReceiver,
                                              envelope_name: str) -> None:
    base = serve(efatura_app(ServerConfig(allowed_networks=("10.0.0.0/8",)), receiver))
    body, headers = _mtom_request(envelope_name)
    response = httpx.post(base + MERKEZ_PATH, content=body, headers=headers)
    assert response.status_code == 403
    reason, code = _fault(response)
    assert "127.0.0.1" in reason and code is None
    assert httpx.get(base + MERKEZ_PATH + "?wsdl").status_code == 403
    assert receiver.calls == []


def test_caller_inside_allow_list_network_is_served(receiver: MemoryReceiver,
                                                    envelope_name: str) -> None:
    config = ServerConfig(allowed_networks=("10.0.0.0/8", "2001:db8::/32"))
    transport = AsgiTransport(efatura_app(config, receiver), client_address="10.20.30.40")
    body, headers = _mtom_request(envelope_name)
    assert transport.post("http://gib.test" + MERKEZ_PATH, body, headers).status == 200
    refused = AsgiTransport(efatura_app(config, receiver), client_address="11.0.0.1")
    assert refused.post("http://gib.test" + MERKEZ_PATH, body, headers).status == 403
    assert len(receiver.calls) == 1


def test_oversize_body_by_content_length_is_413(serve: ServeFn, receiver: MemoryReceiver,
                                                envelope_name: str) -> None:
    base = serve(efatura_app(ServerConfig(max_body_bytes=1000), receiver))
    body, headers = _mtom_request(envelope_name)
    response = httpx.post(base + MERKEZ_PATH, content=body, headers=headers)
    assert response.status_code == 413
    assert "büyük" in _fault(response)[0]
    assert receiver.calls == []


def test_oversize_chunked_body_is_413(serve: ServeFn, receiver: MemoryReceiver,
                                      envelope_name: str) -> None:
    base = serve(efatura_app(ServerConfig(max_body_bytes=1000), receiver))
    body, headers = _mtom_request(envelope_name)

    def chunks():  # no Content-Length: the server must count while reading
        for start in range(0, len(body), 100):
            yield body[start:start + 100]

    response = httpx.post(base + MERKEZ_PATH, content=chunks(), headers=headers)
    assert response.status_code == 413
    assert receiver.calls == []


def test_huge_declared_content_length_is_refused_before_reading(serve: ServeFn,
                                                                 receiver: MemoryReceiver) -> None:
    base = serve(efatura_app(ServerConfig(), receiver))
    port = int(base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall((f"POST {MERKEZ_PATH} HTTP/1.1\r\nHost: x\r\n"
                      "Content-Type: application/soap+xml\r\n"
                      "Content-Length: 999999999999\r\n\r\n").encode())
        head = conn.recv(4096)
    assert head.startswith(b"HTTP/1.1 413")
    assert receiver.calls == []


def test_compressed_body_is_415(url: str, receiver: MemoryReceiver, envelope_name: str) -> None:
    body, headers = _mtom_request(envelope_name)
    response = httpx.post(url, content=body, headers={**headers, "content-encoding": "gzip"})
    assert response.status_code == 415
    assert receiver.calls == []


BROKEN_MULTIPART = (
    b'--b\r\nContent-Type: application/xop+xml; type="application/soap+xml"\r\n'
    b"Content-ID: <r>\r\n\r\n<x/>\r\n--b\r\nContent-ID: <z>\r\n\r\nPK"  # no closing boundary
)
MISSING_PART = (
    '--b\r\nContent-Type: application/xop+xml; type="application/soap+xml"\r\nContent-ID: <r>'
    f'\r\n\r\n<s:Envelope xmlns:s="{ns.SOAP12}"><s:Body><ef:documentRequest xmlns:ef="'
    f'{ns.EFATURA_WS}"><fileName>{uuid.uuid4()}.zip</fileName><binaryData><xop:Include '
    f'xmlns:xop="{ns.XOP}" href="cid:zip@x"/></binaryData><hash>{md5_hex(b"")}</hash>'
    "</ef:documentRequest></s:Body></s:Envelope>\r\n--b--\r\n"
).encode()
MULTIPART = 'multipart/related; type="application/xop+xml"; boundary="b"; start="<r>"'


@pytest.mark.parametrize(("body", "content_type", "status", "reason"), [
    (b"merhaba", "text/plain", 415, "Content-Type"),
    (b"<x/>", "application/json", 415, "Content-Type"),
    (b"not xml", "application/soap+xml", 500, "okunamadı"),
    (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "text/xml", 500,
     "DTD"),
    (f'<s:Envelope xmlns:s="{ns.SOAP12}"><s:Body><soap:Garbage xmlns:soap="urn:x"/></s:Body>'
     "</s:Envelope>".encode(), "application/soap+xml", 500, "bilinmeyen işlem"),
    (BROKEN_MULTIPART, MULTIPART, 500, "kapanış"),
    (MISSING_PART, MULTIPART, 500, "MTOM parçası yok"),
    (b"--b--", "multipart/related; boundary=b", 500, "parça yok"),
    (b"x", "multipart/related", 500, "boundary"),
])
def test_malformed_requests_are_faults_and_never_reach_the_port(
        url: str, receiver: MemoryReceiver, *, body: bytes, content_type: str, status: int,
        reason: str) -> None:
    response = httpx.post(url, content=body, headers={"content-type": content_type})
    assert response.status_code == status
    fault_reason, code = _fault(response)
    assert reason in fault_reason and code is None
    assert receiver.calls == []


def test_port_crash_is_2005(url: str, receiver: MemoryReceiver, envelope_name: str) -> None:
    receiver.fail_with = MemoryError()
    body, headers = _mtom_request(envelope_name)
    response = httpx.post(url, content=body, headers=headers)
    assert response.status_code == 500
    assert _fault(response)[1] == 2005


def test_unexpected_error_in_endpoint_is_still_a_fault(serve: ServeFn, receiver: MemoryReceiver,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       envelope_name: str) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("beklenmeyen")

    monkeypatch.setattr(dispatch.EFaturaService, "handle", explode)
    base = serve(efatura_app(ServerConfig(), receiver))
    body, headers = _mtom_request(envelope_name)
    response = httpx.post(base + MERKEZ_PATH, content=body, headers=headers)
    assert response.status_code == 500
    assert _fault(response)[1] == 2005
    assert b"beklenmeyen" not in response.content


def test_exchange_hook_sees_raw_request_and_reply(serve: ServeFn, receiver: MemoryReceiver,
                                                  envelope_name: str) -> None:
    seen: list[Exchange] = []
    base = serve(efatura_app(ServerConfig(), receiver, on_exchange=seen.append))
    body, headers = _mtom_request(envelope_name)
    response = httpx.post(base + MERKEZ_PATH, content=body, headers=headers)
    (exchange,) = seen
    assert (exchange.direction, exchange.method, exchange.subject, exchange.peer) == (
        "in", "sendDocument", envelope_name, "127.0.0.1")
    assert exchange.request_body == body
    assert exchange.reply is not None and exchange.reply.body == response.content
    assert exchange.elapsed >= 0


def test_failing_exchange_hook_does_not_change_the_answer(serve: ServeFn,
                                                          receiver: MemoryReceiver,
                                                          envelope_name: str) -> None:
    def broken_hook(exchange: Exchange) -> None:
        raise OSError("arşiv diski dolu")

    base = serve(efatura_app(ServerConfig(), receiver, on_exchange=broken_hook))
    body, headers = _mtom_request(envelope_name)
    assert httpx.post(base + MERKEZ_PATH, content=body, headers=headers).status_code == 200


def test_routes_mount_into_a_larger_app(serve: ServeFn, receiver: MemoryReceiver,
                                        envelope_name: str) -> None:
    health: Callable[..., PlainTextResponse] = lambda request: PlainTextResponse("ok")  # noqa: E731
    app = Starlette(routes=[Route("/health", health),
                            *efatura_routes(ServerConfig(path="/gib/EFatura"), receiver)])
    base = serve(app)
    body, headers = _mtom_request(envelope_name)
    assert httpx.post(base + "/gib/EFatura", content=body, headers=headers).status_code == 200
    assert httpx.get(base + "/health").text == "ok"


@pytest.mark.parametrize("config", [ServerConfig(allowed_networks=("10.0.0.0/33",)),
                                    ServerConfig(allowed_networks=("not-an-ip",)),
                                    ServerConfig(path="EFatura")])
def test_bad_configuration_is_refused(receiver: MemoryReceiver, config: ServerConfig) -> None:
    with pytest.raises(ConfigurationError):
        efatura_app(config, receiver)
