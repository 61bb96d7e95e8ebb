"""Merkez's synchronous answers over HTTP: faults 2000/2001/2004/2006 (and injected
2002/2003/2005/2007), who may call, and that a refused request stores nothing."""

from __future__ import annotations

import base64
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select

from entegrator.envelope import md5_hex
from entegrator.gib import AlreadyReceived, QueueFailure, SystemFault, UnknownEnvelope
from entegrator.gib.messages import FaultDetail
from entegrator.gib.soap import read_fault, read_message
from entegrator.signing import Seal
from entegrator.simulator import Simulator
from entegrator.simulator.tables import envelope_data, envelopes
from entegrator.store.jobs import jobs
from entegrator.ubl.identifiers import ettn
from tests.simulator.conftest import SimEnv
from tests.simulator.support import X, Y, invoice, sender_envelope

SOAP12 = "application/soap+xml; charset=utf-8"


def soap_document(file_name: str, data: bytes, hash: str) -> bytes:
    """A hand-written sendDocument request (SOAP 1.2, inline base64)."""
    return (
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
        '<e:documentRequest xmlns:e="http://gib.gov.tr/vedop3/eFatura">'
        f"<fileName>{file_name}</fileName>"
        f"<binaryData>{base64.b64encode(data).decode()}</binaryData>"
        f"<hash>{hash}</hash></e:documentRequest></s:Body></s:Envelope>"
    ).encode()


def fault_code(response: httpx.Response) -> int | None:
    """The EFaturaFault code of a SOAP fault reply (None if it carries none)."""
    message = read_message(response.content, response.headers.get("content-type"),
                           max_bytes=1 << 20)
    fault = read_fault(message)
    assert fault is not None, response.text
    detail = FaultDetail.from_element(fault.detail)
    return None if detail is None else detail.code


def stored(env: SimEnv) -> tuple[int, int, int]:
    """(envelope rows, zip rows, jobs) in the simulator's database."""
    with env.db.transaction(read_only=True) as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()  # type: ignore[return-value]
                     for t in (envelopes, envelope_data, jobs))


def post(env: SimEnv, body: bytes, content_type: str = SOAP12,
         integrator: str = "a") -> httpx.Response:
    return httpx.post(Simulator.service_url(env.base, integrator), content=body,
                      headers={"content-type": content_type}, timeout=30)


def test_wrong_hash_is_2000_and_stores_nothing(env: SimEnv) -> None:
    name = f"{ettn.new()}.zip"
    response = post(env, soap_document(name, b"PK\x03\x04zarf", "0" * 32))
    assert (response.status_code, fault_code(response)) == (500, 2000)
    assert stored(env) == (0, 0, 0)


def test_upper_case_hash_is_accepted(env: SimEnv, seal: Callable[..., Seal]) -> None:
    zipped = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))]).zipped()
    response = post(env, soap_document(zipped.file_name, zipped.data, zipped.md5.upper()))
    assert response.status_code == 200
    assert zipped.md5.upper().encode() in response.content
    env.wait_status(zipped.file_name[:-4], 1300)


def test_bad_file_name_is_2006_and_stores_nothing(env: SimEnv) -> None:
    data = b"PK\x03\x04zarf"
    response = post(env, soap_document("fatura.zip", data, md5_hex(data)))
    assert fault_code(response) == 2006
    assert stored(env) == (0, 0, 0)


def test_repeated_envelope_id_is_2001(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    with pytest.raises(AlreadyReceived):
        env.a.send(built)
    assert stored(env)[0] >= 1
    env.wait_status(built.envelope_id, 1300)
    assert env.codes(built.envelope_id) == [1000, 1100, 1200, 1220, 1300]  # processed once


def test_stored_with_its_job_before_the_answer(env: SimEnv) -> None:
    env.sim.workers.stop()  # nothing processes: what the answer promises must already be there
    name = f"{ettn.new()}.zip"
    env.a.client.send_document(name, b"zarf")
    record = env.record(name[:-4])
    assert record is not None and record.status == 1000 and record.md5 == md5_hex(b"zarf")
    assert stored(env) == (1, 1, 1)


def test_unknown_envelope_is_2004(env: SimEnv) -> None:
    with pytest.raises(UnknownEnvelope):
        env.a.client.get_application_response(ettn.new())


def test_status_of_another_integrators_envelope_is_2004(env: SimEnv,
                                                        seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1300)
    with pytest.raises(UnknownEnvelope):
        env.b.client.get_application_response(built.envelope_id)


def test_status_is_polled_in_every_state(env: SimEnv) -> None:
    env.sim.workers.stop()
    name = f"{ettn.new()}.zip"
    env.a.client.send_document(name, b"zip degil")
    from entegrator.envelope import read_envelope, read_system_response

    answer = read_system_response(read_envelope(env.a.client.get_application_response(name[:-4])))
    assert answer.status == "1000"
    assert answer.sender.identifier == "3900383669"


@pytest.mark.parametrize(("code", "error"), [(2003, QueueFailure), (2005, SystemFault)])
def test_injected_send_fault(env: SimEnv, code: int, error: type[Exception]) -> None:
    response = env.admin("POST", "/admin/faults",
                         json={"kind": "send_fault", "code": code, "count": 1})
    assert response.status_code == 201
    name = f"{ettn.new()}.zip"
    with pytest.raises(error):
        env.a.client.send_document(name, b"zarf")
    assert stored(env) == (0, 0, 0)
    env.a.client.send_document(name, b"zarf")  # the rule was for one envelope only
    assert stored(env)[0] == 1


def test_shared_path_refuses_an_address_of_two_integrators(env: SimEnv) -> None:
    data = b"zarf"
    response = httpx.post(Simulator.service_url(env.base), timeout=30,
                          content=soap_document(f"{ettn.new()}.zip", data, md5_hex(data)),
                          headers={"content-type": SOAP12})
    assert response.status_code == 403
    assert fault_code(response) is None
    assert stored(env) == (0, 0, 0)


def test_shared_path_identifies_the_only_integrator(sim_factory: Callable[..., SimEnv],
                                                    seal: Callable[..., Seal]) -> None:
    env = sim_factory()
    env.admin("DELETE", "/admin/integrators/b")
    data = b"zarf"
    name = f"{ettn.new()}.zip"
    response = httpx.post(Simulator.service_url(env.base), timeout=30,
                          content=soap_document(name, data, md5_hex(data)),
                          headers={"content-type": SOAP12})
    assert response.status_code == 200
    record = env.record(name[:-4])
    assert record is not None and record.origin == "a"


def test_unknown_integrator_path_is_refused(env: SimEnv) -> None:
    data = b"zarf"
    response = post(env, soap_document(f"{ettn.new()}.zip", data, md5_hex(data)),
                    integrator="yok")
    assert response.status_code == 403
    assert stored(env) == (0, 0, 0)


def test_caller_outside_the_integrators_networks_is_refused(
        sim_factory: Callable[..., SimEnv]) -> None:
    env = sim_factory()
    env.admin("POST", "/admin/integrators", json={
        "id": "c", "name": "C", "vkn": "5555555553", "endpoint": "http://10.0.0.1/efatura",
        "networks": ["10.0.0.0/8"]})
    data = b"zarf"
    response = post(env, soap_document(f"{ettn.new()}.zip", data, md5_hex(data)),
                    integrator="c")
    assert response.status_code == 403
    assert stored(env) == (0, 0, 0)


def test_wsdl_is_served_on_the_integrator_path(env: SimEnv) -> None:
    response = httpx.get(Simulator.service_url(env.base, "a") + "?wsdl", timeout=30)
    assert response.status_code == 200
    assert b"sendDocument" in response.content
    assert Simulator.service_url(env.base, "a").encode() in response.content
