"""Malformed input to Merkez: the right fault or code, no crash, nothing half-stored."""

from __future__ import annotations

import io
import socket
import zipfile

import httpx
import pytest
from sqlalchemy import select

from entegrator.envelope import md5_hex
from entegrator.simulator import Simulator
from entegrator.store.jobs import JobState, jobs
from entegrator.ubl.identifiers import ettn
from tests.simulator.conftest import SimEnv
from tests.simulator.test_receiver import SOAP12, fault_code, post, soap_document, stored


def _bomb(envelope_id: str, size: int = 200 * 1024 * 1024) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open(f"{envelope_id}.xml", "w", force_zip64=True) as member:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return buffer.getvalue()


def _jobs_dead(env: SimEnv) -> int:
    with env.db.transaction(read_only=True) as conn:
        return len(conn.execute(select(jobs.c.id).where(jobs.c.state == JobState.DEAD.value))
                   .all())


def test_zip_bomb_is_1130_without_inflating(env: SimEnv) -> None:
    envelope_id = ettn.new()
    data = _bomb(envelope_id)
    assert len(data) < 1024 * 1024
    env.a.client.send_document(f"{envelope_id}.zip", data)
    assert env.wait_status(envelope_id, 1130, 1132, 1140) == 1130
    assert _jobs_dead(env) == 0


def test_dtd_inside_the_envelope_is_1132(env: SimEnv) -> None:
    envelope_id = ettn.new()
    xml = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaa">'
           b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><lol>&b;</lol>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{envelope_id}.xml", xml)
    env.a.client.send_document(f"{envelope_id}.zip", buffer.getvalue())
    assert env.wait_status(envelope_id, 1132, 1140) == 1132
    assert env.a.wait_responses(envelope_id)[0][1] == 1132


def test_declared_body_too_large_is_413(env: SimEnv) -> None:
    url = httpx.URL(Simulator.service_url(env.base, "a"))
    with socket.create_connection((url.host, url.port), timeout=30) as sock:
        sock.sendall(f"POST {url.path} HTTP/1.1\r\nHost: {url.host}\r\n"
                     f"Content-Type: {SOAP12}\r\nContent-Length: {64 * 1024 * 1024}\r\n\r\n"
                     "<x/>".encode())
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    assert status_line.split()[1] == b"413"
    assert stored(env) == (0, 0, 0)


def test_body_too_large_while_reading_is_413(env: SimEnv) -> None:
    response = post(env, b"<" * (env.sim.config.max_body_bytes + 1))
    assert response.status_code == 413
    assert stored(env) == (0, 0, 0)


def test_dtd_in_the_soap_request_is_refused(env: SimEnv) -> None:
    data = b"zarf"
    body = soap_document(f"{ettn.new()}.zip", data, md5_hex(data))
    body = b'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + body
    response = post(env, body)
    assert response.status_code >= 400
    assert fault_code(response) is None
    assert b"root:" not in response.content
    assert stored(env) == (0, 0, 0)


@pytest.mark.parametrize("body", [b"", b"garbage", b"<s:Envelope xmlns:s='x'/>",
                                  b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">'
                                  b"<s:Body><nope/></s:Body></s:Envelope>"])
def test_soap_garbage_is_a_fault(env: SimEnv, body: bytes) -> None:
    response = post(env, body)
    assert response.status_code == 500
    assert fault_code(response) is None
    assert stored(env) == (0, 0, 0)


def test_wrong_content_type_is_415(env: SimEnv) -> None:
    data = b"zarf"
    response = post(env, soap_document(f"{ettn.new()}.zip", data, md5_hex(data)),
                    content_type="application/json")
    assert response.status_code == 415
    assert stored(env) == (0, 0, 0)


def test_missing_binary_data_is_a_fault(env: SimEnv) -> None:
    body = soap_document(f"{ettn.new()}.zip", b"", md5_hex(b"")).replace(
        b"<binaryData></binaryData>", b"")
    response = post(env, body)
    assert response.status_code == 500
    assert stored(env) == (0, 0, 0)


def test_server_keeps_working_after_garbage(env: SimEnv) -> None:
    for body in (b"\xff\xfe\x00", b"<" * 10_000):
        post(env, body)
    name = f"{ettn.new()}.zip"
    env.a.client.send_document(name, b"zarf")
    assert env.wait_status(name[:-4], 1110) == 1110
