"""With the project's real signer (entegrator.signing, XAdES-BES): signed documents pass GİB's
checks inside our envelopes and verify after the zip round trip; the HR-XML signature slot
takes the integrator's signature and the customer's counter-signature."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from efatura_kontrol.kontrol import kontrol_et

from entegrator.envelope import (
    GIB,
    AccountHolder,
    EnvelopeHeader,
    EnvelopeType,
    Mailbox,
    Party,
    Role,
    UserAccountRequest,
    UserAction,
    build_envelope,
    build_user_account,
    read_envelope,
)
from entegrator.signing import (
    SoftwareSigner,
    TrustStore,
    VerificationPolicy,
    countersign_element,
    make_seal,
    sign_element,
    verify_element,
)
from entegrator.signing.devpki import DevPki
from entegrator.signing.seal import Seal
from tests.envelope.support import BUYER, SELLER, Ids, invoice_from

INTEGRATOR = Party("usergb", "9999999999", "Entegratör A.Ş.")
CUSTOMER_TCKN = "10000000146"


@pytest.fixture(scope="module")
def pki() -> DevPki:
    return DevPki.create()


@pytest.fixture(scope="module")
def trust(pki: DevPki) -> TrustStore:
    return TrustStore.from_certificates(pki.trust_anchors)


def _seal(pki: DevPki, trust: TrustStore, vkn: str, name: str) -> Seal:
    issued = pki.issue_seal(vkn, name)
    return make_seal(
        SoftwareSigner(issued.private_key, issued.certificate), taxpayer_vkn=vkn, trust=trust
    )


def _errors(envelope_xml: bytes) -> list[str]:
    return [f"{b.kod}: {b.mesaj}" for b in kontrol_et(envelope_xml).bulgular if b.seviye == "hata"]


def test_xades_signed_invoices_pass_and_verify_after_round_trip(
    pki: DevPki, trust: TrustStore, ticari_bytes: bytes, ids: Ids, clock: Callable[[], dt.datetime]
) -> None:
    seal = _seal(pki, trust, SELLER.vkn_tckn, "AAA Anonim Şirketi")
    invoices = [sign_element(invoice_from(ticari_bytes, number=n), seal) for n in (1, 2)]
    built = build_envelope(
        EnvelopeHeader(ids(), EnvelopeType.SENDER, SELLER, BUYER, clock()), invoices
    )
    assert _errors(built.xml) == []

    envelope = read_envelope(built.zipped().data, file_name=built.zipped().file_name)

    for document in envelope.documents():
        assert (
            verify_element(document, VerificationPolicy(trust=trust)).signer_id == SELLER.vkn_tckn
        )


def test_user_account_slot_takes_signature_and_counter_signature(
    pki: DevPki, trust: TrustStore, ids: Ids, clock: Callable[[], dt.datetime]
) -> None:
    request = UserAccountRequest(
        UserAction.PROCESS,
        INTEGRATOR.vkn_tckn,
        AccountHolder(CUSTOMER_TCKN, given_name="Ayşe", family_name="Yılmaz"),
        2,
        (
            Mailbox(Role.GB, "urn:mail:defaultgb@ayse.com.tr"),
            Mailbox(Role.PK, "urn:mail:defaultpk@ayse.com.tr"),
        ),
        clock(),
    )
    document = build_user_account(request)
    sign_element(document, _seal(pki, trust, INTEGRATOR.vkn_tckn, "Entegratör A.Ş."))
    countersign_element(document, _seal(pki, trust, CUSTOMER_TCKN, "Ayşe Yılmaz"))
    built = build_envelope(
        EnvelopeHeader(ids(), EnvelopeType.USER, INTEGRATOR, GIB, clock()), [document]
    )
    assert _errors(built.xml) == []

    envelope = read_envelope(built.zipped().data)

    policy = VerificationPolicy(trust=trust, require_counter_signature=True)
    verified = verify_element(envelope.document(0), policy)
    assert verified.signer_id == INTEGRATOR.vkn_tckn
    assert verified.counter_signature is not None
    assert verified.counter_signature.signer_id == CUSTOMER_TCKN
