"""Malformed input to both servers — the simulator (Merkez) and integrator B's EFatura
endpoint, each in its own process: the right fault or status code, no crash, nothing
half-stored, and both still work afterwards.

A request refused at the SOAP/HTTP level (wrong hash or file name, oversize, DTD, garbage,
wrong content type) stores nothing at all. A well-formed request whose zip is bad is stored
whole and then judged: Merkez answers the caller with the status code, B records the code on
its envelope row (there is no sender to answer, docs/decisions/core-inbound.md) — never a
document, never an answer to nobody.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from entegrator.core.outbound import submit
from entegrator.envelope import (
    EnvelopeHeader,
    EnvelopeType,
    build_envelope,
    md5_hex,
    read_envelope,
    read_system_response,
)
from entegrator.gib import UnknownEnvelope
from entegrator.store import StoreConfig
from entegrator.ubl.identifiers import ettn
from tests.core.support import CorePki
from tests.e2e.crafted import X, Y
from tests.e2e.world import GIB_VKN, World, example, now_turkey, running_world, wait_for
from tests.simulator.support import invoice
from tests.simulator.test_malformed import _bomb
from tests.simulator.test_receiver import SOAP12, fault_code, soap_document
from tests.ziputil import zip_of

pytestmark = pytest.mark.slow

TARGETS = ("merkez", "b")


@pytest.fixture(scope="module")
def world(stores: tuple[StoreConfig, StoreConfig], e2e_pki: CorePki,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    directory: Path = tmp_path_factory.mktemp("malformed")
    with running_world(directory, e2e_pki, *stores) as started:
        yield started


def _url(world: World, target: str) -> str:
    return world.a.merkez_url if target == "merkez" else world.b.url


def _stored(world: World, target: str) -> dict[str, int]:
    return world.sim.stored() if target == "merkez" else world.b.counts()


def _post(world: World, target: str, body: bytes, content_type: str = SOAP12) -> httpx.Response:
    return httpx.post(_url(world, target), content=body, timeout=60,
                      headers={"content-type": content_type})


def _judged(world: World, target: str, envelope_id: str, code: int, *,
            addressed: bool) -> None:
    """A stored bad zip got ``code``: Merkez answered A with it; B recorded it and answered
    only when the envelope's header could be read (there is nobody to answer otherwise)."""
    if target == "merkez":
        assert world.sim.wait_status(envelope_id, code, 1200, 1300) == code
        assert world.sim.codes(envelope_id) == [1000, 1100, code]
        answer = wait_for(lambda: [r for r in world.a.answers_to(envelope_id)
                                   if r.state == "processed"], what="Merkez's answer at A")
        assert [(r.sender_vkn_tckn, world.a.carried_code(r)) for r in answer] == [
            (GIB_VKN, code)]
        return
    b = world.b
    row = wait_for(lambda: (r := b.envelope(envelope_id, "IN")) is not None
                   and r.state == "processed" and r, what=f"B processed {envelope_id}")
    assert (row.gib_status_code, row.tenant_id) == (code, None)
    if not addressed:
        assert row.response_envelope_uuid is None and b.answers_to(envelope_id, "OUT") == []
        with pytest.raises(UnknownEnvelope):  # nothing to hand Merkez when it polls
            b.endpoint_client(world.transport).get_application_response(envelope_id)
        return
    # The answer names the id in the envelope's header (for 1142 not the zip's name).
    answer = b.envelope(row.response_envelope_uuid, "OUT")
    assert (answer.type, b.carried_code(answer)) == ("SYSTEMENVELOPE", code)
    polled = b.endpoint_client(world.transport).get_application_response(envelope_id)
    assert read_system_response(read_envelope(polled)).status_code.code == code


def _stored_whole(world: World, target: str, before: dict[str, int], *,
                  answered: bool) -> None:
    """One envelope with its zip and its job (B: its archive entry, and its answer when it
    could address one); no document."""
    after = _stored(world, target)
    if target == "merkez":
        assert after["sim_envelopes"] >= before["sim_envelopes"] + 1
        assert after["sim_envelope_data"] - before["sim_envelope_data"] == \
            after["sim_envelopes"] - before["sim_envelopes"]
        return
    extra = 1 if answered else 0  # our system response: its row, its zip, its send job
    assert (after["envelopes"], after["archive"], after["documents"]) == (
        before["envelopes"] + 1 + extra, before["archive"] + 1 + extra, before["documents"])
    assert after["jobs"] == before["jobs"] + 1 + extra


# --- bad zips: stored, then judged ----------------------------------------------------------


def _envelope_xml(envelope_id: str) -> bytes:
    """A well-formed SENDERENVELOPE with id ``envelope_id`` (its contents never matter here:
    the zip is refused before them)."""
    header = EnvelopeHeader(envelope_id, EnvelopeType.SENDER, X.sender, Y.receiver,
                            now_turkey())
    return build_envelope(header, [invoice(X, Y, None)]).xml


#: case → (zip for an envelope id, code, whether B can address an answer: its header reads).
BAD_ZIPS: dict[str, tuple[Callable[[str], bytes], int, bool]] = {
    "not a zip": (lambda _id: b"bu bir zip dosyasi degil", 1110, False),
    "zip bomb": (_bomb, 1130, False),
    "two files": (lambda i: zip_of({f"{i}.xml": b"<a/>", "ek.xml": b"<b/>"}), 1131, False),
    "not XML": (lambda i: zip_of({f"{i}.xml": b"\x00\x01 xml degil"}), 1132, False),
    "DTD in the envelope": (lambda i: zip_of({f"{i}.xml": (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><lol>&b;</lol>')}), 1132, False),
    "not an envelope": (lambda i: zip_of({f"{i}.xml": b"<a/>"}), 1140, False),
    "wrong name inside": (lambda i: zip_of({"fatura.xml": _envelope_xml(i)}), 1133, True),
    "path in the name inside": (lambda i: zip_of({f"../{i}.xml": _envelope_xml(i)}), 1133,
                                False),
    "zip named after another id": (
        lambda _i: zip_of({f"{(other := ettn.new())}.xml": _envelope_xml(other)}), 1142, True),
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("case", sorted(BAD_ZIPS))
def test_bad_zip_is_stored_whole_and_gets_its_code(world: World, target: str,
                                                   case: str) -> None:
    make, code, addressed = BAD_ZIPS[case]
    envelope_id = ettn.new()
    data = make(envelope_id)
    before = _stored(world, target)
    client = world.a.client(world.transport) if target == "merkez" else \
        world.b.endpoint_client(world.transport)
    client.send_document(f"{envelope_id}.zip", data)
    _judged(world, target, envelope_id, code, addressed=addressed)
    _stored_whole(world, target, before, answered=target == "b" and addressed)


# --- refused requests: nothing stored -------------------------------------------------------


def _refused(world: World, target: str, request: Callable[[], Any]) -> Any:
    before = _stored(world, target)
    result = request()
    assert _stored(world, target) == before
    return result


@pytest.mark.parametrize("target", TARGETS)
def test_wrong_hash_is_fault_2000(world: World, target: str) -> None:
    data = zip_of({"x.xml": b"<a/>"})
    response = _refused(world, target, lambda: _post(world, target, soap_document(
        f"{ettn.new()}.zip", data, "0" * 32)))
    assert (response.status_code, fault_code(response)) == (500, 2000)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", ["fatura.zip", "zarf.xml", "../../etc/passwd.zip", ""])
def test_wrong_file_name_is_fault_2006(world: World, target: str, name: str) -> None:
    data = zip_of({"x.xml": b"<a/>"})
    response = _refused(world, target, lambda: _post(world, target, soap_document(
        name, data, md5_hex(data))))
    assert (response.status_code, fault_code(response)) == (500, 2006)


@pytest.mark.parametrize("target", TARGETS)
def test_huge_declared_content_length_is_413(world: World, target: str) -> None:
    url = httpx.URL(_url(world, target))

    def request() -> bytes:
        with socket.create_connection((url.host, url.port), timeout=30) as sock:
            sock.sendall(f"POST {url.path} HTTP/1.1\r\nHost: {url.host}\r\n"
                         f"Content-Type: {SOAP12}\r\nContent-Length: {8 * 1024 ** 3}\r\n\r\n"
                         "<x/>".encode())
            return sock.recv(4096).split(b"\r\n", 1)[0]

    assert _refused(world, target, request).split()[1] == b"413"


@pytest.mark.parametrize("target", TARGETS)
def test_body_larger_than_the_limit_is_413(world: World, target: str) -> None:
    body = b"<" * (40 * 1024 * 1024)  # above both servers' limits (16 and 32 MB)
    response = _refused(world, target, lambda: _post(world, target, body))
    assert response.status_code == 413


@pytest.mark.parametrize("target", TARGETS)
def test_dtd_in_the_soap_request_is_refused(world: World, target: str) -> None:
    data = zip_of({"x.xml": b"<a/>"})
    body = b'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + soap_document(
        f"{ettn.new()}.zip", data, md5_hex(data))
    response = _refused(world, target, lambda: _post(world, target, body))
    assert response.status_code >= 400 and fault_code(response) is None
    assert b"root:" not in response.content


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("body", [
    b"", b"garbage", b"\xff\xfe\x00\x01", b"<" * 10_000, b"<s:Envelope xmlns:s='x'/>",
    b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><nope/>'
    b"</s:Body></s:Envelope>",
    b'<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
    b'<e:documentRequest xmlns:e="http://gib.gov.tr/vedop3/eFatura"><fileName>a.zip'
    b"</fileName></e:documentRequest></s:Body></s:Envelope>",
], ids=["empty", "text", "binary", "brackets", "wrong-ns", "unknown-op", "no-data"])
def test_soap_garbage_is_a_fault(world: World, target: str, body: bytes) -> None:
    response = _refused(world, target, lambda: _post(world, target, body))
    assert response.status_code == 500
    assert b"Fault" in response.content


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("content_type", ["application/json", "text/plain",
                                          "multipart/related; boundary=x"])
def test_wrong_content_type_is_refused(world: World, target: str, content_type: str) -> None:
    data = zip_of({"x.xml": b"<a/>"})
    response = _refused(world, target, lambda: _post(world, target, soap_document(
        f"{ettn.new()}.zip", data, md5_hex(data)), content_type))
    assert response.status_code in (415, 500)
    assert b"Fault" in response.content


def test_both_still_work_afterwards(world: World) -> None:
    a, b = world.a, world.b
    result = submit(a.integrator, a.caller, example("01-temel-satis.json"), channel="api")
    sent = a.wait_document(result.ettn, "OUT", "send_succeed")
    assert sent.gib_status_code == 1300
    assert world.sim.codes(sent.envelope_uuid) == [1000, 1100, 1200, 1220, 1300]
    assert b.wait_document(result.ettn, "IN", "received")
    for process in [*a.processes, *b.processes]:
        assert process.alive, process.log_tail()
    assert world.sim.process is not None and world.sim.process.poll() is None
