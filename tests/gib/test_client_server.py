"""Our client against our server over real HTTP on loopback (uvicorn + httpx), and in-process
through AsgiTransport: MTOM and inline base64, SOAP 1.2 and 1.1, faults end to end."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from entegrator.envelope import md5_hex
from entegrator.gib.client import GibClient, GibClientConfig
from entegrator.gib.contract import MERKEZ_PATH
from entegrator.gib.errors import AlreadyReceived, ArchiveFailure, UnknownEnvelope
from entegrator.gib.inprocess import AsgiTransport
from entegrator.gib.server import ServerConfig, efatura_app
from entegrator.gib.soap import SoapVersion
from entegrator.gib.transport import Exchange, HttpTransportConfig, HttpxTransport

if TYPE_CHECKING:
    from conftest import MemoryReceiver, ServeFn


@pytest.fixture
def transport() -> Iterator[HttpxTransport]:
    with HttpxTransport(HttpTransportConfig(read_timeout=10)) as transport:
        yield transport


@pytest.fixture
def url(serve: ServeFn, receiver: MemoryReceiver) -> str:
    return serve(efatura_app(ServerConfig(), receiver)) + MERKEZ_PATH


@pytest.mark.parametrize("version", list(SoapVersion))
@pytest.mark.parametrize("mtom", [True, False], ids=["mtom", "inline"])
def test_send_sample_envelope_over_http(url: str, transport: HttpxTransport, *,
                                        receiver: MemoryReceiver, sample_zip: tuple[str, bytes],
                                        version: SoapVersion, mtom: bool) -> None:
    name, data = sample_zip
    client = GibClient(GibClientConfig(url, soap_version=version, mtom=mtom), transport)
    result = client.send_document(name, data)
    assert result.hash == md5_hex(data)
    assert receiver.stored == {name: data}
    assert client.get_application_response(name.removesuffix(".zip")) == receiver.answer


def test_large_envelope_over_http(url: str, transport: HttpxTransport,
                                  receiver: MemoryReceiver, envelope_name: str) -> None:
    data = uuid.uuid4().bytes * 300_000  # 4.8 MB, just under GİB's usual envelope sizes
    GibClient(GibClientConfig(url), transport).send_document(envelope_name, data)
    assert receiver.stored[envelope_name] == data


def test_duplicate_over_http_is_already_received(url: str, transport: HttpxTransport,
                                                 envelope_name: str) -> None:
    client = GibClient(GibClientConfig(url), transport)
    client.send_document(envelope_name, b"PK1")
    with pytest.raises(AlreadyReceived):
        client.send_document(envelope_name, b"PK1")


def test_port_failure_over_http_is_retryable(url: str, transport: HttpxTransport,
                                             receiver: MemoryReceiver,
                                             envelope_name: str) -> None:
    receiver.fail_with = ArchiveFailure()
    with pytest.raises(ArchiveFailure) as raised:
        GibClient(GibClientConfig(url), transport).send_document(envelope_name, b"PK")
    assert raised.value.retryable


def test_unknown_envelope_over_http(url: str, transport: HttpxTransport) -> None:
    with pytest.raises(UnknownEnvelope):
        GibClient(GibClientConfig(url), transport).get_application_response(str(uuid.uuid4()))


def test_both_hooks_see_the_same_bytes(serve: ServeFn, receiver: MemoryReceiver,
                                       transport: HttpxTransport, envelope_name: str) -> None:
    inbound: list[Exchange] = []
    outbound: list[Exchange] = []
    base = serve(efatura_app(ServerConfig(), receiver, on_exchange=inbound.append))
    client = GibClient(GibClientConfig(base + MERKEZ_PATH), transport,
                       on_exchange=outbound.append)
    client.send_document(envelope_name, b"PK\x03\x04abc")
    assert inbound[0].request_body == outbound[0].request_body
    assert inbound[0].reply is not None and outbound[0].reply is not None
    assert inbound[0].reply.body == outbound[0].reply.body


def test_asgi_transport_round_trip(receiver: MemoryReceiver, envelope_name: str) -> None:
    transport = AsgiTransport(efatura_app(ServerConfig(), receiver))
    client = GibClient(GibClientConfig("http://merkez.test" + MERKEZ_PATH), transport)
    assert client.send_document(envelope_name, b"PK").hash == md5_hex(b"PK")
    assert receiver.calls[0][2].address == "127.0.0.1"
    transport.close()
