"""A small stand-in for GİB Merkez on loopback, for outbound's tests.

It is the real :mod:`entegrator.gib.server` (SOAP 1.2 + MTOM over HTTP, served by uvicorn)
with a receiver that keeps envelopes in memory and answers ``getApplicationResponse`` with a
real SYSTEMENVELOPE (:func:`entegrator.envelope.system_envelope`, sender GİB) carrying the
status code a test chose. It can be told to fail with any EFatura fault.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from entegrator.envelope import (
    GIB,
    EnvelopeHeader,
    EnvelopeType,
    build_envelope,
    read_envelope,
    system_response_for,
)
from entegrator.gib import MERKEZ_PATH, ServerConfig, efatura_app
from entegrator.gib.errors import AlreadyReceived, UnknownEnvelope
from entegrator.gib.ports import Caller, ReceiveResult
from entegrator.ubl import status_codes
from entegrator.ubl.responses import to_element
from tests.asgiserver import start_server, stop_server

__all__ = ["FakeMerkez", "merkez_status", "serve_merkez"]


@dataclass
class FakeMerkez:
    """A DocumentReceiver standing in for Merkez (see the module docstring)."""

    stored: dict[str, bytes] = field(default_factory=dict)
    status: dict[str, int] = field(default_factory=dict)
    fail_with: BaseException | None = None
    poll_fail_with: BaseException | None = None
    receive_calls: int = 0
    default_status: int = 1000
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def receive(self, file_name: str, data: bytes, hash: str, *, caller: Caller) -> ReceiveResult:
        with self._lock:
            self.receive_calls += 1
            if self.fail_with is not None:
                raise self.fail_with
            key = file_name.lower().removesuffix(".zip")
            if key in self.stored:
                raise AlreadyReceived()
            self.stored[key] = data
        return ReceiveResult()

    def application_response(self, instance_id: str, *, caller: Caller) -> bytes:
        key = instance_id.lower()
        with self._lock:
            if self.poll_fail_with is not None:
                raise self.poll_fail_with
            data = self.stored.get(key)
            code = self.status.get(key, self.default_status)
        if data is None:
            raise UnknownEnvelope()
        return merkez_status(read_envelope(data).header, code)

    def envelopes(self) -> list[str]:
        """UUIDs of the envelopes received, in no particular order."""
        with self._lock:
            return list(self.stored)


def merkez_status(answered: EnvelopeHeader, code: int) -> bytes:
    """The SYSTEMENVELOPE Merkez returns from getApplicationResponse for ``answered``.

    Merkez-internal codes (1210–1300) never travel in a sent system response, so the
    envelope builder refuses them; Merkez still reports them here (Ek-3 §7.2.2): the
    response is made for 1200 and then given the real code.
    """
    now = datetime.now(UTC)
    response = system_response_for(answered, 1200, sender=GIB, receiver=answered.sender,
                                   new_id=lambda: str(uuid.uuid4()), issued_at=now)
    response = replace(response, status=str(code),
                       status_description=status_codes.status(code).label)
    header = EnvelopeHeader(str(uuid.uuid4()), EnvelopeType.SYSTEM, GIB, answered.sender, now)
    return build_envelope(header, [to_element(response)]).xml


@contextmanager
def serve_merkez(merkez: FakeMerkez) -> Iterator[str]:
    """Serve ``merkez`` on 127.0.0.1 (random port); yields the EFatura endpoint URL."""
    base, server, thread = start_server(efatura_app(ServerConfig(), merkez))
    try:
        yield f"{base}{MERKEZ_PATH}"
    finally:
        stop_server(server, thread)
