"""Issue 4's main flows end to end: integrator A (taxpayer X) and integrator B (taxpayer Y),
each in its own OS processes, exchange invoices through the GİB simulator (its own process)
over HTTP on loopback — on SQLite and on PostgreSQL.

Every step is checked on both sides (document state, GİB code, history, envelope rows) and
at Merkez (the envelope's status history from the simulator's admin API).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from entegrator.core import documents as core_documents
from entegrator.core import responses, returns
from entegrator.core.errors import InvalidState, ProfileRuleViolation
from entegrator.core.outbound import send_draft, submit
from entegrator.core.states import DocumentState
from entegrator.store import StoreConfig
from entegrator.store.domain import application_responses
from entegrator.store.tenancy import all_tenants
from entegrator.ubl import parse_invoice
from tests.core.support import CorePki
from tests.e2e.world import World, example, running_world, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.parametrize(
        "stores", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
        indirect=True, scope="module"),
]

_S = DocumentState
#: Merkez's history of an envelope its receiver accepted (Ek-2 §4.1).
DELIVERED = [1000, 1100, 1200, 1220, 1300]
#: A's way to a delivered invoice; Merkez's own 1200 may be overtaken by the receiver's.
SENT = ["queued", "sending", "send_wait_gib_response", "send_wait_system_response"]


@pytest.fixture(scope="module")
def world(stores: tuple[StoreConfig, StoreConfig], e2e_pki: CorePki,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The simulator, A and B as separate processes on the module's databases."""
    directory: Path = tmp_path_factory.mktemp("flows")
    with running_world(directory, e2e_pki, *stores) as started:
        yield started


def _path(states: list[str], *tail: str) -> None:
    """A's history: the sending steps (Merkez's 1200 may be skipped), then ``tail``."""
    assert states in (SENT + list(tail), [s for s in SENT if s != "send_wait_system_response"]
                      + list(tail)), states


def _responses(world: World, side: str, document_id: int) -> list[tuple[str, str, str, int]]:
    db = (world.a if side == "a" else world.b).db
    r = application_responses.c
    with db.transaction(read_only=True) as conn:
        return [(row.direction, row.response_code, row.state, row.gib_status_code)
                for row in conn.execute(all_tenants(select(application_responses).where(
                    r.document_id == document_id)))]


def _deliver(world: World, name: str, final: str, *, b_state: str) -> tuple[Any, Any]:
    """Send ``examples/name`` from X (at A) to Y (at B); check both sides and Merkez."""
    a, b, sim = world.a, world.b, world.sim
    result = submit(a.integrator, a.caller, example(name), channel="api")
    assert result.state is _S.QUEUED and result.number is None
    sent = a.wait_document(result.ettn, "OUT", final)
    assert sent.gib_status_code == 1300 and sent.number.startswith("ENT")
    _path(a.states(sent.id), final)
    assert sim.codes(sent.envelope_uuid) == DELIVERED
    envelope = a.envelope(sent.envelope_uuid, "OUT")
    assert (envelope.type, envelope.state, envelope.gib_status_code, envelope.document_count) \
        == ("SENDERENVELOPE", "done", 1300, 1)
    # Merkez's own answer and B's answer, forwarded by Merkez, both reach A.
    answers = wait_for(lambda: len(got := [r for r in a.answers_to(sent.envelope_uuid)
                                           if r.state == "processed"]) == 2 and got,
                       what="both system responses at A")
    assert sorted((r.sender_alias, a.carried_code(r), r.gib_status_code) for r in answers) \
        == sorted([("GIB", 1200, 1200), (b.node.party.pk, 1200, 1200)])

    received = b.wait_document(result.ettn, "IN", b_state)
    assert (received.number, received.counterpart_vkn_tckn, received.envelope_uuid) == (
        sent.number, a.node.party.vkn, sent.envelope_uuid)
    assert b.states(received.id) == [b_state]
    inbound = b.envelope(sent.envelope_uuid, "IN")
    assert (inbound.type, inbound.state, inbound.gib_status_code) == (
        "SENDERENVELOPE", "processed", 1200)
    [answer] = b.answers_to(sent.envelope_uuid, "OUT")
    assert (answer.envelope_uuid, answer.type, answer.state) == (
        inbound.response_envelope_uuid, "SYSTEMENVELOPE", "sent")
    return sent, received


@pytest.mark.parametrize(("code", "reason", "a_final", "b_path"), [
    ("KABUL", None, _S.ACCEPTED,
     ["accept_processing", "accept_wait_system_response", "accept_succeed"]),
    ("RED", "Sipariş edilen ürün değil", _S.REJECTED,
     ["reject_processing", "reject_wait_system_response", "reject_succeed"]),
])
def test_ticarifatura_is_answered_and_the_seller_sees_the_answer(
    world: World, code: str, reason: str | None, a_final: DocumentState, b_path: list[str],
) -> None:
    a, b, sim = world.a, world.b, world.sim
    sent, received = _deliver(world, "32-ticari-satis.json",
                              "send_wait_application_response",
                              b_state="receive_wait_application_response")
    deadline = received.received_at + dt.timedelta(days=8)
    assert abs((received.response_deadline - deadline).total_seconds()) < 1
    assert sent.response_deadline is not None

    answered = responses.respond(b.integrator, b.caller, received.id, code, reason)
    assert answered.state.value == b_path[0]
    done = b.wait_document(received.ettn, "IN", b_path[-1])
    assert b.states(done.id) == ["receive_wait_application_response", *b_path]
    assert done.gib_status_code == 1300 and done.response_code == code
    assert _responses(world, "b", done.id) == [("OUT", code, "succeeded", 1300)]
    postbox = b.envelope(answered.envelope_uuid, "OUT")
    assert (postbox.type, postbox.state, postbox.sender_alias, postbox.receiver_alias) == (
        "POSTBOXENVELOPE", "done", b.node.party.pk, a.node.party.gb)
    assert sim.codes(answered.envelope_uuid) == DELIVERED

    seen = a.wait_document(sent.ettn, "OUT", a_final.value)
    assert (seen.response_code, seen.gib_status_code) == (code, 1300)
    _path(a.states(seen.id), "send_wait_application_response", a_final.value)
    assert _responses(world, "a", seen.id) == [("IN", code, "received", None)]
    arrived = a.envelope(answered.envelope_uuid, "IN")
    assert (arrived.type, arrived.state, arrived.gib_status_code) == (
        "POSTBOXENVELOPE", "processed", 1200)

    with pytest.raises(InvalidState):  # exactly one answer per invoice
        responses.respond(b.integrator, b.caller, done.id, "KABUL")


def test_temelfatura_is_delivered_and_cannot_be_answered(world: World) -> None:
    b = world.b
    sent, received = _deliver(world, "01-temel-satis.json", "send_succeed", b_state="received")
    assert sent.response_deadline is None and received.response_deadline is None
    with pytest.raises(ProfileRuleViolation):
        responses.respond(b.integrator, b.caller, received.id, "KABUL")
    assert b.document_by_id(received.id).state == "received"


def test_iade_goes_back_to_the_seller_with_its_billing_reference(world: World) -> None:
    a, b, sim = world.a, world.b, world.sim
    sent, received = _deliver(world, "01-temel-satis.json", "send_succeed", b_state="received")

    draft = returns.create_return(b.integrator, b.caller, received.id)
    assert draft.state is _S.DRAFT
    queued = send_draft(b.integrator, b.caller, draft.document_id)
    assert queued.state is _S.QUEUED
    back = b.wait_document(draft.ettn, "OUT", "send_succeed")
    assert back.invoice_type == "IADE" and back.profile == "TEMELFATURA"
    assert back.gib_status_code == 1300
    assert sim.codes(back.envelope_uuid) == DELIVERED

    returned = a.wait_document(draft.ettn, "IN", "received")
    assert (returned.invoice_type, returned.number, returned.counterpart_vkn_tckn) == (
        "IADE", back.number, b.node.party.vkn)
    xml = core_documents.document_xml(a.integrator, a.caller, returned.id)
    [reference] = parse_invoice(xml).billing_references
    assert (reference.number, reference.issue_date, reference.type_code) == (
        sent.number, sent.issue_date, "IADE")
