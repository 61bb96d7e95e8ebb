"""Tests for entegrator.gib.transport.HttpxTransport against real servers on loopback: TLS
verification, client certificates, timeouts, size caps, downloads, no redirects."""

from __future__ import annotations

import io
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from entegrator.errors import ConfigurationError, TransportError
from entegrator.gib.transport import HttpTransportConfig, HttpxTransport

if TYPE_CHECKING:
    from conftest import Pki, ServeFn


async def _echo(request: Request) -> Response:
    return Response(await request.body(), media_type="application/octet-stream",
                    headers={"x-seen-type": request.headers.get("content-type", "")})


async def _stream(request: Request) -> StreamingResponse:
    async def chunks() -> Iterator[bytes]:  # type: ignore[misc]
        for _ in range(100):
            yield b"s" * 1000

    return StreamingResponse(chunks(), media_type="application/octet-stream")


async def _missing(request: Request) -> Response:
    return Response(b"yok", status_code=404)


APP = Starlette(routes=[
    Route("/echo", _echo, methods=["POST"]), Route("/stream", _stream, methods=["GET", "POST"]),
    Route("/missing", _missing),
    Route("/redirect", lambda request: RedirectResponse("/stream"), methods=["GET", "POST"]),
])


def _transport(**options: object) -> HttpxTransport:
    settings: dict[str, object] = {"read_timeout": 5.0, "connect_timeout": 5.0, **options}
    return HttpxTransport(HttpTransportConfig(**settings))  # type: ignore[arg-type]


def test_post_returns_status_headers_and_body(serve: ServeFn) -> None:
    base = serve(APP)
    with _transport() as transport:
        reply = transport.post(base + "/echo", b"zarf", {"content-type": "text/xml"})
    assert (reply.status, reply.body, reply.headers["x-seen-type"]) == (200, b"zarf", "text/xml")


def test_tls_untrusted_certificate_is_refused(serve: ServeFn, pki: Pki) -> None:
    base = serve(APP, scheme="https", ssl_certfile=str(pki.server_cert),
                 ssl_keyfile=str(pki.server_key))
    with _transport() as transport, pytest.raises(TransportError, match="CERTIFICATE_VERIFY"):
        transport.post(base + "/echo", b"x", {})


def test_tls_with_ca_bundle_is_accepted(serve: ServeFn, pki: Pki) -> None:
    base = serve(APP, scheme="https", ssl_certfile=str(pki.server_cert),
                 ssl_keyfile=str(pki.server_key))
    with _transport(ca_bundle=pki.ca_cert) as transport:
        assert transport.post(base + "/echo", b"x", {}).body == b"x"


def test_tls_verification_can_be_switched_off(serve: ServeFn, pki: Pki) -> None:
    base = serve(APP, scheme="https", ssl_certfile=str(pki.server_cert),
                 ssl_keyfile=str(pki.server_key))
    with _transport(verify_tls=False) as transport:
        assert transport.post(base + "/echo", b"x", {}).status == 200


def test_tls_client_certificate(serve: ServeFn, pki: Pki) -> None:
    base = serve(APP, scheme="https", ssl_certfile=str(pki.server_cert),
                 ssl_keyfile=str(pki.server_key), ssl_ca_certs=str(pki.ca_cert),
                 ssl_cert_reqs=ssl.CERT_REQUIRED)
    with _transport(ca_bundle=pki.ca_cert) as transport, pytest.raises(TransportError):
        transport.post(base + "/echo", b"x", {})
    with _transport(ca_bundle=pki.ca_cert, client_cert=pki.client_cert,
                    client_key=pki.client_key) as transport:
        assert transport.post(base + "/echo", b"x", {}).body == b"x"


def test_unreadable_client_certificate_is_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError):
        _transport(client_cert=tmp_path / "missing.pem")


def test_client_key_without_certificate_is_configuration_error(pki: Pki) -> None:
    with pytest.raises(ConfigurationError):
        _transport(client_key=pki.client_key)


def test_read_timeout_is_transport_error() -> None:
    with socket.socket() as silent:  # accepts connections (backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        with _transport(read_timeout=0.3) as transport, \
                pytest.raises(TransportError, match="zaman aşımı") as raised:
            transport.post(f"http://127.0.0.1:{port}/", b"x", {})
    assert raised.value.retryable


def test_connection_refused_is_transport_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with _transport() as transport, pytest.raises(TransportError):
        transport.post(f"http://127.0.0.1:{port}/", b"x", {})


def test_reply_over_cap_is_transport_error(serve: ServeFn) -> None:
    base = serve(APP)
    with _transport(max_reply_bytes=5000) as transport, \
            pytest.raises(TransportError, match="5000"):
        transport.post(base + "/echo", b"e" * 6000, {})


def test_streamed_reply_over_cap_is_transport_error(serve: ServeFn) -> None:
    base = serve(APP)  # chunked: no Content-Length, the cap applies while reading
    with _transport(max_reply_bytes=5000) as transport, \
            pytest.raises(TransportError, match="5000"):
        transport.post(base + "/stream", b"", {})


def test_download_over_cap_is_transport_error(serve: ServeFn) -> None:
    base = serve(APP)
    with _transport() as transport, pytest.raises(TransportError, match="5000"):
        transport.download(base + "/stream", io.BytesIO(), max_bytes=5000)


def test_redirect_is_not_followed(serve: ServeFn) -> None:
    base = serve(APP)
    with _transport() as transport:
        assert transport.post(base + "/redirect", b"x", {}).status == 307


def test_download_streams_into_sink(serve: ServeFn) -> None:
    base = serve(APP)
    sink = io.BytesIO()
    with _transport() as transport:
        reply = transport.download(base + "/stream", sink, max_bytes=1_000_000)
    assert (reply.status, reply.body, sink.getvalue()) == (200, b"", b"s" * 100_000)


def test_download_error_status_is_returned_not_written(serve: ServeFn) -> None:
    base = serve(APP)
    sink = io.BytesIO()
    with _transport() as transport:
        reply = transport.download(base + "/missing", sink, max_bytes=1000)
    assert (reply.status, reply.body, sink.getvalue()) == (404, b"yok", b"")
