"""Latency of GibClient.send_document against entegrator's own EFatura server over loopback.

Starts uvicorn on 127.0.0.1 (random port) with an in-memory receiver, then times sendDocument
round trips (client build + HTTP + server decode/MD5/port + answer) for several payload sizes,
MTOM and inline base64. Run by hand:  .venv/bin/python bench/gib_send_document.py [calls]
"""

from __future__ import annotations

import os
import socket
import statistics
import sys
import threading
import time
import uuid

import uvicorn

from entegrator.gib import (
    Caller,
    GibClient,
    GibClientConfig,
    HttpTransportConfig,
    HttpxTransport,
    ReceiveResult,
    ServerConfig,
    efatura_app,
)
from entegrator.gib.contract import MERKEZ_PATH


class _Receiver:
    def __init__(self) -> None:
        self.count = 0

    def receive(self, file_name: str, data: bytes, hash: str, *, caller: Caller) -> ReceiveResult:
        self.count += 1
        return ReceiveResult()

    def application_response(self, instance_id: str, *, caller: Caller) -> bytes:
        return b"<x/>"


def _start() -> tuple[str, uvicorn.Server, threading.Thread]:
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY on accepted sockets only then.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(efatura_app(ServerConfig(), _Receiver()), log_level="warning",
                            log_config=None, access_log=False, ws="none", http="h11",
                            lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{sock.getsockname()[1]}{MERKEZ_PATH}", server, thread


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    url, server, thread = _start()
    print(f"sendDocument over loopback, {calls} calls per row, cores={os.cpu_count()}")
    print(f"{'payload':>9} {'packaging':>9} {'median ms':>10} {'p95 ms':>8} {'mean ms':>8}")
    with HttpxTransport(HttpTransportConfig()) as transport:
        for size in (20_000, 1_000_000, 5_000_000):
            data = os.urandom(size)
            for mtom in (True, False):
                client = GibClient(GibClientConfig(url, mtom=mtom), transport)
                for _ in range(5):  # warm-up
                    client.send_document(f"{uuid.uuid4()}.zip", data)
                timings = []
                rounds = calls if size < 5_000_000 else max(20, calls // 10)
                for _ in range(rounds):
                    start = time.perf_counter()
                    client.send_document(f"{uuid.uuid4()}.zip", data)
                    timings.append((time.perf_counter() - start) * 1000)
                timings.sort()
                p95 = timings[int(len(timings) * 0.95) - 1]
                print(f"{size:>9} {'mtom' if mtom else 'inline':>9} "
                      f"{statistics.median(timings):>10.2f} {p95:>8.2f} "
                      f"{statistics.fmean(timings):>8.2f}")
    server.should_exit = True
    thread.join()


if __name__ == "__main__":
    main()
