"""Real HTTP servers for the tests: an ASGI app under uvicorn on loopback, in a thread.

``serve`` (a fixture; conftests that want it import it) starts apps and stops them after the
test; :func:`start_server` / :func:`serve_on` / :func:`stop_server` are for harnesses that
manage the server's lifetime themselves.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn

__all__ = ["ServeFn", "serve", "serve_on", "start_server", "stop_server"]

ServeFn = Callable[[Any], str]


def serve_on(app: Any, sock: socket.socket) -> tuple[uvicorn.Server, threading.Thread]:
    """Run ``app`` on the bound ``sock`` in a daemon thread; return once it accepts."""
    config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False,
                            ws="none", http="h11", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    return server, thread


def start_server(app: Any, host: str = "127.0.0.1") -> tuple[str, uvicorn.Server,
                                                              threading.Thread]:
    """Run ``app`` on a random port of ``host``; its base URL, server and thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    server, thread = serve_on(app, sock)
    return f"http://{host}:{port}", server, thread


def stop_server(server: uvicorn.Server, thread: threading.Thread) -> None:
    """Ask ``server`` to exit and wait (at most 10 s) for its thread."""
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def serve() -> Iterator[ServeFn]:
    """Start ASGI apps on 127.0.0.1 (random ports); each returns its base URL."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: Any) -> str:
        url, server, thread = start_server(app)
        running.append((server, thread))
        return url

    yield start
    for server, thread in running:
        stop_server(server, thread)
