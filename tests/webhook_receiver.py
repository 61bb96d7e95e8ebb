"""A real HTTP receiver for webhook tests: records what arrives, answers what it is told.

Served by uvicorn on 127.0.0.1 in a thread; ``statuses`` is consumed one answer per request
(then 200).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

__all__ = ["Received", "Receiver", "serve_receiver"]


@dataclass(frozen=True)
class Received:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """What arrived, and the statuses to answer with next."""

    url: str = ""
    statuses: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def app(self) -> Starlette:
        """The receiving ASGI app (any path, POST)."""

        async def hook(request: Request) -> PlainTextResponse:
            body = await request.body()
            with self.lock:
                self.received.append(Received(request.url.path, dict(request.headers), body))
                status = self.statuses.pop(0) if self.statuses else 200
            return PlainTextResponse("tamam" if status < 300 else "olmadı", status_code=status)

        return Starlette(routes=[Route("/{path:path}", hook, methods=["POST"])])


@contextmanager
def serve_receiver(statuses: list[int] | None = None) -> Iterator[Receiver]:
    """A :class:`Receiver` listening on loopback for the duration of the block."""
    receiver = Receiver(statuses=list(statuses or []))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(receiver.app(), log_config=None, log_level="warning",
                            access_log=False, ws="none", http="h11", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("webhook receiver did not start")
        time.sleep(0.01)
    receiver.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield receiver
    finally:
        server.should_exit = True
        thread.join(timeout=10)
