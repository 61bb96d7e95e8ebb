"""Preparing documents for embedding, and copying them back out as standalone documents."""

from __future__ import annotations

import copy

import pytest
from lxml import etree

from entegrator.envelope import ElementType, EnvelopeError, prepare, standalone
from entegrator.envelope.payload import to_bytes
from entegrator.ubl import xml
from tests.envelope.support import ThrowawayKey, invoice_from, sign_invoice


def test_bytes_and_element_give_the_same_payload(ticari_bytes: bytes) -> None:
    root = invoice_from(ticari_bytes)

    assert prepare(etree.tostring(root)).data == prepare(root).data


def test_payload_carries_type_ettn_and_profile(ticari_bytes: bytes) -> None:
    payload = prepare(invoice_from(ticari_bytes, number=5, profile="IHRACAT"))

    assert payload.element_type is ElementType.INVOICE
    assert payload.uuid == "f47ac10b-0000-0000-0000-000000000005"
    assert payload.profile_id == "IHRACAT"


def test_payload_lists_the_documents_xml_ids(paket) -> None:  # type: ignore[no-untyped-def]
    payload = prepare((paket / "4_KULLANICI_ACMA.xml").read_bytes())

    suffix = "60abf11e-7c38-4f57-a8ac-c3b08dc82848"
    assert {f"Signature_{suffix}", f"Counter_Signature_{suffix}", "csid1"} <= payload.xml_ids
    assert len(payload.xml_ids) == 10


def test_payload_has_no_xml_declaration(ticari_bytes: bytes) -> None:
    assert prepare(ticari_bytes).data.startswith(b"<Invoice ")


def test_prepared_payload_is_passed_through(ticari_bytes: bytes) -> None:
    payload = prepare(ticari_bytes)

    assert prepare(payload) is payload


def test_non_utf8_document_is_re_encoded() -> None:
    document = (
        '<?xml version="1.0" encoding="ISO-8859-9"?><Invoice xmlns="urn:oasis:names:'
        'specification:ubl:schema:xsd:Invoice-2">Şişli</Invoice>'
    ).encode("iso-8859-9")

    assert "Şişli".encode() in prepare(document).data


def test_unsigned_document_loses_its_stylesheet_instruction(ticari_bytes: bytes) -> None:
    assert b"xml-stylesheet" in ticari_bytes

    assert b"xml-stylesheet" not in prepare(ticari_bytes).data


def test_signed_document_with_outside_nodes_is_refused(
    ticari_bytes: bytes, throwaway_key: ThrowawayKey
) -> None:
    signed = sign_invoice(invoice_from(ticari_bytes), throwaway_key, "c14n")
    with_instruction = signed.replace(b"?>", b'?>\n<?xml-stylesheet href="general.xslt"?>', 1)

    with pytest.raises(EnvelopeError):
        prepare(with_instruction)


def test_signed_document_with_trailing_comment_is_refused(
    ticari_bytes: bytes, throwaway_key: ThrowawayKey
) -> None:
    signed = sign_invoice(invoice_from(ticari_bytes), throwaway_key, "c14n")

    with pytest.raises(EnvelopeError):
        prepare(signed + b"<!-- imzadan sonra -->")


def test_sub_element_is_refused(ticari_bytes: bytes) -> None:
    holder = etree.Element("holder")
    holder.append(invoice_from(ticari_bytes))

    with pytest.raises(EnvelopeError):
        prepare(holder[0])


@pytest.mark.parametrize(
    "document",
    [b"<a/>", b"<Invoice/>", b"not xml", b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', "metin", 42],
)
def test_unusable_input_is_refused(document: object) -> None:
    with pytest.raises(EnvelopeError):
        prepare(document)  # type: ignore[arg-type]


def test_standalone_copy_drops_envelope_namespaces(paket) -> None:  # type: ignore[no-untyped-def]
    envelope = xml.parse((paket / "4_KULLANICI_ACMA_ZARF.xml").read_bytes())
    inner = envelope.find(".//{http://www.hr-xml.org/3}ProcessUserAccount")
    assert "sh" in inner.nsmap  # in place it inherits the envelope's declarations

    copied = standalone(inner)

    assert copied.getparent() is None
    assert not {"sh", "ef"} & set(copied.nsmap)
    assert copied.tail is None


def test_standalone_copy_leaves_the_envelope_untouched(paket) -> None:  # type: ignore[no-untyped-def]
    envelope = xml.parse((paket / "2_TICARI_FATURA_ZARF.xml").read_bytes())
    before = etree.tostring(envelope)
    inner = envelope.find(".//{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice")

    standalone(inner).clear()

    assert etree.tostring(envelope) == before


def test_to_bytes_round_trips(ticari_bytes: bytes) -> None:
    root = invoice_from(ticari_bytes)

    data = to_bytes(copy.deepcopy(root))

    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert etree.tostring(xml.parse(data), method="c14n") == etree.tostring(root, method="c14n")
