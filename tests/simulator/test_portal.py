"""GİB portal users played by the simulator (test plan §5.2, §6, §9) and Merkez's own test
envelopes (§7 b, c), driven through the admin API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from entegrator.envelope import EnvelopeType
from entegrator.signing import Seal, TrustStore, VerificationPolicy, verify_element
from entegrator.signing.devpki import DevPki
from entegrator.simulator import CheckSwitches
from entegrator.ubl import ns
from entegrator.validation import validate
from tests.simulator.conftest import SimEnv
from tests.simulator.support import PORTAL, X, Y, invoice, sender_envelope


def test_portal_sends_envelopes_of_invoices_to_an_integrator(env: SimEnv, pki: DevPki) -> None:
    response = env.admin("POST", f"/admin/portal/{PORTAL.vkn}/send", json={
        "receiver_vkn": X.vkn, "receiver_alias": X.pk, "envelopes": 2, "invoices": 3,
        "profile": "TEMELFATURA"})
    assert response.status_code == 201, response.text
    sent = response.json()["envelopes"]
    assert len(sent) == 2
    policy = VerificationPolicy(trust=TrustStore.from_certificates(pki.trust_anchors))
    for envelope_id in sent:
        assert env.wait_status(envelope_id, 1300) == 1300
        arrived = env.a.wait_for(envelope_id).envelope
        assert arrived is not None and len(arrived.elements) == 3
        for document in arrived.documents():
            assert verify_element(document, policy).signer_id == PORTAL.vkn


def test_portal_receives_accepts_and_the_seller_gets_kabul(env: SimEnv,
                                                           seal: Callable[..., Seal]) -> None:
    document = invoice(X, PORTAL, seal(X.vkn))
    built = sender_envelope(X, PORTAL, [document])
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1300) == 1300
    inbox = env.admin("GET", f"/admin/portal/{PORTAL.vkn}/inbox").json()
    ettn = document.findtext(ns.cbc("UUID"))
    assert [(row["kind"], row["document_uuid"]) for row in inbox] == [("INVOICE", ettn)]
    answer = env.admin("POST", f"/admin/portal/{PORTAL.vkn}/respond",
                       json={"ettn": ettn, "code": "KABUL"})
    assert answer.status_code == 201, answer.text
    postbox = answer.json()["envelope"]
    assert env.wait_status(postbox, 1300) == 1300
    arrived = env.a.wait_for(postbox).envelope
    assert arrived is not None and arrived.header.type is EnvelopeType.POSTBOX
    code = arrived.elements[0].findtext(f"{ns.cac('DocumentResponse')}/{ns.cac('Response')}/"
                                        f"{ns.cbc('ResponseCode')}")
    assert code == "KABUL"


def test_portal_rejects_with_red(env: SimEnv, seal: Callable[..., Seal]) -> None:
    document = invoice(X, PORTAL, seal(X.vkn))
    built = sender_envelope(X, PORTAL, [document])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1300)
    answer = env.admin("POST", f"/admin/portal/{PORTAL.vkn}/respond", json={
        "ettn": document.findtext(ns.cbc("UUID")), "code": "RED", "reason": "Hatalı tutar"})
    postbox = answer.json()["envelope"]
    env.wait_status(postbox, 1300)
    arrived = env.a.wait_for(postbox).envelope
    assert arrived is not None
    assert b"<cbc:ResponseCode>RED</cbc:ResponseCode>" in arrived.xml


def test_portal_answers_a_broken_seal_with_1177(sim_factory: Callable[..., SimEnv],
                                                seal: Callable[..., Seal]) -> None:
    env = sim_factory(checks=CheckSwitches.off())  # Merkez lets it through; the PK must not
    document = invoice(X, PORTAL, seal(X.vkn))
    name = document.find(f"{ns.cac('InvoiceLine')}/{ns.cac('Item')}/{ns.cbc('Name')}")
    assert name is not None
    name.text = "İmzadan sonra değişti"
    built = sender_envelope(X, PORTAL, [document])
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1230, 1300) == 1230
    answers = {issuer: code for issuer, code, _ in env.a.wait_responses(built.envelope_id, 2)}
    assert answers == {"3900383669": 1200, PORTAL.vkn: 1177}
    assert env.admin("GET", f"/admin/portal/{PORTAL.vkn}/inbox").json() == []


def test_respond_to_an_unknown_invoice_is_404(env: SimEnv) -> None:
    response = env.admin("POST", f"/admin/portal/{PORTAL.vkn}/respond",
                         json={"ettn": "00000000-0000-0000-0000-000000000000", "code": "KABUL"})
    assert response.status_code == 404


def test_unknown_portal_user_is_404(env: SimEnv) -> None:
    response = env.admin("POST", "/admin/portal/1234567890/send",
                         json={"receiver_vkn": X.vkn, "receiver_alias": X.pk})
    assert response.status_code == 404


def test_gib_system_response_referencing_no_envelope(env: SimEnv) -> None:
    response = env.admin("POST", "/admin/gib/system-response", json={"integrator": "a"})
    assert response.status_code == 201, response.text
    received = env.a.wait_for(response.json()["envelope"])
    assert received.envelope is not None
    assert received.envelope.header.sender.alias == "GIB"
    assert received.envelope.header.type is EnvelopeType.SYSTEM


def test_gib_invalid_envelope_to_a_postbox(sim_factory: Callable[..., SimEnv]) -> None:
    env = sim_factory(b_code=1160)
    response = env.admin("POST", "/admin/gib/invalid-envelope",
                         json={"vkn": Y.vkn, "alias": Y.pk})
    assert response.status_code == 201, response.text
    envelope_id = response.json()["envelope"]
    received = env.b.wait_for(envelope_id)
    assert received.envelope is not None and received.envelope.header.sender.alias == "GIB"
    assert validate(received.envelope.xml).gib_code == 1160
    assert env.wait_status(envelope_id, 1230) == 1230


def test_portal_pki_is_published(env: SimEnv, pki: DevPki, tmp_path: Path) -> None:
    response = env.admin("GET", "/admin/portal/pki")
    assert response.status_code == 200
    expected = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in pki.trust_anchors)
    assert response.content == expected
    folder = env.sim.trust_directory(tmp_path / "portal-ca")
    assert TrustStore.from_directory(folder).anchors == pki.trust_anchors
