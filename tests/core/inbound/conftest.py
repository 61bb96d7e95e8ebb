"""Fixtures of the inbound tests (helpers in tests/core/inbound/support.py)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from starlette.types import ASGIApp

from entegrator.signing import Seal
from tests.core.inbound.support import seal_for
from tests.core.support import CUSTOMER, SUPPLIER, CorePki


@pytest.fixture(scope="session")
def supplier_seal(core_pki: CorePki) -> Seal:
    """The external supplier's seal (4540536920), issued by the trusted test PKI."""
    return seal_for(core_pki, SUPPLIER.vkn, SUPPLIER.title)


@pytest.fixture(scope="session")
def customer_seal(core_pki: CorePki) -> Seal:
    """The customer's seal (9205121120), for answers it sends us as an external party."""
    return seal_for(core_pki, CUSTOMER.vkn, CUSTOMER.title)


ServeFn = Callable[[ASGIApp], str]


@pytest.fixture
def serve() -> Iterator[ServeFn]:
    """Start an ASGI app on 127.0.0.1 (random port) with uvicorn; returns its base URL."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: ASGIApp) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False,
                                ws="none", http="h11", lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        running.append((server, thread))
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail("uvicorn did not start")
            time.sleep(0.01)
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(timeout=10)
