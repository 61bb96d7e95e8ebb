"""SYSTEMENVELOPEs: parties swapped, Merkez as GİB, GİB's codes only, read back, validated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from efatura_kontrol.kontrol import kontrol_et

from entegrator.envelope import (
    GIB,
    EnvelopeError,
    EnvelopeHeader,
    EnvelopeType,
    Party,
    read_envelope,
    read_system_response,
    system_envelope,
    system_response_for,
)
from entegrator.envelope.system_response import ANSWERABLE, sendable_codes
from entegrator.ubl.ns import NS
from entegrator.ubl.responses import to_element
from tests.envelope.support import BUYER, SELLER, Ids


def _answered(
    ids: Ids, clock: Callable[[], datetime], kind: EnvelopeType = EnvelopeType.SENDER
) -> EnvelopeHeader:
    return EnvelopeHeader(ids(), kind, SELLER, BUYER, clock())


def _errors(data: bytes) -> list[str]:
    return [f"{b.kod}: {b.mesaj}" for b in kontrol_et(data).bulgular if b.seviye == "hata"]


def test_receiver_answers_with_the_pair_swapped(ids: Ids, clock: Callable[[], datetime]) -> None:
    built = system_envelope(_answered(ids, clock), 1200, new_id=ids, now=clock)

    assert (built.header.sender, built.header.receiver) == (BUYER, SELLER)
    assert built.header.type is EnvelopeType.SYSTEM
    response = read_system_response(read_envelope(built.xml))
    assert (response.sender.identifier, response.receiver.identifier) == (
        BUYER.vkn_tckn,
        SELLER.vkn_tckn,
    )


def test_merkez_answers_as_gib(ids: Ids, clock: Callable[[], datetime]) -> None:
    built = system_envelope(_answered(ids, clock), 1163, new_id=ids, now=clock, responder=GIB)

    assert (built.header.sender, built.header.receiver) == (GIB, SELLER)
    response = read_system_response(read_envelope(built.xml))
    assert (response.sender.identifier, response.sender.name) == (GIB.vkn_tckn, GIB.title)


def test_response_names_the_envelope_and_status(ids: Ids, clock: Callable[[], datetime]) -> None:
    answered = _answered(ids, clock, EnvelopeType.POSTBOX)

    built = system_envelope(answered, 1181, new_id=ids, now=clock)

    response = read_system_response(read_envelope(built.zipped().data))
    assert response.envelope.id == answered.envelope_id
    assert response.envelope.issue_date == answered.created_at.date()
    assert response.envelope.type_code == "POSTBOXENVELOPE"
    assert (response.status, response.status_description) == ("1181", "ADRES BULUNAMADI")
    assert (response.issue_date, response.issue_time) == (date(2026, 1, 5), time(10, 30))


def test_ids_are_drawn_in_documented_order(ids: Ids, clock: Callable[[], datetime]) -> None:
    built = system_envelope(_answered(ids, clock), 1200, new_id=ids, now=clock)

    envelope_id, response_id, reference_id, line_reference_id = ids.issued[1:]
    response = read_system_response(read_envelope(built.xml))
    assert built.envelope_id == envelope_id
    assert (response.id, response.uuid) == (response_id, response_id)
    assert (response.reference_id, response.line_reference_id) == (reference_id, line_reference_id)


def test_aware_time_is_written_in_turkish_time(ids: Ids) -> None:
    utc = datetime(2026, 1, 5, 22, 15, 0, tzinfo=UTC)

    response = system_response_for(
        _answered(ids, lambda: utc), 1200, sender=BUYER, receiver=SELLER, new_id=ids, issued_at=utc
    )

    assert (response.issue_date, response.issue_time) == (date(2026, 1, 6), time(1, 15))


def test_same_inputs_give_the_same_bytes(clock: Callable[[], datetime]) -> None:
    answered = _answered(Ids(100), clock)

    first = system_envelope(answered, 1200, new_id=Ids(), now=clock)
    second = system_envelope(answered, 1200, new_id=Ids(), now=clock)

    assert first.zipped() == second.zipped()


def test_custom_description(ids: Ids, clock: Callable[[], datetime]) -> None:
    built = system_envelope(
        _answered(ids, clock), 1150, new_id=ids, now=clock, description="X hatası"
    )

    assert read_system_response(read_envelope(built.xml)).status_description == "X hatası"


@pytest.mark.parametrize("code", [1200, 1110, 1163, 1181, 1195])
@pytest.mark.parametrize("merkez", [False, True])
def test_built_system_envelopes_pass_gib_validation(
    code: int, merkez: bool, ids: Ids, clock: Callable[[], datetime]
) -> None:
    built = system_envelope(
        _answered(ids, clock), code, new_id=ids, now=clock, responder=GIB if merkez else None
    )

    assert _errors(built.xml) == []


def test_every_sendable_code_builds_a_valid_response(
    ids: Ids, clock: Callable[[], datetime]
) -> None:
    answered = _answered(ids, clock)

    for code in sorted(sendable_codes()):
        response = system_response_for(
            answered, code, sender=BUYER, receiver=SELLER, new_id=ids, issued_at=clock()
        )
        assert to_element(response).findtext(
            "cac:DocumentResponse/cac:LineResponse/cac:Response/cbc:ResponseCode", namespaces=NS
        ) == str(code)


def test_answerable_types_follow_ubl_and_never_include_system() -> None:
    assert {EnvelopeType.SENDER, EnvelopeType.POSTBOX} <= ANSWERABLE
    assert EnvelopeType.SYSTEM not in ANSWERABLE


@pytest.mark.parametrize("kind", sorted(set(EnvelopeType) - ANSWERABLE))
def test_other_envelope_types_are_not_answered(
    kind: EnvelopeType, ids: Ids, clock: Callable[[], datetime]
) -> None:
    with pytest.raises(EnvelopeError):
        system_envelope(_answered(ids, clock, kind), 1200, new_id=ids, now=clock)


@pytest.mark.parametrize("code", [1300, 1220, 1215, 999])
def test_merkez_internal_codes_cannot_be_sent(
    code: int, ids: Ids, clock: Callable[[], datetime]
) -> None:
    with pytest.raises(EnvelopeError):
        system_envelope(_answered(ids, clock), code, new_id=ids, now=clock)


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sender"),
    [
        ("1_SISTEM_YANITI_MERKEZ.xml", "3900383669"),
        ("1_SISTEM_YANITI_POSTA_KUTUSU.xml", "9999999999"),
    ],
)
def test_gib_sample_system_envelopes_are_read(name: str, sender: str, paket: Path) -> None:
    response = read_system_response(read_envelope((paket / name).read_bytes()))

    assert (response.sender.identifier, response.status) == (sender, "1200")
    assert response.envelope.type_code == "SENDERENVELOPE"


def test_non_numeric_status_is_kept_as_written(samples_dir: Path) -> None:
    """Atlas' 2015 SYSTEMENVELOPE carries "KABUL" as its status code (a bad example)."""
    path = samples_dir / "envelope-zip" / "D47F0509-A9D8-4810-99BD-7E88B3FF75BB.zip"

    response = read_system_response(read_envelope(path.read_bytes()))

    assert (response.status, response.status_code) == ("KABUL", None)


def test_postbox_envelope_is_not_a_system_envelope(paket: Path) -> None:
    with pytest.raises(EnvelopeError):
        read_system_response(
            read_envelope((paket / "2_UYGULAMA_YANITI_KABUL_ZARF.xml").read_bytes())
        )


def test_system_envelope_with_a_business_response_is_refused(paket: Path) -> None:
    data = (paket / "2_UYGULAMA_YANITI_KABUL_ZARF.xml").read_bytes()
    mislabelled = data.replace(
        b"<sh:Type>POSTBOXENVELOPE</sh:Type>", b"<sh:Type>SYSTEMENVELOPE</sh:Type>"
    )

    with pytest.raises(EnvelopeError):
        read_system_response(read_envelope(mislabelled))


def test_responder_may_be_a_tckn_party(ids: Ids, clock: Callable[[], datetime]) -> None:
    person = Party("urn:mail:defaultpk@kisi.com.tr", "17291716060", "Ayşe Kaya")
    answered = EnvelopeHeader(ids(), EnvelopeType.SENDER, SELLER, person, clock())

    built = system_envelope(answered, 1200, new_id=ids, now=clock)

    assert _errors(built.xml) == []
