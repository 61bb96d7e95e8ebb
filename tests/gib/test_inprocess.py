"""Tests for entegrator.gib.inprocess: the recording and the in-process ASGI transports."""

from __future__ import annotations

import io

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from entegrator.errors import TransportError
from entegrator.gib.inprocess import AsgiTransport, RecordingTransport
from entegrator.gib.transport import Reply


def test_recording_transport_answers_in_order_and_records() -> None:
    transport = RecordingTransport([Reply(200, {}, b"one")])
    transport.queue(Reply(500, {}, b"two"))
    assert transport.post("u1", b"a", {"h": "1"}).body == b"one"
    assert transport.post("u2", b"b", {}).status == 500
    assert [(s.method, s.url, s.body) for s in transport.sent] == [("POST", "u1", b"a"),
                                                                  ("POST", "u2", b"b")]


def test_recording_transport_raises_queued_exception() -> None:
    transport = RecordingTransport([TransportError("kopuk")])
    with pytest.raises(TransportError, match="kopuk"):
        transport.post("u", b"", {})


def test_recording_transport_without_reply_fails_loudly() -> None:
    with pytest.raises(AssertionError, match="no reply queued"):
        RecordingTransport().post("u", b"", {})


def test_recording_transport_download() -> None:
    transport = RecordingTransport([Reply(200, {}, b"zip"), Reply(404, {}, b"yok"),
                                    Reply(200, {}, b"x" * 10)])
    sink = io.BytesIO()
    assert transport.download("u", sink, max_bytes=100).body == b""
    assert sink.getvalue() == b"zip"
    assert transport.download("u", sink, max_bytes=100).status == 404
    with pytest.raises(TransportError):
        transport.download("u", sink, max_bytes=5)


async def _who(request: Request) -> Response:
    assert request.client is not None
    return PlainTextResponse(f"{request.method} {request.client.host}")


APP = Starlette(routes=[Route("/who", _who, methods=["GET", "POST"])])


def test_asgi_transport_posts_as_given_address() -> None:
    transport = AsgiTransport(APP, client_address="10.1.2.3")
    reply = transport.post("http://app.test/who", b"", {})
    assert (reply.status, reply.body) == (200, b"POST 10.1.2.3")
    assert reply.content_type is not None and reply.content_type.startswith("text/plain")


def test_asgi_transport_download() -> None:
    sink = io.BytesIO()
    reply = AsgiTransport(APP).download("http://app.test/who", sink, max_bytes=100)
    assert (reply.status, sink.getvalue()) == (200, b"GET 127.0.0.1")
    assert AsgiTransport(APP).download("http://app.test/none", sink, max_bytes=100).status == 404


def test_asgi_transport_reply_cap() -> None:
    with pytest.raises(TransportError):
        AsgiTransport(APP, max_reply_bytes=3).post("http://app.test/who", b"", {})
