"""Signatures survive the envelope: embed → zip → unzip → read → extract → verify."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import xmlsec
from lxml import etree

from entegrator.envelope import (
    GIB,
    EnvelopeHeader,
    EnvelopeType,
    Party,
    build_envelope,
    read_envelope,
)
from entegrator.ubl import xml
from tests.envelope.support import (
    BUYER,
    SELLER,
    Ids,
    ThrowawayKey,
    counter_signature,
    first_signature,
    invoice_from,
    sign_invoice,
    verify,
    xades_id_holders,
)

INTEGRATOR = Party("usergb", "9999999999", "e-Fatura Deneme A.Ş.")


def _round_trip(header: EnvelopeHeader, document: bytes | etree._Element) -> etree._Element:
    built = build_envelope(header, [document])
    zipped = built.zipped()
    return read_envelope(zipped.data, file_name=zipped.file_name).document(0)


@pytest.mark.parametrize("c14n", ["c14n-comments", "c14n", "exc-c14n"])
def test_signed_invoice_verifies_after_round_trip(
    c14n: str,
    ticari_bytes: bytes,
    throwaway_key: ThrowawayKey,
    ids: Ids,
    clock: Callable[[], datetime],
) -> None:
    signed = sign_invoice(invoice_from(ticari_bytes), throwaway_key, c14n)
    verify(first_signature(xml.parse(signed)))  # the control: valid before embedding
    header = EnvelopeHeader(ids(), EnvelopeType.SENDER, SELLER, BUYER, clock())

    extracted = _round_trip(header, signed)

    verify(first_signature(extracted))


def test_signed_invoice_given_as_element_verifies_after_round_trip(
    ticari_bytes: bytes, throwaway_key: ThrowawayKey, ids: Ids, clock: Callable[[], datetime]
) -> None:
    root = invoice_from(ticari_bytes)
    sign_invoice(root, throwaway_key, "c14n-comments")
    header = EnvelopeHeader(ids(), EnvelopeType.SENDER, SELLER, BUYER, clock())

    extracted = _round_trip(header, root)

    verify(first_signature(extracted))


def test_inclusive_signature_fails_on_the_element_inside_the_envelope(
    ticari_bytes: bytes, throwaway_key: ThrowawayKey, ids: Ids, clock: Callable[[], datetime]
) -> None:
    """Why documents are extracted: in place, URI="" means the whole envelope."""
    signed = sign_invoice(invoice_from(ticari_bytes), throwaway_key, "c14n-comments")
    built = build_envelope(
        EnvelopeHeader(ids(), EnvelopeType.SENDER, SELLER, BUYER, clock()), [signed]
    )
    in_place = read_envelope(built.xml).elements[0]

    with pytest.raises(xmlsec.Error):
        verify(first_signature(in_place))


def test_document_bytes_are_spliced_verbatim(
    ticari_bytes: bytes, throwaway_key: ThrowawayKey, ids: Ids, clock: Callable[[], datetime]
) -> None:
    signed = sign_invoice(invoice_from(ticari_bytes), throwaway_key, "c14n-comments")
    body = signed.split(b"?>", 1)[1].strip()  # the root element as the signer wrote it

    built = build_envelope(
        EnvelopeHeader(ids(), EnvelopeType.SENDER, SELLER, BUYER, clock()), [signed]
    )

    assert body in built.xml


def test_extracted_document_has_the_signed_canonical_form(
    ticari_bytes: bytes, throwaway_key: ThrowawayKey, ids: Ids, clock: Callable[[], datetime]
) -> None:
    signed = sign_invoice(invoice_from(ticari_bytes), throwaway_key, "c14n-comments")
    header = EnvelopeHeader(ids(), EnvelopeType.SENDER, SELLER, BUYER, clock())

    envelope = read_envelope(build_envelope(header, [signed]).zipped().data)

    expected = etree.tostring(xml.parse(signed).getroottree(), method="c14n", with_comments=True)
    assert (
        etree.tostring(envelope.document(0).getroottree(), method="c14n", with_comments=True)
        == expected
    )
    assert xml.parse(envelope.document_bytes(0)).tag == xml.parse(signed).tag


def test_gib_signed_user_account_verifies_after_round_trip(
    paket: Path, ids: Ids, clock: Callable[[], datetime]
) -> None:
    """GİB's 2013 PUA sample: integrator XAdES + customer counter-signature (seri imza)."""
    document = (paket / "4_KULLANICI_ACMA.xml").read_bytes()
    header = EnvelopeHeader(ids(), EnvelopeType.USER, INTEGRATOR, GIB, clock())

    extracted = _round_trip(header, document)

    holders = list(xades_id_holders(extracted))
    verify(first_signature(extracted), holders)
    verify(counter_signature(extracted), holders)


def test_gib_sample_envelope_signature_verifies_when_extracted(paket: Path) -> None:
    envelope = read_envelope((paket / "5_KULLANICI_SILME_ZARF.xml").read_bytes())

    extracted = envelope.document(0)

    verify(first_signature(extracted), list(xades_id_holders(extracted)))
