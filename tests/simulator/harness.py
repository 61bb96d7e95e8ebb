"""A stand-in integrator for the simulator tests (until entegrator.core exists).

It is the real EFatura server of :mod:`entegrator.gib` on its own uvicorn port, with a small
receiver port that keeps what Merkez delivers and answers like a receiver must: a
SYSTEMENVELOPE (built with :func:`entegrator.envelope.system_envelope`, swapping the pair it
received) sent to Merkez with ``sendDocument`` — or, in ``silent`` mode, only handed out when
Merkez polls ``getApplicationResponse``. It also sends envelopes to Merkez with the real
:class:`entegrator.gib.GibClient`. This is a test harness, not a mock of the simulator.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import uvicorn

from entegrator.envelope import (
    BuiltEnvelope,
    Envelope,
    EnvelopeType,
    read_envelope,
    read_system_response,
    system_envelope,
)
from entegrator.gib import (
    Caller,
    GibClient,
    GibClientConfig,
    HttpTransportConfig,
    HttpxTransport,
    ReceiveResult,
    SendResult,
    ServerConfig,
    UnknownEnvelope,
    efatura_app,
)
from entegrator.ubl.identifiers import ettn
from tests.asgiserver import start_server
from tests.simulator.support import now_local


@dataclass
class Received:
    """One envelope Merkez delivered to the harness."""

    file_name: str
    data: bytes
    envelope: Envelope | None


@dataclass
class IntegratorHarness:
    """One stand-in integrator (see the module docstring)."""

    id: str
    vkn: str
    mode: str = "auto"  # auto: push the answer; silent: answer only when polled
    answer_code: int = 1200
    merkez_url: str | None = None
    received: dict[str, Received] = field(default_factory=dict)
    answers: dict[str, bytes] = field(default_factory=dict)
    push_errors: list[Exception] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    _transport: HttpxTransport | None = None

    def start(self) -> IntegratorHarness:
        """Serve this integrator's EFatura endpoint."""
        app = efatura_app(ServerConfig(path="/efatura"), self)
        base, self._server, self._thread = start_server(app)
        self.url = base + "/efatura"
        self._transport = HttpxTransport(HttpTransportConfig(read_timeout=30))
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
        if self._transport is not None:
            self._transport.close()

    @property
    def client(self) -> GibClient:
        """A client of Merkez (this integrator's service path)."""
        if self.merkez_url is None or self._transport is None:
            raise RuntimeError("harness not connected to a simulator")
        return GibClient(GibClientConfig(self.merkez_url), self._transport)

    def send(self, built: BuiltEnvelope) -> SendResult:
        zipped = built.zipped()
        return self.client.send_document(zipped.file_name, zipped.data)

    # -- the receiver port ------------------------------------------------------------------

    def receive(self, file_name: str, data: bytes, hash: str, *, caller: Caller) -> ReceiveResult:
        try:
            envelope: Envelope | None = read_envelope(data, file_name=file_name)
        except Exception:
            envelope = None
        with self._lock:
            self.received[file_name[:-4].lower()] = Received(file_name, data, envelope)
        if envelope is not None and envelope.header.type in (EnvelopeType.SENDER,
                                                             EnvelopeType.POSTBOX):
            answer = system_envelope(envelope.header, self.answer_code, new_id=ettn.new,
                                     now=now_local)
            with self._lock:
                self.answers[envelope.envelope_id.lower()] = answer.xml
            if self.mode == "auto":
                threading.Thread(target=self._push, args=(answer,), daemon=True).start()
        return ReceiveResult(message="ALINDI")

    def application_response(self, instance_id: str, *, caller: Caller) -> bytes:
        with self._lock:
            answer = self.answers.get(instance_id.lower())
        if answer is None:
            raise UnknownEnvelope()
        return answer

    def _push(self, answer: BuiltEnvelope) -> None:
        time.sleep(0.05)  # after receive() returned
        try:
            self.send(answer)
        except Exception as exc:
            self.push_errors.append(exc)

    # -- what arrived -----------------------------------------------------------------------

    def system_responses(self, answered: str) -> list[tuple[str, int, Received]]:
        """(issuer VKN, code, envelope) of every SYSTEMENVELOPE received about ``answered``."""
        found = []
        with self._lock:
            items = list(self.received.values())
        for item in items:
            if item.envelope is not None and item.envelope.header.type is EnvelopeType.SYSTEM:
                response = read_system_response(item.envelope)
                if response.envelope.id.lower() == answered.lower():
                    found.append((response.sender.identifier, int(response.status or 0), item))
        return found

    def wait_for(self, envelope_id: str, *, timeout: float = 15.0) -> Received:
        """Wait until the envelope ``envelope_id`` arrived here."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = self.received.get(envelope_id.lower())
            if found is not None:
                return found
            time.sleep(0.02)
        raise AssertionError(f"{self.id}: {envelope_id} did not arrive")

    def wait_responses(self, answered: str, count: int = 1, *, timeout: float = 15.0
                       ) -> list[tuple[str, int, Received]]:
        """Wait for ``count`` system responses about ``answered``."""
        deadline = time.monotonic() + timeout
        found: list[tuple[str, int, Received]] = []
        while time.monotonic() < deadline:
            found = self.system_responses(answered)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"{self.id}: {len(found)} system response(s) for {answered}")
