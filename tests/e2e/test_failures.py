"""Issue 4's failure classes end to end, with the simulator and integrators A and B in their
own processes: each fault or status code as Merkez (and integrator B) gives it, and what A's
real pipeline makes of it.

Raw envelopes are A's taxpayer's documents sealed with its real seal and sent with
:class:`~entegrator.gib.GibClient` on A's Merkez path — what A's own validation would never
send. A's pipeline meets the same codes through the simulator's ``force_code`` fault rule.
A resends nothing automatically here (``max_auto_resends = 0``), so every failure stays visible.
On SQLite and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert

from entegrator.core import documents as core_documents
from entegrator.core.config import EntegratorConfig
from entegrator.core.errors import ProfileRuleViolation
from entegrator.core.outbound import register, resend, submit
from entegrator.core.outbound.jobkinds import PREPARE
from entegrator.envelope import Party
from entegrator.gib import AlreadyReceived, GibClient, GibClientConfig, HashMismatch
from entegrator.signing import Seal
from entegrator.store import StoreConfig
from entegrator.store.domain import gib_user_aliases
from entegrator.store.jobs import HandlerRegistry, Worker, WorkerConfig
from entegrator.ubl.xml import parse
from tests.core.support import CUSTOMER, SUPPLIER, CorePki
from tests.e2e.crafted import (
    Tampering,
    envelope,
    not_in_the_xsd,
    sealed_invoice,
    tampered_item,
    unknown_profile,
)
from tests.e2e.world import GIB_VKN, World, example, running_world, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize(
        "stores", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
        indirect=True, scope="module"),
]

DELIVERED = [1000, 1100, 1200, 1220, 1300]


def _no_auto_resend(name: str, config: EntegratorConfig) -> EntegratorConfig:
    if name != "a":
        return config
    return replace(config, outbound=replace(config.outbound, max_auto_resends=0))


@pytest.fixture(scope="module")
def world(stores: tuple[StoreConfig, StoreConfig], e2e_pki: CorePki,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    directory: Path = tmp_path_factory.mktemp("failures")
    with running_world(directory, e2e_pki, *stores, configure=_no_auto_resend) as started:
        yield started


@pytest.fixture(autouse=True)
def _no_faults(world: World) -> Iterator[None]:
    world.sim.clear_faults()
    yield
    world.sim.clear_faults()


@pytest.fixture(scope="module")
def seal(world: World) -> Seal:
    """X's own seal, as integrator A holds it."""
    return world.a.integrator.seals.seal_for(SUPPLIER.vkn)


def _send_raw(world: World, built: Any) -> str:
    zipped = built.zipped()
    world.a.client(world.transport).send_document(zipped.file_name, zipped.data)
    return str(zipped.file_name[:-4])


def _merkez_answer_at_a(world: World, envelope_id: str, code: int) -> None:
    """Merkez's system response with ``code`` reached A (which keeps and ignores it: the
    envelope was not sent by A's pipeline)."""
    answers = wait_for(lambda: [r for r in world.a.answers_to(envelope_id)
                                if r.state == "processed"], what=f"{code} at A")
    assert [(r.sender_vkn_tckn, r.gib_status_code, world.a.carried_code(r)) for r in answers] \
        == [(GIB_VKN, 1200, code)]


def _pipeline_fails(world: World, code: int, name: str = "01-temel-satis.json",
                    **options: Any) -> Any:
    """Submit at A; wait until the invoice is SEND_FAILED with ``code``; return its row."""
    result = submit(world.a.integrator, world.a.caller, example(name), channel="api", **options)
    row = world.a.wait_document(result.ettn, "OUT", "send_failed")
    assert row.gib_status_code == code
    assert world.a.envelope(row.envelope_uuid, "OUT").state == "failed"
    assert world.b.document(result.ettn, "IN") is None
    return row


def _failed_path(world: World, row: Any, code: int) -> None:
    history = world.a.history(row.id)
    assert history[0][0] == "queued" and history[-1] == ("send_failed", code)
    assert [s for s, _ in history].count("send_failed") == 1


# --- synchronous faults -----------------------------------------------------------------------


def test_bad_hash_is_fault_2000_at_merkez_and_at_b(world: World, seal: Seal) -> None:
    zipped = envelope([sealed_invoice(seal)]).zipped()
    before = world.b.counts()
    wrong = Tampering(world.transport, f"<hash>{zipped.md5}</hash>".encode(),
                      b"<hash>" + b"0" * 32 + b"</hash>")
    for url in (world.a.merkez_url, world.b.url):
        with pytest.raises(HashMismatch) as raised:
            GibClient(GibClientConfig(url), wrong).send_document(zipped.file_name, zipped.data)
        assert raised.value.code == 2000
    assert world.sim.envelope(zipped.file_name[:-4]) is None
    assert world.b.counts() == before


def test_duplicate_envelope_is_fault_2001_at_merkez_and_at_b(world: World) -> None:
    a, b = world.a, world.b
    result = submit(a.integrator, a.caller, example("01-temel-satis.json"), channel="api")
    row = a.wait_document(result.ettn, "OUT", "send_succeed")
    with a.db.transaction(read_only=True) as conn:
        ref = a.envelope(row.envelope_uuid, "OUT").archive_ref
        data = a.integrator.archive.get(conn, ref)
    name = f"{row.envelope_uuid}.zip"
    before, codes = b.counts(), world.sim.codes(row.envelope_uuid)
    with pytest.raises(AlreadyReceived):  # A sends it again
        a.client(world.transport).send_document(name, data)
    with pytest.raises(AlreadyReceived):  # Merkez delivers it again
        b.endpoint_client(world.transport).send_document(name, data)
    assert b.counts() == before
    assert world.sim.codes(row.envelope_uuid) == codes == DELIVERED


def test_a_counts_2001_as_sent(world: World) -> None:
    """A's send job meets 2001 (Merkez already has the envelope, e.g. the answer to an earlier
    attempt was lost): the envelope counts as sent and the invoice goes on."""
    a = world.a
    a.stop("worker")
    try:
        result = submit(a.integrator, a.caller, example("01-temel-satis.json"), channel="api")
        every = HandlerRegistry()
        register(every, a.integrator)
        Worker(a.db, HandlerRegistry([every.get(PREPARE)]), WorkerConfig(poll_interval=0.0),
               clock=a.integrator.clock).run_until_idle()
        row = a.document(result.ettn, "OUT")
        assert row.state == "sending"
        packed = a.envelope(row.envelope_uuid, "OUT")
        with a.db.transaction(read_only=True) as conn:
            data = a.integrator.archive.get(conn, packed.archive_ref)
        # Merkez gets the envelope first and holds it for 20 GİB hours (20 s here).
        world.sim.add_fault(kind="delay", seconds=20 * 3600.0, envelope_id=row.envelope_uuid)
        a.client(world.transport).send_document(f"{row.envelope_uuid}.zip", data)
    finally:
        a.start_role("worker")
    sent = a.wait_document(result.ettn, "OUT", "send_wait_gib_response")
    assert world.sim.status(sent.envelope_uuid) == 1000  # nothing came from Merkez yet
    envelope_row = a.envelope(sent.envelope_uuid, "OUT")
    assert (envelope_row.state, envelope_row.attempts, envelope_row.last_error) == (
        "sent", 1, None)
    done = a.wait_document(result.ettn, "OUT", "send_succeed", timeout=120)
    assert done.gib_status_code == 1300 and "send_failed" not in a.states(done.id)
    assert world.sim.codes(done.envelope_uuid) == DELIVERED
    assert world.b.wait_document(result.ettn, "IN", "received")


# --- Merkez's status codes ----------------------------------------------------------------


def test_duplicate_invoice_is_1163(world: World, seal: Seal) -> None:
    a = world.a
    result = submit(a.integrator, a.caller, example("01-temel-satis.json"), channel="api")
    row = a.wait_document(result.ettn, "OUT", "send_succeed")
    signed = core_documents.document_xml(a.integrator, a.caller, row.id)
    again = _send_raw(world, envelope([parse(signed)]))  # same ETTN and number, new envelope
    assert world.sim.wait_status(again, 1163, 1300) == 1163
    assert world.sim.codes(again) == [1000, 1100, 1163]
    _merkez_answer_at_a(world, again, 1163)
    assert world.b.envelope(again, "IN") is None
    assert a.document_by_id(row.id).state == "send_succeed"

    world.sim.add_fault(kind="force_code", code=1163, integrator="a", count=1,
                        envelope_type="SENDERENVELOPE")
    failed = _pipeline_fails(world, 1163)
    _failed_path(world, failed, 1163)
    with pytest.raises(ProfileRuleViolation):  # GİB forbids sending it again
        resend(a.integrator, a.caller, failed.id)


def test_unknown_alias_is_1181(world: World, seal: Seal) -> None:
    nobody = Party("urn:mail:yok@karadenizgida.com.tr", CUSTOMER.vkn)
    raw = _send_raw(world, envelope([sealed_invoice(seal)], receiver=nobody))
    assert world.sim.wait_status(raw, 1181, 1300) == 1181
    _merkez_answer_at_a(world, raw, 1181)

    # A's copy of the user list still has an alias GİB has closed meanwhile.
    a = world.a
    with a.db.transaction() as conn:
        conn.execute(insert(gib_user_aliases).values(
            identifier=CUSTOMER.vkn, role="PK", document_type="Invoice",
            alias=nobody.alias, created_at=a.integrator.clock.now(), deleted_at=None))
    failed = _pipeline_fails(world, 1181, receiver_alias=nobody.alias)
    _failed_path(world, failed, 1181)
    assert world.sim.codes(failed.envelope_uuid) == [1000, 1100, 1181]


@pytest.mark.parametrize(("code", "parties"), [
    (1171, {"sender": Party(SUPPLIER.pk, SUPPLIER.vkn)}),  # sent from a PK alias
    (1172, {"receiver": Party(CUSTOMER.gb, CUSTOMER.vkn)}),  # sent to a GB alias
])
def test_wrong_role_is_1171_or_1172(world: World, seal: Seal, code: int,
                                    parties: dict[str, Party]) -> None:
    raw = _send_raw(world, envelope([sealed_invoice(seal)], **parties))
    assert world.sim.wait_status(raw, code, 1300) == code
    assert world.sim.codes(raw) == [1000, 1100, code]
    _merkez_answer_at_a(world, raw, code)
    assert world.b.envelope(raw, "IN") is None


@pytest.mark.parametrize(("code", "changes"), [
    (1160, {"before": not_in_the_xsd}),
    (1150, {"before": unknown_profile}),
    (1177, {"after": tampered_item}),
])
def test_invalid_documents_are_refused_by_merkez(world: World, seal: Seal, code: int,
                                                 changes: dict[str, Any]) -> None:
    raw = _send_raw(world, envelope([sealed_invoice(seal, **changes)]))
    assert world.sim.wait_status(raw, code, 1300) == code
    assert world.sim.codes(raw) == [1000, 1100, code]
    _merkez_answer_at_a(world, raw, code)
    assert world.b.envelope(raw, "IN") is None


@pytest.mark.parametrize("code", [1160, 1150, 1177])
def test_a_ends_send_failed_with_merkezs_code(world: World, code: int) -> None:
    world.sim.add_fault(kind="force_code", code=code, integrator="a", count=1,
                        envelope_type="SENDERENVELOPE")
    failed = _pipeline_fails(world, code, "32-ticari-satis.json")
    _failed_path(world, failed, code)
    assert failed.response_deadline is None
    assert world.sim.codes(failed.envelope_uuid) == [1000, 1100, code]
    answers = world.a.answers_to(failed.envelope_uuid)
    assert [(r.sender_alias, world.a.carried_code(r)) for r in answers] == [("GIB", code)]


# --- the receiver is down -----------------------------------------------------------------


def test_receiver_down_is_1210_then_1215_and_a_resends_later(world: World) -> None:
    a, b, sim = world.a, world.b, world.sim
    b.stop()
    try:
        result = submit(a.integrator, a.caller, example("01-temel-satis.json"), channel="api")
        failed = a.wait_document(result.ettn, "OUT", "send_failed", timeout=120)
        assert failed.gib_status_code == 1215
        codes = sim.codes(failed.envelope_uuid)
        assert codes[:4] == [1000, 1100, 1200, 1210] and codes[-1] == 1215
        assert set(codes[3:-1]) == {1210}
        assert a.history(failed.id)[-1] == ("send_failed", 1215)
    finally:
        b.start()
    again = resend(a.integrator, a.caller, failed.id)
    assert again.state.value == "sending"
    done = a.wait_document(result.ettn, "OUT", "send_succeed")
    assert done.envelope_uuid != failed.envelope_uuid and done.gib_status_code == 1300
    assert sim.codes(done.envelope_uuid) == DELIVERED
    assert sim.codes(failed.envelope_uuid)[-1] == 1215
    states = a.states(done.id)
    after = states[states.index("send_failed") + 1:]
    assert after[0] == "sending" and after[-1] == "send_succeed", states
    received = b.wait_document(result.ettn, "IN", "received")
    assert received.envelope_uuid == done.envelope_uuid
    assert b.envelope(failed.envelope_uuid, "IN") is None
