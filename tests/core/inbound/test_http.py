"""The integrator's EFatura endpoint over real HTTP on loopback: gib.efatura_routes serving the
Receiver under uvicorn, called by our GibClient (SOAP 1.2 + MTOM) as Merkez would."""

from __future__ import annotations

import socket
import uuid

import httpx
import pytest
from sqlalchemy import func, select
from starlette.applications import Starlette

from entegrator.core.inbound import Receiver
from entegrator.core.wiring import Integrator
from entegrator.envelope import read_envelope, read_system_response
from entegrator.gib import (
    AlreadyReceived,
    GibClient,
    GibClientConfig,
    HashMismatch,
    HttpTransportConfig,
    HttpxTransport,
    InvalidFileName,
    ServerConfig,
    SystemFault,
    UnknownEnvelope,
    efatura_routes,
)
from entegrator.gib.contract import MERKEZ_PATH
from entegrator.gib.messages import DocumentRequest, FaultDetail
from entegrator.gib.soap import SoapVersion, read_fault, read_message, write_message
from entegrator.signing import Seal
from entegrator.store.domain import envelopes
from tests.core.inbound.conftest import ServeFn
from tests.core.inbound.support import envelope_zip, invoice_bytes, mailbox, run_jobs
from tests.core.support import SeededTaxpayer


@pytest.fixture
def endpoint(integrator: Integrator, serve: ServeFn) -> str:
    app = Starlette(routes=efatura_routes(ServerConfig(), Receiver(integrator)))
    return serve(app) + MERKEZ_PATH


@pytest.fixture
def merkez(endpoint: str) -> GibClient:
    """Our own client playing Merkez, calling the integrator's endpoint."""
    transport = HttpxTransport(HttpTransportConfig())
    yield GibClient(GibClientConfig(endpoint=endpoint), transport)
    transport.close()


def _fault_code(reply: httpx.Response) -> int | None:
    message = read_message(reply.content, reply.headers.get("content-type"), max_bytes=1 << 20)
    fault = read_fault(message)
    assert fault is not None
    detail = FaultDetail.from_element(fault.detail)
    return None if detail is None else detail.code


def _stored(integrator: Integrator) -> int:
    with integrator.db.transaction(read_only=True) as conn:
        return int(conn.execute(select(func.count()).select_from(envelopes)).scalar_one())


def test_delivered_envelope_is_processed_and_polled_back(
    integrator: Integrator, merkez: GibClient, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    zipped = envelope_zip([invoice_bytes(seal=supplier_seal)])
    envelope_id = zipped.file_name.removesuffix(".zip")

    sent = merkez.send_document(zipped.file_name, zipped.data)
    with pytest.raises(SystemFault):  # 2005 until processed: Merkez asks again later
        merkez.get_application_response(envelope_id)
    run_jobs(integrator)
    answer = read_envelope(merkez.get_application_response(envelope_id))

    assert sent.hash.lower() == zipped.md5
    response = read_system_response(answer)
    assert response.envelope.id == envelope_id and response.status_code.code == 1200
    assert len(mailbox(integrator, customer.id)) == 1


def test_second_delivery_of_an_envelope_is_fault_2001_and_not_stored_twice(
    integrator: Integrator, merkez: GibClient, customer: SeededTaxpayer, supplier_seal: Seal
) -> None:
    zipped = envelope_zip([invoice_bytes(seal=supplier_seal)])
    merkez.send_document(zipped.file_name, zipped.data)

    with pytest.raises(AlreadyReceived):
        merkez.send_document(zipped.file_name, zipped.data)
    run_jobs(integrator)

    assert _stored(integrator) == 2  # the received envelope and our one answer
    assert len(mailbox(integrator, customer.id)) == 1


def test_unknown_envelope_poll_is_fault_2004(merkez: GibClient) -> None:
    with pytest.raises(UnknownEnvelope):
        merkez.get_application_response(str(uuid.uuid4()))


def test_bad_file_name_is_fault_2006_and_nothing_is_stored(
    integrator: Integrator, merkez: GibClient, supplier_seal: Seal
) -> None:
    zipped = envelope_zip([invoice_bytes(seal=supplier_seal)])

    with pytest.raises(InvalidFileName):
        merkez.send_document("zarf.zip", zipped.data)
    assert _stored(integrator) == 0


def test_damaged_bytes_are_fault_2000_and_nothing_is_stored(
    integrator: Integrator, endpoint: str, supplier_seal: Seal
) -> None:
    zipped = envelope_zip([invoice_bytes(seal=supplier_seal)])
    payload, attachments = DocumentRequest(zipped.file_name, zipped.data,
                                           "0" * 32).to_element(mtom=True)
    body, content_type = write_message(payload, SoapVersion.V12, mtom=True,
                                       attachments=attachments)
    reply = httpx.post(endpoint, content=body, headers={"content-type": content_type})

    assert reply.status_code == 500
    assert _fault_code(reply) == HashMismatch.fault_code
    assert _stored(integrator) == 0


@pytest.mark.parametrize(("body", "content_type", "status"), [
    (b"<soap:Garbage/>", "application/soap+xml", 500),
    (b"merhaba", "text/plain", 415),
    (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "text/xml", 500),
])
def test_soap_garbage_is_a_fault_and_nothing_is_stored(
    integrator: Integrator, endpoint: str, body: bytes, content_type: str, status: int
) -> None:
    reply = httpx.post(endpoint, content=body, headers={"content-type": content_type})

    assert reply.status_code == status
    assert _fault_code(reply) is None  # no EFaturaFault code exists for unreadable requests
    assert _stored(integrator) == 0


def test_a_huge_declared_body_is_refused_unread_and_nothing_is_stored(
    integrator: Integrator, endpoint: str
) -> None:
    host, port = endpoint.split("//", 1)[1].split("/", 1)[0].split(":")
    request = (f"POST {MERKEZ_PATH} HTTP/1.1\r\nHost: {host}\r\n"
               "Content-Type: application/soap+xml\r\nContent-Length: 999999999999\r\n\r\n")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request.encode("ascii"))
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]

    assert b" 413 " in status_line
    assert _stored(integrator) == 0
