"""The conformance suite: GİB's test plan (e-Fatura Test Planı v1.3) and the Özel Entegrasyon
guide's tests (§6), scenario by scenario, against the simulator.

The integrator under test is ``env.a`` — today the stand-in of tests/simulator/harness.py
(entegrator.gib's real client and server with a minimal receiver port); its counterpart is
the simulator's GİB portal user (Test Araçları). When entegrator.core exists, the same
scenarios run with the real integrator in ``env.a``'s place (see docs/decisions/
simulator-design.md, "Conformance").
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import BinaryIO

import httpx
import pytest

from entegrator.envelope import (
    EnvelopeType,
    Mailbox,
    Role,
    UserAction,
    read_envelope,
    read_system_response,
)
from entegrator.gib import (
    FaultCode,
    GibClient,
    GibClientConfig,
    HashMismatch,
    HttpTransportConfig,
    HttpxTransport,
    InvalidFileName,
    Reply,
    Transport,
)
from entegrator.signing import Seal
from entegrator.simulator import Simulator
from entegrator.ubl import ns
from tests.simulator.conftest import SimEnv
from tests.simulator.support import (
    INTEGRATOR_A_VKN,
    PORTAL,
    Taxpayer,
    X,
    business_response,
    invoice,
    postbox_envelope,
    sender_envelope,
    user_envelope,
)

GIB_VKN = "3900383669"


def _merkez_status(env: SimEnv, envelope_id: str) -> int:
    """getApplicationResponse as the integrator sees it (test plan §3 1 m, §5.1.1 g)."""
    answer = read_system_response(read_envelope(env.a.client.get_application_response(
        envelope_id)))
    return int(answer.status or 0)


def _issuers(env: SimEnv, envelope_id: str, count: int = 2) -> dict[str, int]:
    return {issuer: code for issuer, code, _ in env.a.wait_responses(envelope_id, count)}


# --- §4 Erişim testleri ----------------------------------------------------------------------


def test_4_access_both_ways(env: SimEnv) -> None:
    wsdl = httpx.get(Simulator.service_url(env.base, "a") + "?wsdl", timeout=30)
    assert wsdl.status_code == 200 and b"EFaturaSoapBinding" in wsdl.content
    report = env.admin("POST", "/admin/gib/faulty-requests", json={"integrator": "a"}).json()
    assert report["hash"]["ok"] and report["file_name"]["ok"]  # Merkez reached the integrator


# --- §5.1 Gönderici birim testleri --------------------------------------------------------


def test_5_1_1_sender_unit_works(env: SimEnv, seal: Callable[..., Seal]) -> None:
    built = sender_envelope(X, PORTAL, [invoice(X, PORTAL, seal(X.vkn), profile="TEMELFATURA")])
    env.a.send(built)  # a
    assert _issuers(env, built.envelope_id) == {GIB_VKN: 1200, PORTAL.vkn: 1200}  # b, c, e, f
    inbox = env.admin("GET", f"/admin/portal/{PORTAL.vkn}/inbox").json()
    assert [row["envelope_id"] for row in inbox] == [built.envelope_id.lower()]  # d
    assert _merkez_status(env, built.envelope_id) == 1300  # g: BASARIYLA TAMAMLANDI


class _Tampering:
    """Changes the request on its way, as a broken client would send it."""

    def __init__(self, inner: Transport, old: bytes, new: bytes) -> None:
        self.inner, self.old, self.new = inner, old, new

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        return self.inner.post(url, body.replace(self.old, self.new, 1), headers)

    def download(self, url: str, sink: BinaryIO, *, max_bytes: int) -> Reply:
        return self.inner.download(url, sink, max_bytes=max_bytes)


_BROKEN = {
    "hash": ("<hash>{md5}</hash>", "<hash>" + "0" * 32 + "</hash>", HashMismatch, 2000),
    "file_name": ("<fileName>{name}</fileName>", "<fileName>zarf.zip</fileName>",
                  InvalidFileName, 2006),
}


@pytest.mark.parametrize("case", sorted(_BROKEN))
def test_5_1_2_a_integrator_sees_merkez_faults(env: SimEnv, seal: Callable[..., Seal],
                                               case: str) -> None:
    old, new, error, code = _BROKEN[case]
    zipped = sender_envelope(X, PORTAL, [invoice(X, PORTAL, seal(X.vkn))]).zipped()
    with HttpxTransport(HttpTransportConfig()) as transport:
        broken = _Tampering(transport, old.format(md5=zipped.md5, name=zipped.file_name).encode(),
                            new.encode())
        client = GibClient(GibClientConfig(Simulator.service_url(env.base, "a")), broken)
        with pytest.raises(error) as raised:
            client.send_document(zipped.file_name, zipped.data)
    assert (raised.value.code, raised.value.msg) == (code, FaultCode(code).text)
    assert env.record(zipped.file_name[:-4]) is None


def test_5_1_2_b_integrator_answers_with_efatura_faults(env: SimEnv) -> None:
    report = env.admin("POST", "/admin/gib/faulty-requests", json={"integrator": "a"}).json()
    assert {case: (r["code"], r["ok"]) for case, r in report.items()} == {
        "hash": (2000, True), "file_name": (2006, True)}


def test_5_1_3_b_ten_envelopes_within_a_minute(env: SimEnv, seal: Callable[..., Seal]) -> None:
    started = time.monotonic()
    sent = []
    for _ in range(10):
        built = sender_envelope(X, PORTAL, [invoice(X, PORTAL, seal(X.vkn))])
        env.a.send(built)
        sent.append(built.envelope_id)
    for envelope_id in sent:
        env.wait_status(envelope_id, 1300)
    assert time.monotonic() - started < 60


# --- §5.2 Posta kutusu testleri -----------------------------------------------------------


def test_5_2_1_postbox_works(env: SimEnv) -> None:
    sent = env.admin("POST", f"/admin/portal/{PORTAL.vkn}/send", json={
        "receiver_vkn": X.vkn, "receiver_alias": X.pk, "profile": "TEMELFATURA"}).json()
    (envelope_id,) = sent["envelopes"]
    received = env.a.wait_for(envelope_id)  # b
    assert received.envelope is not None and received.envelope.header.sender.alias == PORTAL.gb
    assert env.wait_status(envelope_id, 1300) == 1300  # d, e: the PK's answer reached Merkez


def test_5_2_3_a_ten_invoices_in_one_envelope(env: SimEnv) -> None:
    sent = env.admin("POST", f"/admin/portal/{PORTAL.vkn}/send", json={
        "receiver_vkn": X.vkn, "receiver_alias": X.pk, "invoices": 10}).json()
    (envelope_id,) = sent["envelopes"]
    received = env.a.wait_for(envelope_id)
    assert received.envelope is not None and len(received.envelope.elements) == 10
    assert env.wait_status(envelope_id, 1300) == 1300


# --- §6 Ticari fatura senaryosu -----------------------------------------------------------


@pytest.mark.parametrize("code", ["KABUL", "RED"])
def test_6_1_sender_unit_gets_the_portals_answer(env: SimEnv, seal: Callable[..., Seal],
                                                 code: str) -> None:
    document = invoice(X, PORTAL, seal(X.vkn))
    built = sender_envelope(X, PORTAL, [document])
    env.a.send(built)
    env.wait_status(built.envelope_id, 1300)
    answer = env.admin("POST", f"/admin/portal/{PORTAL.vkn}/respond", json={
        "ettn": document.findtext(ns.cbc("UUID")), "code": code, "reason": "test"})  # b
    postbox = answer.json()["envelope"]
    arrived = env.a.wait_for(postbox).envelope  # c
    assert arrived is not None and arrived.header.type is EnvelopeType.POSTBOX
    assert env.wait_status(postbox, 1300) == 1300  # e: the GB's system response reached Merkez


@pytest.mark.parametrize("code", ["KABUL", "RED"])
def test_6_2_postbox_answers_the_portals_invoice(env: SimEnv, seal: Callable[..., Seal],
                                                 code: str) -> None:
    sent = env.admin("POST", f"/admin/portal/{PORTAL.vkn}/send", json={
        "receiver_vkn": X.vkn, "receiver_alias": X.pk, "profile": "TICARIFATURA"}).json()
    (envelope_id,) = sent["envelopes"]
    received = env.a.wait_for(envelope_id).envelope  # a
    assert received is not None
    document = received.document(0)
    seller = Taxpayer(PORTAL.vkn, PORTAL.title, PORTAL.gb, PORTAL.pk)
    postbox = postbox_envelope(X, seller, [business_response(X, seller, document, code,
                                                             seal(X.vkn))])
    env.a.send(postbox)  # b, c
    assert _issuers(env, postbox.envelope_id) == {GIB_VKN: 1200, PORTAL.vkn: 1200}  # d, e
    inbox = env.admin("GET", f"/admin/portal/{PORTAL.vkn}/inbox").json()
    assert [(row["kind"], row["document_type"], row["reference"]) for row in inbox] == [
        ("APPLICATIONRESPONSE", code, document.findtext(ns.cbc("UUID")))]


# --- §7 Diğer testler ---------------------------------------------------------------------


def test_7_a_zero_vat_invoice_with_exemption(env: SimEnv, seal: Callable[..., Seal]) -> None:
    lines = [{"name": "Bağış kapsamındaki teslim", "quantity": "1", "unit_code": "C62",
              "unit_price": "5000", "taxes": [{"percent": "0", "exemption_reason_code": "351"}]}]
    built = sender_envelope(X, PORTAL, [invoice(X, PORTAL, seal(X.vkn), profile="TEMELFATURA",
                                                lines=lines)])
    env.a.send(built)
    assert env.wait_status(built.envelope_id, 1300) == 1300


def test_7_b_sender_unit_accepts_gibs_unreferenced_response(env: SimEnv) -> None:
    response = env.admin("POST", "/admin/gib/system-response", json={"integrator": "a"})
    arrived = env.a.wait_for(response.json()["envelope"]).envelope
    assert arrived is not None and arrived.header.sender.alias == "GIB"


def test_7_c_postbox_rejects_gibs_invalid_invoice(sim_factory: Callable[..., SimEnv]) -> None:
    env = sim_factory()
    env.a.answer_code = 1160  # what a conforming PK answers to a schema-invalid invoice
    response = env.admin("POST", "/admin/gib/invalid-envelope", json={"vkn": X.vkn,
                                                                      "alias": X.pk})
    envelope_id = response.json()["envelope"]
    env.a.wait_for(envelope_id)
    assert env.wait_status(envelope_id, 1230) == 1230


# --- Özel Entegrasyon Kılavuzu §6 ---------------------------------------------------------


USERS = [Taxpayer(vkn, f"Müşteri {i}", f"urn:mail:gb{i}@musteri.example",
                  f"urn:mail:pk{i}@musteri.example")
         for i, vkn in enumerate(("6666666667", "7777777770", "8888888886"))]


def test_oek_6_1_6_2_and_6_5_user_accounts(env: SimEnv, seal: Callable[..., Seal]) -> None:
    integrator_seal = seal(INTEGRATOR_A_VKN)
    first = USERS[0]
    extra = [Mailbox(Role.GB, first.gb), Mailbox(Role.PK, first.pk),
             Mailbox(Role.GB, "urn:mail:sube_gb@musteri.example"),
             Mailbox(Role.PK, "urn:mail:sube_pk@musteri.example")]
    opened = [user_envelope(INTEGRATOR_A_VKN, first, UserAction.PROCESS,
                            integrator_seal=integrator_seal, customer_seal=seal(first.vkn),
                            mailboxes=extra)]  # 6.2 a: one user, several pairs
    opened += [user_envelope(INTEGRATOR_A_VKN, user, UserAction.PROCESS,
                             integrator_seal=integrator_seal, customer_seal=seal(user.vkn))
               for user in USERS[1:]]  # 6.2 b: three users
    for built in opened:
        env.a.send(built)
    for built in opened:
        assert env.a.wait_responses(built.envelope_id)[0][1] == 1200  # 6.1 b, c
        assert env.wait_status(built.envelope_id, 1300, 1182) == 1300
        assert _merkez_status(env, built.envelope_id) == 1300  # 6.1 d
    closed = user_envelope(INTEGRATOR_A_VKN, first, UserAction.CANCEL,
                           integrator_seal=integrator_seal, customer_seal=seal(first.vkn),
                           mailboxes=extra)  # 6.5 / 6.6 a
    env.a.send(closed)
    assert env.wait_status(closed.envelope_id, 1300, 1183) == 1300
    assert _merkez_status(env, closed.envelope_id) == 1300
