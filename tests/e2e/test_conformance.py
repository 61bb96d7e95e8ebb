"""The conformance suite with the REAL integrator: GİB's test plan (e-Fatura Test Planı v1.3
§4, §5.1, §5.2, §6, §7) and the Özel Entegrasyon guide's user-account tests (§6), scenario by
scenario, driving integrator A's client and server against the simulator.

The same scenarios as tests/simulator/test_conformance.py, which runs them against a stand-in
integrator; here integrator A (its own processes: web service and worker) is the "Kurum" under
test, and its counterpart is the simulator's GİB portal user (Test Araçları). Each test names
the plan's items it covers. The performance items (§5.1.3, §5.2.3) keep the plan's shapes (one
envelope of many invoices, many envelopes of one, many of many) with fewer invoices and assert
the behaviour only — every envelope reaches 1300 with all its invoices; their timing is
measured by bench/gib.py (``--receiver real``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from entegrator.core import registration, responses, tenants, userlist
from entegrator.core.outbound import Request, submit, submit_many
from entegrator.envelope import read_envelope, read_system_response
from entegrator.gib import GibClient, GibClientConfig, HashMismatch, InvalidFileName
from entegrator.store import StoreConfig
from entegrator.store.domain import documents, taxpayer_aliases
from entegrator.store.tenancy import all_tenants
from entegrator.ubl import load_invoice
from tests.core.support import SUPPLIER, CorePki
from tests.e2e.crafted import Tampering, envelope, sealed_invoice
from tests.e2e.world import (
    EXAMPLES,
    GIB_VKN,
    PORTAL,
    World,
    running_world,
    today,
    wait_for,
)

pytestmark = pytest.mark.slow

DELIVERED = [1000, 1100, 1200, 1220, 1300]
#: The plan's (envelopes, invoices per envelope): 1×10, 10×1, 1×100, 10×100 — fewer here.
PERFORMANCE = pytest.mark.parametrize(("envelopes", "per"), [(1, 10), (5, 1), (1, 50), (3, 20)],
                                      ids=["a-1x10", "b-5x1", "c-1x50", "d-3x20"])


@pytest.fixture(scope="module")
def world(stores: tuple[StoreConfig, StoreConfig], e2e_pki: CorePki,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    directory: Path = tmp_path_factory.mktemp("conformance")
    with running_world(directory, e2e_pki, *stores) as started:
        # A downloads GİB's user lists (where the portal user is) before the tests.
        userlist.refresh(started.a.integrator, full=True)
        yield started


def to_portal(name: str = "01-temel-satis.json", **changes: Any) -> Any:
    """An invoice of ``examples/`` from X to the GİB portal user, issued today."""
    spec = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    for key in ("number", "ettn", "issue_time"):
        spec.pop(key, None)
    spec["issue_date"] = today()
    spec["customer"] = {**spec["customer"], "vkn": PORTAL.vkn, "name": PORTAL.title,
                        "alias": PORTAL.pk}
    spec.update(changes)
    return load_invoice(spec)


def _merkez_status(world: World, envelope_id: str) -> int:
    """getApplicationResponse through A's own client (§5.1.1 g, §5.2.1 f)."""
    answer = world.a.integrator.gib_client.get_application_response(envelope_id)
    return int(read_system_response(read_envelope(answer)).status_code.code)


def _answers(world: World, envelope_id: str, count: int = 2) -> dict[str, int]:
    """Who answered A's envelope and with which code (Merkez and the receiver)."""
    rows = wait_for(lambda: len(got := [r for r in world.a.answers_to(envelope_id)
                                        if r.state == "processed"]) >= count and got,
                    what=f"{count} system responses at A")
    return {r.sender_vkn_tckn: world.a.carried_code(r) for r in rows}


def _inbox(world: World) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = world.sim.admin("GET", f"/admin/portal/{PORTAL.vkn}/inbox")
    return result


def _portal_sends(world: World, **body: Any) -> list[str]:
    sent = world.sim.admin("POST", f"/admin/portal/{PORTAL.vkn}/send", json={
        "receiver_vkn": SUPPLIER.vkn, "receiver_alias": SUPPLIER.pk, **body})
    envelopes: list[str] = sent["envelopes"]
    return envelopes


# --- §4 Erişim testleri -----------------------------------------------------------------------


def test_4_access_both_ways(world: World) -> None:
    for url in (world.a.merkez_url, world.a.url):  # Merkez's service and A's own
        wsdl = httpx.get(url + "?wsdl", timeout=30)
        assert wsdl.status_code == 200 and b"sendDocument" in wsdl.content
    report = world.sim.admin("POST", "/admin/gib/faulty-requests", json={"integrator": "a"})
    assert report["hash"]["code"] == 2000 and report["file_name"]["code"] == 2006


# --- §5.1 Gönderici birim testleri ------------------------------------------------------------


def test_5_1_1_sender_unit_works(world: World) -> None:
    a = world.a
    result = submit(a.integrator, a.caller, to_portal(), channel="api")  # a
    sent = a.wait_document(result.ettn, "OUT", "send_succeed")
    envelope_id = sent.envelope_uuid
    assert _answers(world, envelope_id) == {GIB_VKN: 1200, PORTAL.vkn: 1200}  # b, c, e, f
    inbox = [row for row in _inbox(world) if row["envelope_id"] == envelope_id.lower()]
    assert [(r["kind"], r["document_uuid"].lower(), r["number"]) for r in inbox] == [
        ("INVOICE", result.ettn.lower(), sent.number)]  # d
    assert _merkez_status(world, envelope_id) == 1300  # g: BASARIYLA TAMAMLANDI
    assert sent.gib_status_code == 1300
    assert world.sim.codes(envelope_id) == DELIVERED


@pytest.mark.parametrize("case", ["hash", "file_name"])
def test_5_1_2_a_and_5_2_2_a_a_sees_merkezs_faults(world: World, case: str) -> None:
    seal = world.a.integrator.seals.seal_for(SUPPLIER.vkn)
    zipped = envelope([sealed_invoice(seal)]).zipped()
    old, new, error, code = {
        "hash": (f"<hash>{zipped.md5}</hash>", "<hash>" + "0" * 32 + "</hash>",
                 HashMismatch, 2000),
        "file_name": (f"<fileName>{zipped.file_name}</fileName>",
                      "<fileName>zarf.zip</fileName>", InvalidFileName, 2006),
    }[case]
    client = GibClient(GibClientConfig(world.a.merkez_url),
                       Tampering(world.transport, old.encode(), new.encode()))
    with pytest.raises(error) as raised:
        client.send_document(zipped.file_name, zipped.data)
    assert raised.value.code == code and raised.value.msg  # the code and GİB's message
    assert world.sim.envelope(zipped.file_name[:-4]) is None


def test_5_1_2_b_and_5_2_2_b_a_answers_with_efatura_faults(world: World) -> None:
    report = world.sim.admin("POST", "/admin/gib/faulty-requests", json={"integrator": "a"})
    assert {case: (r["code"], r["ok"]) for case, r in report.items()} == {
        "hash": (2000, True), "file_name": (2006, True)}
    assert all(r["msg"] for r in report.values())


def _sent_in_envelopes(world: World, batches: list[list[Any]], per: int) -> list[str]:
    """Submit each batch when the previous one has been packed; wait for all to be delivered;
    return the envelope ids (each batch must be one envelope)."""
    a = world.a
    ettns = []
    for batch in batches:
        results = submit_many(a.integrator, a.caller, [Request(i) for i in batch],
                              channel="api")
        ettns.extend(r.ettn for r in results)
        last = results[-1].ettn
        wait_for(lambda e=last: (row := a.document(e, "OUT")) is not None
                 and row.state != "queued", what="the batch packed")
    rows = [a.wait_document(e, "OUT", "send_succeed", timeout=300) for e in ettns]
    envelopes = sorted({row.envelope_uuid for row in rows})
    assert len(envelopes) == len(batches)
    for envelope_id in envelopes:
        assert world.sim.wait_status(envelope_id, 1300, timeout=300) == 1300
        assert world.sim.envelope(envelope_id)["element_count"] == per
    return envelopes


@PERFORMANCE
def test_5_1_3_sender_unit_performance(world: World, envelopes: int, per: int) -> None:
    batches = [[to_portal(notes=[f"{e}/{i}"]) for i in range(per)] for e in range(envelopes)]
    _sent_in_envelopes(world, batches, per)


# --- §5.2 Posta kutusu testleri ---------------------------------------------------------------


def _received_and_answered(world: World, envelope_id: str, count: int) -> list[Any]:
    """A received ``envelope_id`` with ``count`` invoices, answered 1200, Merkez has 1300."""
    a = world.a
    row = wait_for(lambda: (r := a.envelope(envelope_id, "IN")) is not None
                   and r.state == "processed" and r, timeout=300, what=f"A got {envelope_id}")
    assert (row.type, row.gib_status_code, row.document_count) == ("SENDERENVELOPE", 1200,
                                                                   count)
    answer = a.envelope(row.response_envelope_uuid, "OUT")
    assert (answer.type, a.carried_code(answer)) == ("SYSTEMENVELOPE", 1200)  # d
    assert world.sim.wait_status(envelope_id, 1300, timeout=300) == 1300  # e
    return [r for r in [a.document(e, "IN") for e in _ettns(world, envelope_id)] if r]


def _ettns(world: World, envelope_id: str) -> list[str]:
    with world.a.db.transaction(read_only=True) as conn:
        return list(conn.execute(all_tenants(select(documents.c.ettn).where(
            documents.c.envelope_uuid == envelope_id.lower(),
            documents.c.direction == "IN"))).scalars())


def test_5_2_1_postbox_works(world: World) -> None:
    (envelope_id,) = _portal_sends(world, profile="TEMELFATURA")  # a
    received = _received_and_answered(world, envelope_id, 1)  # b, c, d, e
    assert [(r.state, r.counterpart_vkn_tckn) for r in received] == [("received", PORTAL.vkn)]
    answer = world.a.envelope(world.a.envelope(envelope_id, "IN").response_envelope_uuid, "OUT")
    assert _merkez_status(world, answer.envelope_uuid) in (1200, 1300)  # f


@PERFORMANCE
def test_5_2_3_postbox_performance(world: World, envelopes: int, per: int) -> None:
    sent = _portal_sends(world, profile="TEMELFATURA", envelopes=envelopes, invoices=per)
    assert len(sent) == envelopes
    for envelope_id in sent:
        received = _received_and_answered(world, envelope_id, per)
        assert len(received) == per and {r.state for r in received} == {"received"}


# --- §6 Ticari fatura senaryosu -------------------------------------------------------------


@pytest.mark.parametrize(("code", "final"), [("KABUL", "accepted"), ("RED", "rejected")])
def test_6_1_sender_unit_gets_the_portals_answer(world: World, code: str, final: str) -> None:
    a = world.a
    result = submit(a.integrator, a.caller, to_portal("32-ticari-satis.json"), channel="api")
    sent = a.wait_document(result.ettn, "OUT", "send_wait_application_response")
    assert [r["number"] for r in _inbox(world)
            if r["document_uuid"].lower() == result.ettn.lower()] == [sent.number]  # a
    postbox = world.sim.admin("POST", f"/admin/portal/{PORTAL.vkn}/respond", json={
        "ettn": result.ettn, "code": code, "reason": "test planı"})["envelope"]  # b
    answered = a.wait_document(result.ettn, "OUT", final)  # c, d
    assert answered.response_code == code
    arrived = a.envelope(postbox, "IN")
    assert (arrived.type, arrived.state, arrived.gib_status_code) == (
        "POSTBOXENVELOPE", "processed", 1200)
    ours = a.envelope(arrived.response_envelope_uuid, "OUT")
    assert a.carried_code(ours) == 1200  # e
    assert world.sim.wait_status(postbox, 1300) == 1300
    assert sent.envelope_uuid == answered.envelope_uuid


@pytest.mark.parametrize(("code", "final"), [("KABUL", "accept_succeed"),
                                              ("RED", "reject_succeed")])
def test_6_2_postbox_answers_the_portals_invoice(world: World, code: str, final: str) -> None:
    a = world.a
    (envelope_id,) = _portal_sends(world, profile="TICARIFATURA")
    [received] = _received_and_answered(world, envelope_id, 1)  # a
    assert received.state == "receive_wait_application_response"
    answered = responses.respond(a.integrator, a.caller, received.id, code,
                                 None if code == "KABUL" else "Sipariş dışı")  # b, c
    done = a.wait_document(received.ettn, "IN", final)
    assert done.gib_status_code == 1300
    assert _answers(world, answered.envelope_uuid) == {GIB_VKN: 1200, PORTAL.vkn: 1200}  # d, e
    inbox = [(row["kind"], row["document_type"], row["reference"]) for row in _inbox(world)
             if row["envelope_id"] == answered.envelope_uuid.lower()]
    assert inbox == [("APPLICATIONRESPONSE", code, received.ettn.lower())]


# --- §7 Diğer testler ---------------------------------------------------------------------


def test_7_a_zero_vat_invoice_with_exemption(world: World) -> None:
    a = world.a
    result = submit(a.integrator, a.caller, to_portal("11-temel-kdv-sifir-satis.json"),
                    channel="api")
    sent = a.wait_document(result.ettn, "OUT", "send_succeed")
    assert world.sim.codes(sent.envelope_uuid) == DELIVERED
    print(f"\n§7 a: KDV'si sıfır fatura {sent.number}, zarf {sent.envelope_uuid}")


def test_7_b_sender_unit_accepts_gibs_unreferenced_response(world: World) -> None:
    a = world.a
    before = a.counts()["documents"]
    envelope_id = world.sim.admin("POST", "/admin/gib/system-response",
                                  json={"integrator": "a"})["envelope"]
    row = wait_for(lambda: (r := a.envelope(envelope_id, "IN")) is not None
                   and r.state == "processed" and r, what="GİB's system response at A")
    assert (row.type, row.sender_alias, row.response_envelope_uuid) == (
        "SYSTEMENVELOPE", "GIB", None)  # kept, never answered
    assert a.counts()["documents"] == before


def test_7_c_postbox_rejects_gibs_invalid_invoice(world: World) -> None:
    a = world.a
    before = a.counts()["documents"]
    envelope_id = world.sim.admin("POST", "/admin/gib/invalid-envelope", json={
        "vkn": SUPPLIER.vkn, "alias": SUPPLIER.pk})["envelope"]
    row = wait_for(lambda: (r := a.envelope(envelope_id, "IN")) is not None
                   and r.state == "processed" and r, what="GİB's test envelope at A")
    assert row.gib_status_code == 1160
    assert a.carried_code(a.envelope(row.response_envelope_uuid, "OUT")) == 1160
    assert world.sim.wait_status(envelope_id, 1230) == 1230
    assert a.counts()["documents"] == before  # nothing reached the mailbox


# --- Özel Entegrasyon Kılavuzu §6: user accounts ------------------------------------------


def _alias_state(world: World, alias: str) -> str:
    with world.a.db.transaction(read_only=True) as conn:
        return str(conn.execute(all_tenants(select(taxpayer_aliases.c.gib_state).where(
            taxpayer_aliases.c.alias == alias))).scalar_one())


def _at_merkez(world: World, alias: str) -> tuple[str, str | None] | None:
    users = world.sim.admin("GET", f"/admin/users?vkn={SUPPLIER.vkn}")
    found = [x for user in users for x in user["aliases"] if x["name"] == alias]
    return (found[0]["integrator"], found[0]["deleted_at"]) if found else None


def test_oek_6_opens_and_closes_an_alias_with_user_envelopes(world: World) -> None:
    a = world.a
    alias = "urn:mail:subepk@anadolubilisim.com.tr"
    with a.db.transaction() as conn:
        tenants.add_alias(conn, a.caller, alias, "PK", default=False, clock=a.integrator.clock)
    opened = registration.register_aliases(a.integrator, a.caller, aliases=[alias])
    assert world.sim.wait_status(opened.envelope_uuid, 1300, 1182) == 1300  # 6.1, 6.2
    assert _merkez_status(world, opened.envelope_uuid) == 1300  # 6.1 d
    wait_for(lambda: _alias_state(world, alias) == "registered", what="alias registered")
    assert _at_merkez(world, alias) == ("a", None)

    closed = registration.cancel_aliases(a.integrator, a.caller, [alias])  # 6.5
    assert world.sim.wait_status(closed.envelope_uuid, 1300, 1183) == 1300
    wait_for(lambda: _alias_state(world, alias) == "cancelled", what="alias cancelled")
    merkez = _at_merkez(world, alias)
    assert merkez is not None and merkez[1] is not None
