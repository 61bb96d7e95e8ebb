"""Building envelopes: header layout, and GİB's XSD + schematron accept what we build."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from efatura_kontrol.kontrol import kontrol_et
from lxml import etree

from entegrator.envelope import (
    GIB,
    AccountHolder,
    ElementType,
    EnvelopeHeader,
    EnvelopeType,
    Mailbox,
    Party,
    Role,
    UserAccountRequest,
    UserAction,
    build_envelope,
    build_user_account,
    signature_slot,
)
from entegrator.envelope.model import GTB_EXPORT_ALIAS, GTB_VKN
from entegrator.envelope.sbdh import format_datetime
from entegrator.ubl import xml
from entegrator.ubl.ns import NS, OA, qname
from tests.envelope.support import BUYER, SELLER, Ids, invoice_from

INTEGRATOR = Party("usergb", "9999999999", "e-Fatura Deneme A.Ş.")
GTB = Party(GTB_EXPORT_ALIAS, GTB_VKN, "Gümrük ve Ticaret Bakanlığı")
EXPORTER = Party("urn:mail:defaultgb@aaa.com.tr", "1111111111", "AAA Anonim Şirketi")


def _errors(envelope_xml: bytes) -> list[str]:
    report = kontrol_et(envelope_xml)
    return [f"{b.kod}: {b.mesaj}" for b in report.bulgular if b.seviye == "hata"]


def _header(
    ids: Ids, clock: Callable[[], datetime], kind: EnvelopeType, sender: Party, receiver: Party
) -> EnvelopeHeader:
    return EnvelopeHeader(ids(), kind, sender, receiver, clock())


def test_header_carries_gib_fields(
    ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes
) -> None:
    header = _header(ids, clock, EnvelopeType.SENDER, SELLER, BUYER)

    root = xml.parse(build_envelope(header, [invoice_from(ticari_bytes)]).xml)

    assert root.get(qname(NS["xsi"], "schemaLocation")).endswith("PackageProxy_1_2.xsd")
    ident = "sh:StandardBusinessDocumentHeader/sh:DocumentIdentification/sh:"
    assert root.findtext(f"{ident}Standard", namespaces=NS) == "UBL-TR"
    assert root.findtext(f"{ident}TypeVersion", namespaces=NS) == "1.2"
    assert root.findtext(f"{ident}InstanceIdentifier", namespaces=NS) == header.envelope_id
    assert root.findtext(f"{ident}Type", namespaces=NS) == "SENDERENVELOPE"
    assert root.findtext(f"{ident}CreationDateAndTime", namespaces=NS) == "2026-01-05T10:30:00"
    assert (
        root.findtext("sh:StandardBusinessDocumentHeader/sh:HeaderVersion", namespaces=NS) == "1.0"
    )


def test_parties_are_alias_vkn_and_title(
    ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes
) -> None:
    built = build_envelope(
        _header(ids, clock, EnvelopeType.SENDER, SELLER, BUYER), [invoice_from(ticari_bytes)]
    )
    sender = xml.parse(built.xml).find("sh:StandardBusinessDocumentHeader/sh:Sender", NS)

    contacts = {
        c.findtext("sh:ContactTypeIdentifier", namespaces=NS): c.findtext(
            "sh:Contact", namespaces=NS
        )
        for c in sender.iterfind("sh:ContactInformation", NS)
    }

    assert sender.findtext("sh:Identifier", namespaces=NS) == SELLER.alias
    assert contacts == {"VKN_TCKN": SELLER.vkn_tckn, "UNVAN": SELLER.title}


def test_title_is_optional(ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes) -> None:
    untitled = Party(SELLER.alias, SELLER.vkn_tckn)

    built = build_envelope(
        _header(ids, clock, EnvelopeType.SENDER, untitled, BUYER), [invoice_from(ticari_bytes)]
    )

    assert b"UNVAN" not in built.xml.split(b"</sh:Sender>")[0]


def test_package_elements_are_unqualified(
    ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes
) -> None:
    built = build_envelope(
        _header(ids, clock, EnvelopeType.SENDER, SELLER, BUYER), [invoice_from(ticari_bytes)]
    )

    elements = xml.parse(built.xml).find("ef:Package/Elements", NS)

    assert [child.tag for child in elements] == ["ElementType", "ElementCount", "ElementList"]
    assert elements.findtext("ElementType") == "INVOICE"
    assert elements.findtext("ElementCount") == "1"


def test_creation_time_keeps_its_offset() -> None:
    istanbul = timezone(timedelta(hours=3))

    assert (
        format_datetime(datetime(2026, 1, 5, 10, 30, 0, 999, tzinfo=istanbul))
        == "2026-01-05T10:30:00+03:00"
    )


def test_built_envelope_reports_the_documents_ettns(
    ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes
) -> None:
    invoices = [invoice_from(ticari_bytes, number=n) for n in (1, 2)]

    built = build_envelope(_header(ids, clock, EnvelopeType.SENDER, SELLER, BUYER), invoices)

    assert built.element_type is ElementType.INVOICE
    assert built.document_uuids == tuple(i.findtext(qname(NS["cbc"], "UUID")) for i in invoices)


def test_title_with_markup_characters_is_escaped(
    ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes
) -> None:
    tricky = Party(SELLER.alias, SELLER.vkn_tckn, 'A & B <Ltd> "Şti" <!--x-->')

    built = build_envelope(
        _header(ids, clock, EnvelopeType.SENDER, tricky, BUYER), [invoice_from(ticari_bytes)]
    )

    root = xml.parse(built.xml)
    assert tricky.title in [c.text for c in root.iter(qname(NS["sh"], "Contact"))]
    assert len(root.find("ef:Package/Elements/ElementList", NS)) == 1


def test_sender_envelope_passes_gib_validation(
    ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes
) -> None:
    invoices = [invoice_from(ticari_bytes, number=n) for n in range(1, 4)]

    built = build_envelope(_header(ids, clock, EnvelopeType.SENDER, SELLER, BUYER), invoices)

    assert _errors(built.xml) == []


def test_postbox_envelope_passes_gib_validation(
    ids: Ids, clock: Callable[[], datetime], samples_dir: Path
) -> None:
    response = (
        samples_dir / "gib-ubltr-1.2.1" / "IHRACAT_GTB_UygulamaYaniti_KABUL.xml"
    ).read_bytes()

    built = build_envelope(_header(ids, clock, EnvelopeType.POSTBOX, GTB, EXPORTER), [response])

    assert _errors(built.xml) == []


def test_system_envelope_with_gib_sample_passes_gib_validation(
    ids: Ids, clock: Callable[[], datetime], paket: Path
) -> None:
    response = (paket / "1_SISTEM_YANITI_GTB_POSTA_KUTUSU.xml").read_bytes()

    built = build_envelope(_header(ids, clock, EnvelopeType.SYSTEM, GTB, EXPORTER), [response])

    assert _errors(built.xml) == []


def test_user_envelope_with_gib_signed_sample_passes_gib_validation(
    ids: Ids, clock: Callable[[], datetime], paket: Path
) -> None:
    document = (paket / "4_KULLANICI_ACMA.xml").read_bytes()

    built = build_envelope(_header(ids, clock, EnvelopeType.USER, INTEGRATOR, GIB), [document])

    assert _errors(built.xml) == []


def test_user_envelope_with_built_account_passes_gib_validation(
    ids: Ids, clock: Callable[[], datetime], paket: Path
) -> None:
    """Our PUA, its signature slot filled with the structure of GİB's signed sample (the
    schematron checks the signature's structure; crypto is tested in test_signatures)."""
    request = UserAccountRequest(
        UserAction.PROCESS,
        INTEGRATOR.vkn_tckn,
        AccountHolder("4540536920", title="Örnek A.Ş."),
        2,
        (
            Mailbox(Role.GB, "urn:mail:defaultgb@ornek.com.tr"),
            Mailbox(Role.PK, "urn:mail:defaultpk@ornek.com.tr"),
        ),
        clock(),
    )
    document = build_user_account(request)
    sample = xml.parse((paket / "4_KULLANICI_ACMA.xml").read_bytes())
    signature_slot(document).append(copy.deepcopy(sample.find(f".//{qname(OA, 'Signature')}/*")))

    built = build_envelope(_header(ids, clock, EnvelopeType.USER, INTEGRATOR, GIB), [document])

    assert _errors(built.xml) == []


def test_unsigned_user_account_lacks_only_the_signature(
    ids: Ids, clock: Callable[[], datetime]
) -> None:
    request = UserAccountRequest(
        UserAction.CANCEL,
        INTEGRATOR.vkn_tckn,
        AccountHolder("17291716060", given_name="Ayşe", family_name="Kaya"),
        1,
        (Mailbox(Role.PK, "urn:mail:ayse@ornek.com.tr"),),
        clock(),
    )

    built = build_envelope(
        _header(ids, clock, EnvelopeType.USER, INTEGRATOR, GIB), [build_user_account(request)]
    )

    assert [e.split(":")[0] for e in _errors(built.xml)] == ["sch-OASignatureCheck-1"]


@pytest.mark.parametrize("count", [1, 2])
def test_documents_are_separated_inside_the_list(
    count: int, ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes
) -> None:
    invoices = [invoice_from(ticari_bytes, number=n) for n in range(count)]

    built = build_envelope(_header(ids, clock, EnvelopeType.SENDER, SELLER, BUYER), invoices)

    listed = xml.parse(built.xml).find("ef:Package/Elements/ElementList", NS)
    assert [etree.QName(child).localname for child in listed] == ["Invoice"] * count
