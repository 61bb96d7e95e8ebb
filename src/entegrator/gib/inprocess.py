"""Transports that need no network: canned replies for unit tests, and an in-process ASGI app.

* :class:`RecordingTransport` answers from a queue of canned replies (or callables) and keeps
  every request it was given — for testing a client's encoding and error mapping.
* :class:`AsgiTransport` hands requests straight to an ASGI application in this process (the
  integrator's own EFatura server, or the GİB simulator), without sockets.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import BinaryIO

from starlette.testclient import TestClient
from starlette.types import ASGIApp

from entegrator.errors import TransportError
from entegrator.gib.transport import Reply

__all__ = ["AsgiTransport", "RecordingTransport", "Responder", "SentRequest"]

#: A canned reply computed from the request: ``(url, body, headers) -> Reply``.
Responder = Callable[[str, bytes, Mapping[str, str]], Reply]


@dataclass(frozen=True, slots=True)
class SentRequest:
    """One request a :class:`RecordingTransport` was asked to make."""

    method: str
    url: str
    body: bytes
    headers: Mapping[str, str]


class RecordingTransport:
    """Answers from a queue of replies, exceptions or responders; records each request."""

    def __init__(self, replies: Iterable[Reply | Exception | Responder] = ()) -> None:
        self._replies: deque[Reply | Exception | Responder] = deque(replies)
        self.sent: list[SentRequest] = []

    def queue(self, reply: Reply | Exception | Responder) -> None:
        """Add the answer for a later request."""
        self._replies.append(reply)

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        """Record the request and return (or raise) the next queued answer."""
        self.sent.append(SentRequest("POST", url, body, dict(headers)))
        return self._next(url, body, headers)

    def download(self, url: str, sink: BinaryIO, *, max_bytes: int) -> Reply:
        """Record the request; write the next queued answer's body to ``sink`` if it is a 200."""
        self.sent.append(SentRequest("GET", url, b"", {}))
        reply = self._next(url, b"", {})
        if reply.status != 200:
            return reply
        if len(reply.body) > max_bytes:
            raise TransportError(f"{url} yanıtı {max_bytes} baytı aşıyor")
        sink.write(reply.body)
        return Reply(reply.status, reply.headers)

    def _next(self, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        if not self._replies:
            raise AssertionError(f"RecordingTransport: no reply queued for {url}")
        answer = self._replies.popleft()
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, Reply):
            return answer
        return answer(url, body, headers)


class AsgiTransport:
    """Calls an ASGI app in-process, as if from ``client_address``.

    Server-side exceptions become 500 replies, as they would over a socket.
    """

    def __init__(self, app: ASGIApp, *, client_address: str = "127.0.0.1",
                 max_reply_bytes: int = 16 * 1024 * 1024) -> None:
        self._client = TestClient(app, raise_server_exceptions=False, follow_redirects=False,
                                  client=(client_address, 50000))
        self._max_reply_bytes = max_reply_bytes

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        """POST to the app and return its reply."""
        response = self._client.post(url, content=body, headers=dict(headers))
        if len(response.content) > self._max_reply_bytes:
            raise TransportError(f"{url} yanıtı {self._max_reply_bytes} baytı aşıyor",
                                 status=response.status_code)
        return Reply(response.status_code, _lower(response.headers.items()), response.content)

    def download(self, url: str, sink: BinaryIO, *, max_bytes: int) -> Reply:
        """GET from the app into ``sink``."""
        response = self._client.get(url)
        headers = _lower(response.headers.items())
        if response.status_code != 200:
            return Reply(response.status_code, headers, response.content[: 64 * 1024])
        if len(response.content) > max_bytes:
            raise TransportError(f"{url} yanıtı {max_bytes} baytı aşıyor")
        sink.write(response.content)
        return Reply(response.status_code, headers)

    def close(self) -> None:
        """Release the test client."""
        self._client.close()


def _lower(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in items}
