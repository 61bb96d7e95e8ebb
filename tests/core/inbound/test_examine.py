"""The database-free checks of a received envelope (examine): codes, order, delegates."""

from __future__ import annotations

import datetime as dt

import pytest

from entegrator.core.inbound.examine import examine
from entegrator.envelope import EnvelopeType
from entegrator.signing import TrustStore, VerificationPolicy
from entegrator.validation import default_engine
from tests.core.inbound.support import answer_bytes, envelope_zip, invoice_bytes, seal_for
from tests.core.support import CUSTOMER, SUPPLIER, CorePki

INTEGRATOR_B = "1234567890"  # another integrator sealing for its customers


@pytest.fixture(scope="module")
def policy(core_pki: CorePki) -> VerificationPolicy:
    return VerificationPolicy(trust=TrustStore.from_certificates(core_pki.pki.trust_anchors))


def _examine(zipped: object, policy: VerificationPolicy) -> object:
    return examine(zipped.data, zipped.file_name, policy=policy,  # type: ignore[attr-defined]
                   engine=default_engine(), now=dt.datetime.now(dt.UTC))


def test_valid_invoices_pass_with_their_summaries_and_signers(
    core_pki: CorePki, policy: VerificationPolicy
) -> None:
    seal = seal_for(core_pki, SUPPLIER.vkn)
    result = _examine(envelope_zip([invoice_bytes(number=n, seal=seal) for n in (1, 2)]), policy)

    assert result.failure is None and result.envelope_type is EnvelopeType.SENDER
    assert [d.invoice.number for d in result.documents] == ["ENT2025000000001",
                                                            "ENT2025000000002"]
    assert {d.signature.signer_id for d in result.documents} == {SUPPLIER.vkn}
    assert result.documents[0].data.startswith(b"<?xml")


def test_a_delegate_seal_passes_only_when_authorised(
    core_pki: CorePki, policy: VerificationPolicy
) -> None:
    delegated = seal_for(core_pki, SUPPLIER.vkn, signer_vkn=INTEGRATOR_B)
    zipped = envelope_zip([invoice_bytes(seal=delegated)])
    allowed = VerificationPolicy(trust=policy.trust,
                                 authorised_delegates=frozenset({INTEGRATOR_B}))

    assert _examine(zipped, policy).failure.code == 1176
    result = _examine(zipped, allowed)
    assert result.failure is None and result.documents[0].signature.delegated


def test_postbox_answers_are_read_and_verified(
    core_pki: CorePki, policy: VerificationPolicy
) -> None:
    answer = answer_bytes("3f0c8b4e-2a8e-4d39-9a57-0c6f2d1e7b11", "RED",
                          seal=seal_for(core_pki, CUSTOMER.vkn), reason="Eksik teslim")
    result = _examine(envelope_zip([answer], kind=EnvelopeType.POSTBOX), policy)

    (received,) = result.documents
    assert result.failure is None
    assert (received.response.code, received.response.reason) == ("RED", "Eksik teslim")
    assert received.signature.signer_id == CUSTOMER.vkn


def test_the_first_failing_document_decides_the_code(
    core_pki: CorePki, policy: VerificationPolicy
) -> None:
    seal = seal_for(core_pki, SUPPLIER.vkn)
    good = invoice_bytes(number=1, seal=seal)
    unsigned = invoice_bytes(number=2, seal=None)
    foreign = invoice_bytes(number=3, seal=seal_for(core_pki, SUPPLIER.vkn,
                                                    signer_vkn=INTEGRATOR_B))

    result = _examine(envelope_zip([good, unsigned, foreign]), policy)

    assert result.failure.code == 1177 and result.failure.message.startswith("2. belge")
    assert result.documents == ()
