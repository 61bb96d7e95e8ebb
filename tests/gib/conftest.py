"""Fixtures for the gib tests: a recording receiver port, a real uvicorn server on loopback,
envelope zips and TLS certificates."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from starlette.types import ASGIApp

from entegrator.gib.ports import Caller, ReceiveResult

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"

SYSTEM_ENVELOPE = (
    "<?xml version='1.0' encoding='UTF-8'?>"
    '<sh:StandardBusinessDocument xmlns:sh="http://www.unece.org/cefact/namespaces/'
    'StandardBusinessDocumentHeader"><sh:StandardBusinessDocumentHeader>'
    "<sh:HeaderVersion>1.0</sh:HeaderVersion></sh:StandardBusinessDocumentHeader>"
    "<!-- ZARF BAŞARIYLA İŞLENDİ: 1200 --></sh:StandardBusinessDocument>"
).encode()


@dataclass
class MemoryReceiver:
    """A DocumentReceiver that keeps envelopes in a dict and can be told to fail."""

    stored: dict[str, bytes] = field(default_factory=dict)
    calls: list[tuple[str, str, Caller]] = field(default_factory=list)
    fail_with: BaseException | None = None
    answer: bytes = SYSTEM_ENVELOPE

    def receive(self, file_name: str, data: bytes, hash: str, *, caller: Caller) -> ReceiveResult:
        from entegrator.gib.errors import AlreadyReceived

        self.calls.append(("receive", file_name, caller))
        if self.fail_with is not None:
            raise self.fail_with
        if file_name.lower() in self.stored:
            raise AlreadyReceived()
        self.stored[file_name.lower()] = data
        return ReceiveResult(message=f"ALINDI {file_name} {hash}")

    def application_response(self, instance_id: str, *, caller: Caller) -> bytes:
        from entegrator.gib.errors import UnknownEnvelope

        self.calls.append(("application_response", instance_id, caller))
        if self.fail_with is not None:
            raise self.fail_with
        if f"{instance_id.lower()}.zip" not in self.stored:
            raise UnknownEnvelope()
        return self.answer


@pytest.fixture
def receiver() -> MemoryReceiver:
    return MemoryReceiver()


@pytest.fixture(scope="session")
def gib_reference_dir() -> Path:
    """../shared/reference/gib: GİB's WSDL and NewUserList.xsd (read-only)."""
    path = REFERENCE / "gib"
    if not path.is_dir():
        pytest.fail(f"../shared/reference/gib is missing (looked in {path})")
    return path


@pytest.fixture
def envelope_name() -> str:
    return f"{uuid.uuid4()}.zip"


@pytest.fixture(scope="session")
def sample_zip(samples_dir: Path) -> tuple[str, bytes]:
    """A real envelope zip named after its envelope UUID (samples/envelope-zip)."""
    path = samples_dir / "envelope-zip" / "e002da78-223f-438c-addb-16badeb047b5.zip"
    return path.name, path.read_bytes()


ServeFn = Callable[..., str]


@pytest.fixture
def serve() -> Iterator[ServeFn]:
    """Start an ASGI app on 127.0.0.1 (random port) with uvicorn; returns its base URL."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: ASGIApp, *, scheme: str = "http", **options: Any) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(app, log_config=None, log_level="warning", access_log=False,
                                ws="none", http="h11", lifespan="off", **options)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        running.append((server, thread))
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                pytest.fail("uvicorn did not start")
            time.sleep(0.01)
        return f"{scheme}://127.0.0.1:{port}"

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(10)


@dataclass(frozen=True)
class Pki:
    ca_cert: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    """A throw-away CA with a server certificate for 127.0.0.1 and a client certificate."""
    folder = tmp_path_factory.mktemp("pki")
    now = dt.datetime.now(dt.UTC)

    def issue(subject: str, issuer_name: x509.Name, issuer_key: Any,
              san: x509.GeneralName | None = None) -> tuple[x509.Certificate, Any]:
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
        builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer_name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - dt.timedelta(minutes=5))
                   .not_valid_after(now + dt.timedelta(days=1))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                  critical=True)
                   .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                       issuer_key.public_key()), critical=False))
        if san is not None:
            builder = builder.add_extension(x509.SubjectAlternativeName([san]), critical=False)
        return builder.sign(issuer_key, hashes.SHA256()), key

    def write(name: str, cert: x509.Certificate, key: Any) -> tuple[Path, Path]:
        cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                               serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
        return cert_path, key_path

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "entegrator test CA")])
    ca_cert = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
               .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5))
               .not_valid_after(now + dt.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(
                   digital_signature=True, content_commitment=False, key_encipherment=False,
                   data_encipherment=False, key_agreement=False, key_cert_sign=True,
                   crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                              critical=False)
               .sign(ca_key, hashes.SHA256()))
    ca_path, _ = write("ca", ca_cert, ca_key)
    server_cert, server_key = issue(
        "127.0.0.1", ca_name, ca_key, san=x509.IPAddress(ipaddress.ip_address("127.0.0.1")))
    client_cert, client_key = issue("entegrator test client", ca_name, ca_key)
    server_paths = write("server", server_cert, server_key)
    client_paths = write("client", client_cert, client_key)
    return Pki(ca_path, *server_paths, *client_paths)
