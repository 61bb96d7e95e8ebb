"""End to end over HTTP on loopback: A (taxpayer X) → Merkez → B (taxpayer Y) and back."""

from __future__ import annotations

from collections.abc import Callable

from entegrator.envelope import (
    EnvelopeHeader,
    EnvelopeType,
    build_envelope,
    read_envelope,
    read_system_response,
)
from entegrator.signing import Seal
from entegrator.ubl.identifiers import ettn
from tests.simulator.conftest import SimEnv
from tests.simulator.support import (
    X,
    Y,
    business_response,
    invoice,
    now_local,
    postbox_envelope,
    sender_envelope,
)


def _status_of(env: SimEnv, envelope_id: str) -> tuple[int, str]:
    xml = env.a.client.get_application_response(envelope_id)
    response = read_system_response(read_envelope(xml))
    assert response.envelope.id.lower() == envelope_id.lower()
    return int(response.status or 0), response.sender.identifier


def test_ticarifatura_reaches_1300_in_order(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1300)
    assert env.codes(built.envelope_id) == [1000, 1100, 1200, 1220, 1300]


def test_sender_gets_merkez_1200_and_the_receivers_answer_verbatim(
        env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1300)
    assert env.b.wait_for(built.envelope_id).data == built.zipped().data  # delivered verbatim
    answers = {issuer: (code, item) for issuer, code, item in
               env.a.wait_responses(built.envelope_id, 2)}
    assert answers["3900383669"][0] == 1200  # Merkez, as GIB
    code, forwarded = answers[Y.vkn]  # the receiver's own answer, forwarded unchanged
    assert code == 1200
    assert forwarded.envelope is not None
    assert forwarded.envelope.xml == env.b.answers[built.envelope_id.lower()]


def test_get_application_response_answers_the_current_state(env: SimEnv,
                                                             seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1300)
    assert _status_of(env, built.envelope_id) == (1300, "3900383669")


def test_temelfatura_completes(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn), profile="TEMELFATURA")])
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1300, 1230) == 1300


def test_receiver_failure_answer_gives_1230(sim_factory: Callable[..., SimEnv],
                                            seal: Callable[..., Seal]) -> None:
    env = sim_factory(b_code=1160)
    built = sender_envelope(X, Y, [invoice(X, Y, seal(X.vkn))])
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1300, 1230) == 1230
    assert env.codes(built.envelope_id)[-2:] == [1220, 1230]


def test_kabul_travels_back_to_the_seller(env: SimEnv, seal: Callable[..., Seal]) -> None:
    document = invoice(X, Y, seal(X.vkn))
    built = sender_envelope(X, Y, [document])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1300)
    answer = postbox_envelope(Y, X, [business_response(Y, X, document, "KABUL", seal(Y.vkn))])
    env.b.send(answer)
    assert env.wait_status(answer.envelope_id, 1300) == 1300
    arrived = env.a.wait_for(answer.envelope_id)
    assert arrived.envelope is not None and arrived.envelope.header.type.value == "POSTBOXENVELOPE"


def test_red_travels_back_to_the_seller(env: SimEnv, seal: Callable[..., Seal]) -> None:
    document = invoice(X, Y, seal(X.vkn))
    env.a.send(sender_envelope(X, Y, [document]))
    answer = postbox_envelope(Y, X, [business_response(Y, X, document, "RED", seal(Y.vkn))])
    env.b.send(answer)
    assert env.wait_status(answer.envelope_id, 1300) == 1300
    assert env.codes(answer.envelope_id) == [1000, 1100, 1200, 1220, 1300]
    answers = {issuer: code for issuer, code, _ in env.b.wait_responses(answer.envelope_id, 2)}
    assert answers == {"3900383669": 1200, X.vkn: 1200}  # Merkez's and the seller's


def test_postbox_from_a_gb_alias_is_1172(env: SimEnv, seal: Callable[..., Seal]) -> None:
    document = invoice(X, Y, seal(X.vkn))
    response = business_response(Y, X, document, "KABUL", seal(Y.vkn))
    header = EnvelopeHeader(ettn.new(), EnvelopeType.POSTBOX, Y.sender, X.sender, now_local())
    built = build_envelope(header, [response])  # sender must be the buyer's PK alias
    env.b.send(built)
    assert env.wait_status(built.envelope_id, 1172, 1200) == 1172


def test_postbox_to_a_pk_alias_is_1171(env: SimEnv, seal: Callable[..., Seal]) -> None:
    document = invoice(X, Y, seal(X.vkn))
    response = business_response(Y, X, document, "KABUL", seal(Y.vkn))
    header = EnvelopeHeader(ettn.new(), EnvelopeType.POSTBOX, Y.receiver, X.receiver, now_local())
    built = build_envelope(header, [response])  # receiver must be the seller's GB alias
    env.b.send(built)
    assert env.wait_status(built.envelope_id, 1171, 1200) == 1171
