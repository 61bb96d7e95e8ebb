"""The builder refuses envelopes GİB would reject, with the status code Merkez would give."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from entegrator.envelope import (
    GIB,
    AccountHolder,
    EnvelopeError,
    EnvelopeHeader,
    EnvelopeType,
    Mailbox,
    Party,
    Role,
    UserAccountRequest,
    UserAction,
    build_envelope,
    build_user_account,
)
from entegrator.errors import InvalidIdentifier
from tests.envelope.support import BUYER, SELLER, Ids, invoice_from, synthetic_invoice

INTEGRATOR = Party("usergb", "9999999999")


def _header(
    ids: Ids,
    clock: Callable[[], datetime],
    kind: EnvelopeType = EnvelopeType.SENDER,
    sender: Party = SELLER,
    receiver: Party = BUYER,
) -> EnvelopeHeader:
    return EnvelopeHeader(ids(), kind, sender, receiver, clock())


def _account(
    clock: Callable[[], datetime],
    vkn: str = INTEGRATOR.vkn_tckn,
    action: UserAction = UserAction.PROCESS,
) -> bytes:
    request = UserAccountRequest(
        action,
        vkn,
        AccountHolder("4540536920", title="Örnek A.Ş."),
        2,
        (Mailbox(Role.GB, "urn:mail:defaultgb@ornek.com.tr"),),
        clock(),
    )
    return etree.tostring(build_user_account(request))


def test_empty_envelope_is_refused(ids: Ids, clock: Callable[[], datetime]) -> None:
    with pytest.raises(EnvelopeError):
        build_envelope(_header(ids, clock), [])


def test_malformed_envelope_id_is_1111(clock: Callable[[], datetime], ticari_bytes: bytes) -> None:
    header = EnvelopeHeader("not-a-uuid", EnvelopeType.SENDER, SELLER, BUYER, clock())

    with pytest.raises(EnvelopeError) as caught:
        build_envelope(header, [invoice_from(ticari_bytes)])

    assert caught.value.gib_code == 1111


def test_101_invoices_are_refused_in_one_envelope(ids: Ids, clock: Callable[[], datetime]) -> None:
    with pytest.raises(EnvelopeError) as caught:
        build_envelope(_header(ids, clock), [synthetic_invoice(n) for n in range(101)])

    assert caught.value.gib_code == 1150


def test_100_invoices_fit_one_envelope(ids: Ids, clock: Callable[[], datetime]) -> None:
    built = build_envelope(_header(ids, clock), [synthetic_invoice(n) for n in range(100)])

    assert len(built.document_uuids) == 100


@pytest.mark.parametrize("profile", ["IHRACAT", "YOLCUBERABERFATURA"])
def test_two_solo_profile_invoices_are_refused(
    profile: str, ids: Ids, clock: Callable[[], datetime]
) -> None:
    invoices = [synthetic_invoice(n, profile=profile) for n in (1, 2)]

    with pytest.raises(EnvelopeError) as caught:
        build_envelope(_header(ids, clock), invoices)

    assert caught.value.gib_code == 1150


def test_one_ihracat_and_one_yolcuberaber_may_share(
    ids: Ids, clock: Callable[[], datetime]
) -> None:
    invoices = [
        synthetic_invoice(1, profile="IHRACAT"),
        synthetic_invoice(2, profile="YOLCUBERABERFATURA"),
    ]

    assert len(build_envelope(_header(ids, clock), invoices).document_uuids) == 2


def test_document_type_must_fit_envelope_type(
    ids: Ids, clock: Callable[[], datetime], paket: Path
) -> None:
    response = (paket / "1_SISTEM_YANITI_GTB_POSTA_KUTUSU.xml").read_bytes()

    with pytest.raises(EnvelopeError) as caught:
        build_envelope(_header(ids, clock), [response])

    assert caught.value.gib_code == 1150


def test_document_types_cannot_mix(ids: Ids, clock: Callable[[], datetime]) -> None:
    documents = [_account(clock), _account(clock, action=UserAction.CANCEL)]

    with pytest.raises(EnvelopeError) as caught:
        build_envelope(_header(ids, clock, EnvelopeType.USER, INTEGRATOR, GIB), documents)

    assert caught.value.gib_code == 1150


def test_invoice_supplier_must_be_the_envelope_sender(
    ids: Ids, clock: Callable[[], datetime]
) -> None:
    invoice = synthetic_invoice(1, supplier="4540536920")

    with pytest.raises(EnvelopeError) as caught:
        build_envelope(_header(ids, clock), [invoice])

    assert caught.value.gib_code == 1150


def test_invoice_customer_must_be_the_envelope_receiver(
    ids: Ids, clock: Callable[[], datetime]
) -> None:
    with pytest.raises(EnvelopeError):
        build_envelope(_header(ids, clock), [synthetic_invoice(1, customer="4540536920")])


def test_gib_exempt_receiver_skips_the_customer_check(
    ids: Ids, clock: Callable[[], datetime]
) -> None:
    exempt = Party("urn:mail:defaultpk@kamu.gov.tr", "3900892152")

    built = build_envelope(_header(ids, clock, receiver=exempt), [synthetic_invoice(1)])

    assert built.header.receiver == exempt


def test_application_response_parties_must_match(
    ids: Ids, clock: Callable[[], datetime], paket: Path
) -> None:
    response = (
        paket / "1_SISTEM_YANITI_GTB_POSTA_KUTUSU.xml"
    ).read_bytes()  # 1460415308 → 1111111111

    with pytest.raises(EnvelopeError) as caught:
        build_envelope(_header(ids, clock, EnvelopeType.SYSTEM, SELLER, BUYER), [response])

    assert caught.value.gib_code == 1150


def test_user_envelope_goes_only_to_gib(ids: Ids, clock: Callable[[], datetime]) -> None:
    with pytest.raises(EnvelopeError) as caught:
        build_envelope(_header(ids, clock, EnvelopeType.USER, INTEGRATOR, BUYER), [_account(clock)])

    assert caught.value.gib_code == 1150


def test_user_envelope_sender_alias_comes_from_gib_list(
    ids: Ids, clock: Callable[[], datetime]
) -> None:
    sender = Party(SELLER.alias, INTEGRATOR.vkn_tckn)

    with pytest.raises(EnvelopeError):
        build_envelope(_header(ids, clock, EnvelopeType.USER, sender, GIB), [_account(clock)])


def test_user_envelope_integrator_must_be_the_sender(
    ids: Ids, clock: Callable[[], datetime]
) -> None:
    with pytest.raises(EnvelopeError) as caught:
        build_envelope(
            _header(ids, clock, EnvelopeType.USER, INTEGRATOR, GIB),
            [_account(clock, vkn="4540536920")],
        )

    assert caught.value.gib_code == 1150


def test_sender_alias_must_be_a_urn(ids: Ids, clock: Callable[[], datetime]) -> None:
    with pytest.raises(InvalidIdentifier):
        build_envelope(
            _header(ids, clock, sender=Party("defaultgb@aaa.com.tr", SELLER.vkn_tckn)),
            [synthetic_invoice(1)],
        )


def test_reserved_alias_is_refused_outside_user_and_system_envelopes(
    ids: Ids, clock: Callable[[], datetime]
) -> None:
    with pytest.raises(InvalidIdentifier):
        build_envelope(
            _header(ids, clock, sender=Party("GIB", SELLER.vkn_tckn)), [synthetic_invoice(1)]
        )


@pytest.mark.parametrize("vkn", ["12345", "12345678901234", "abcdefghij", ""])
def test_party_vkn_tckn_must_have_10_or_11_digits(
    vkn: str, ids: Ids, clock: Callable[[], datetime]
) -> None:
    with pytest.raises(InvalidIdentifier):
        build_envelope(
            _header(ids, clock, receiver=Party(BUYER.alias, vkn)),
            [synthetic_invoice(1, customer=vkn)],
        )


def test_blank_title_is_refused(ids: Ids, clock: Callable[[], datetime]) -> None:
    with pytest.raises(EnvelopeError):
        build_envelope(
            _header(ids, clock, sender=Party(SELLER.alias, SELLER.vkn_tckn, "  ")),
            [synthetic_invoice(1)],
        )


def test_repeated_signature_ids_across_documents_are_1160(
    ids: Ids, clock: Callable[[], datetime]
) -> None:
    invoices = [synthetic_invoice(n, signature_id="Signature") for n in (1, 2)]

    with pytest.raises(EnvelopeError) as caught:
        build_envelope(_header(ids, clock), invoices)

    assert caught.value.gib_code == 1160


def test_distinct_signature_ids_share_an_envelope(ids: Ids, clock: Callable[[], datetime]) -> None:
    invoices = [synthetic_invoice(n, signature_id=f"Signature_{n}") for n in (1, 2)]

    assert len(build_envelope(_header(ids, clock), invoices).document_uuids) == 2
