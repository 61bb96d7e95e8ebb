"""Packing: GİB's limits (100 invoices, 5 MB zipped, IHRACAT alone), grouping, determinism."""

from __future__ import annotations

import random
from datetime import datetime

import pytest
from efatura_kontrol.kontrol import kontrol_et
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entegrator.envelope import (
    EnvelopeError,
    EnvelopeType,
    Outgoing,
    Packed,
    PackLimits,
    Party,
    pack,
    read_envelope,
)
from entegrator.ubl.ns import cbc
from tests.envelope.support import BUYER, FIXED_TIME, SELLER, Ids, invoice_from, synthetic_invoice

OTHER_BUYER = Party("urn:mail:defaultpk@ccc.com.tr", "4540536920", "CCC A.Ş.")


def _clock() -> datetime:
    return FIXED_TIME


def _outgoing(number: int, receiver: Party = BUYER, **kwargs: object) -> Outgoing:
    return Outgoing(
        synthetic_invoice(number, customer=receiver.vkn_tckn, **kwargs), SELLER, receiver
    )  # type: ignore[arg-type]


def _uuids(packed: Packed) -> list[str]:
    return [d.findtext(cbc("UUID")) for d in read_envelope(packed.zipped.data).documents()]


def test_101_invoices_make_two_envelopes(ids: Ids) -> None:
    items = [_outgoing(n) for n in range(101)]

    packed = pack(items, new_id=ids, now=_clock)

    assert [len(p.items) for p in packed] == [100, 1]
    assert [i for p in packed for i in p.items] == list(range(101))


def test_envelopes_read_back_with_their_documents_in_order(ids: Ids) -> None:
    items = [_outgoing(n) for n in range(101)]

    packed = pack(items, new_id=ids, now=_clock)

    for result in packed:
        assert _uuids(result) == [items[i].document.findtext(cbc("UUID")) for i in result.items]
        assert (
            read_envelope(result.zipped.data, file_name=result.zipped.file_name).header
            == result.envelope.header
        )


def test_five_megabytes_split_the_envelope(ids: Ids) -> None:
    noise = random.Random(7)
    items = [_outgoing(n, filler=noise.randbytes(1_200_000)) for n in range(6)]

    packed = pack(items, new_id=ids, now=_clock)

    assert len(packed) == 2
    assert all(len(p.zipped.data) <= 5_000_000 for p in packed)
    assert sorted(i for p in packed for i in p.items) == list(range(6))
    assert len(packed[0].zipped.data) > 5_000_000 - 1_300_000  # the first one is filled up


def test_size_limit_is_configurable(ids: Ids) -> None:
    noise = random.Random(8)
    items = [_outgoing(n, filler=noise.randbytes(3000)) for n in range(10)]

    packed = pack(items, new_id=ids, now=_clock, limits=PackLimits(max_zip_bytes=12_000))

    assert len(packed) > 2
    assert all(len(p.zipped.data) <= 12_000 for p in packed)


def test_document_too_big_alone_is_refused(ids: Ids) -> None:
    items = [_outgoing(1, filler=random.Random(9).randbytes(20_000))]

    with pytest.raises(EnvelopeError):
        pack(items, new_id=ids, now=_clock, limits=PackLimits(max_zip_bytes=10_000))


@pytest.mark.parametrize("profile", ["IHRACAT", "YOLCUBERABERFATURA"])
def test_solo_profile_invoices_travel_alone(profile: str, ids: Ids) -> None:
    items = [
        _outgoing(1),
        _outgoing(2, profile=profile),
        _outgoing(3),
        _outgoing(4, profile=profile),
    ]

    packed = pack(items, new_id=ids, now=_clock)

    assert [p.items for p in packed] == [(0, 2), (1,), (3,)]


def test_repeated_signature_id_starts_a_new_envelope(ids: Ids) -> None:
    items = [
        _outgoing(1, signature_id="Signature"),
        _outgoing(2, signature_id="Signature_2"),
        _outgoing(3, signature_id="Signature"),
        _outgoing(4, signature_id="Signature_4"),
    ]

    packed = pack(items, new_id=ids, now=_clock)

    assert [p.items for p in packed] == [(0, 1), (2, 3)]


def test_documents_are_grouped_by_parties_in_order_of_first_appearance(ids: Ids) -> None:
    items = [_outgoing(1, OTHER_BUYER), _outgoing(2), _outgoing(3, OTHER_BUYER), _outgoing(4)]

    packed = pack(items, new_id=ids, now=_clock)

    assert [p.items for p in packed] == [(0, 2), (1, 3)]
    assert [p.envelope.header.receiver for p in packed] == [OTHER_BUYER, BUYER]


def test_same_alias_with_another_vkn_is_another_group(ids: Ids) -> None:
    twin = Party(BUYER.alias, "4540536920", BUYER.title)

    packed = pack([_outgoing(1), _outgoing(2, twin)], new_id=ids, now=_clock)

    assert len(packed) == 2


def test_one_id_per_envelope_in_output_order(ids: Ids) -> None:
    packed = pack([_outgoing(n) for n in range(150)], new_id=ids, now=_clock)

    assert [p.envelope.envelope_id for p in packed] == ids.issued


def test_packing_is_deterministic() -> None:
    items = [_outgoing(n, OTHER_BUYER if n % 3 else BUYER) for n in range(120)]

    first = pack(items, new_id=Ids(), now=_clock)
    second = pack(items, new_id=Ids(), now=_clock)

    assert [p.zipped for p in first] == [p.zipped for p in second]


def test_application_responses_pack_into_postbox_envelopes(ids: Ids, samples_dir) -> None:  # type: ignore[no-untyped-def]
    response = (
        samples_dir / "gib-ubltr-1.2.1" / "IHRACAT_GTB_UygulamaYaniti_KABUL.xml"
    ).read_bytes()
    gtb = Party("urn:mail:ihracatpk@gtb.gov.tr", "1460415308")
    exporter = Party("urn:mail:defaultgb@aaa.com.tr", "1111111111")

    packed = pack(
        [Outgoing(response, gtb, exporter)],
        envelope_type=EnvelopeType.POSTBOX,
        new_id=ids,
        now=_clock,
    )

    assert packed[0].envelope.header.type is EnvelopeType.POSTBOX


def test_packed_real_invoices_pass_gib_validation(ids: Ids, ticari_bytes: bytes) -> None:
    items = [Outgoing(invoice_from(ticari_bytes, number=n), SELLER, BUYER) for n in range(3)]

    (packed,) = pack(items, new_id=ids, now=_clock)

    assert [b.kod for b in kontrol_et(packed.envelope.xml).bulgular if b.seviye == "hata"] == []


def test_zero_document_limit_is_refused(ids: Ids) -> None:
    with pytest.raises(EnvelopeError):
        pack([_outgoing(1)], new_id=ids, now=_clock, limits=PackLimits(max_documents=0))


def test_nothing_to_pack_gives_no_envelope(ids: Ids) -> None:
    assert pack([], new_id=ids, now=_clock) == []


# --- invariants -------------------------------------------------------------------------------

_RECEIVERS = [BUYER, OTHER_BUYER]
_PROFILES = ["TICARIFATURA", "TICARIFATURA", "TEMELFATURA", "IHRACAT", "YOLCUBERABERFATURA"]

_documents = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.sampled_from(_PROFILES),
        st.integers(0, 1500),
        st.sampled_from([None, "Signature", "Signature_x", "Signature_y"]),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    specs=_documents,
    max_documents=st.integers(1, 7),
    max_zip_bytes=st.integers(5000, 15000),
    seed=st.integers(0, 2**16),
)
def test_pack_invariants(
    specs: list[tuple[int, str, int, str | None]], max_documents: int, max_zip_bytes: int, seed: int
) -> None:
    noise = random.Random(seed)
    items = [
        _outgoing(
            n, _RECEIVERS[receiver], profile=profile, filler=noise.randbytes(size), signature_id=sig
        )
        for n, (receiver, profile, size, sig) in enumerate(specs)
    ]
    limits = PackLimits(max_documents=max_documents, max_zip_bytes=max_zip_bytes)
    ids = Ids()

    packed = pack(items, new_id=ids, now=_clock, limits=limits)

    placed = sorted(i for p in packed for i in p.items)
    assert placed == list(range(len(items)))  # every document in exactly one envelope
    assert len({p.envelope.envelope_id for p in packed}) == len(packed) == len(ids.issued)
    for result in packed:
        assert 1 <= len(result.items) <= max_documents
        assert len(result.zipped.data) <= max_zip_bytes
        assert {items[i].receiver for i in result.items} == {result.envelope.header.receiver}
        assert list(result.items) == sorted(result.items)
        solo = [i for i in result.items if specs[i][1] in ("IHRACAT", "YOLCUBERABERFATURA")]
        assert not solo or len(result.items) == 1
        signature_ids = [specs[i][3] for i in result.items if specs[i][3] is not None]
        assert len(signature_ids) == len(set(signature_ids))
