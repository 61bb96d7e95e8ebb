"""Reading envelopes: round trips of every type, GİB's samples, and each refusal's code."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from entegrator.envelope import (
    GIB,
    AccountHolder,
    ElementType,
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
    parse_envelope,
    read_envelope,
    read_system_response,
    read_user_account,
    system_envelope,
)
from entegrator.envelope.model import GTB_EXPORT_ALIAS, GTB_VKN
from entegrator.ubl.ns import cbc
from tests.envelope.support import BUYER, SELLER, Ids, invoice_from

INTEGRATOR = Party("usergb", "9999999999", "e-Fatura Deneme A.Ş.")
GTB = Party(GTB_EXPORT_ALIAS, GTB_VKN)
EXPORTER = Party("urn:mail:defaultgb@aaa.com.tr", "1111111111")

ENVELOPE = """<?xml version="1.0" encoding="UTF-8"?>
<sh:StandardBusinessDocument xmlns:sh="http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader"
    xmlns:ef="http://www.efatura.gov.tr/package-namespace">
 <sh:StandardBusinessDocumentHeader>
  <sh:HeaderVersion>1.0</sh:HeaderVersion>
  <sh:Sender><sh:Identifier>urn:mail:a@b.com</sh:Identifier>
   <sh:ContactInformation><sh:Contact>1288331521</sh:Contact>
    <sh:ContactTypeIdentifier>VKN_TCKN</sh:ContactTypeIdentifier></sh:ContactInformation></sh:Sender>
  <sh:Receiver><sh:Identifier>urn:mail:c@d.com</sh:Identifier></sh:Receiver>
  <sh:DocumentIdentification>
   <sh:Standard>UBL-TR</sh:Standard><sh:TypeVersion>{version}</sh:TypeVersion>
   {instance}<sh:Type>{kind}</sh:Type>
   <sh:CreationDateAndTime>{created}</sh:CreationDateAndTime>
  </sh:DocumentIdentification>
 </sh:StandardBusinessDocumentHeader>
 <ef:Package><Elements><ElementType>{element_type}</ElementType><ElementCount>{count}</ElementCount>
  <ElementList>
   <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>
  </ElementList>
 </Elements></ef:Package>
</sh:StandardBusinessDocument>"""
ID = "6f1c1e2a-8f0b-4d3e-9c3a-1b2c3d4e5f60"


def _envelope(**changes: str) -> bytes:
    fields = {
        "version": "1.2",
        "instance": f"<sh:InstanceIdentifier>{ID}</sh:InstanceIdentifier>",
        "kind": "SENDERENVELOPE",
        "created": "2026-01-05T10:30:00",
        "element_type": "INVOICE",
        "count": "1",
    } | changes
    return ENVELOPE.format(**fields).encode("utf-8")


def _code(data: bytes, **kwargs: object) -> int | None:
    with pytest.raises(EnvelopeError) as caught:
        read_envelope(data, **kwargs)  # type: ignore[arg-type]
    return caught.value.gib_code


def _zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


# --- round trips ------------------------------------------------------------------------------


def test_sender_envelope_round_trip(
    ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes
) -> None:
    invoices = [invoice_from(ticari_bytes, number=n) for n in (1, 2, 3)]
    header = EnvelopeHeader(ids(), EnvelopeType.SENDER, SELLER, BUYER, clock())
    zipped = build_envelope(header, invoices).zipped()

    envelope = read_envelope(zipped.data, file_name=zipped.file_name)

    assert envelope.header == header
    assert envelope.element_type is ElementType.INVOICE
    assert [d.findtext(cbc("UUID")) for d in envelope.documents()] == [
        i.findtext(cbc("UUID")) for i in invoices
    ]
    assert envelope.entry_name == f"{header.envelope_id}.xml"


def test_postbox_envelope_round_trip(
    ids: Ids, clock: Callable[[], datetime], samples_dir: Path
) -> None:
    response = (
        samples_dir / "gib-ubltr-1.2.1" / "IHRACAT_GTB_UygulamaYaniti_KABUL.xml"
    ).read_bytes()
    header = EnvelopeHeader(ids(), EnvelopeType.POSTBOX, GTB, EXPORTER, clock())

    envelope = read_envelope(build_envelope(header, [response]).zipped().data)

    assert envelope.header == header
    assert envelope.document(0).findtext(cbc("ProfileID")) == "IHRACAT"


def test_system_envelope_round_trip(
    ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes
) -> None:
    answered = EnvelopeHeader(ids(), EnvelopeType.SENDER, SELLER, BUYER, clock())
    built = system_envelope(answered, 1200, new_id=ids, now=clock)

    envelope = read_envelope(built.zipped().data)

    assert envelope.header == built.header
    response = read_system_response(envelope)
    assert (response.envelope.id, response.status) == (answered.envelope_id, "1200")


def test_user_envelope_round_trip(ids: Ids, clock: Callable[[], datetime]) -> None:
    request = UserAccountRequest(
        UserAction.PROCESS,
        INTEGRATOR.vkn_tckn,
        AccountHolder("4540536920", title="Örnek A.Ş."),
        2,
        (
            Mailbox(Role.GB, "urn:mail:gb@ornek.com.tr", "GB"),
            Mailbox(Role.PK, "urn:mail:pk@ornek.com.tr", "PK"),
        ),
        clock(),
    )
    header = EnvelopeHeader(ids(), EnvelopeType.USER, INTEGRATOR, GIB, clock())

    envelope = read_envelope(build_envelope(header, [build_user_account(request)]).zipped().data)

    assert envelope.element_type is ElementType.PROCESS_USER_ACCOUNT
    assert read_user_account(envelope.document(0)) == request


def test_unzipped_xml_is_read_too(
    ids: Ids, clock: Callable[[], datetime], ticari_bytes: bytes
) -> None:
    header = EnvelopeHeader(ids(), EnvelopeType.SENDER, SELLER, BUYER, clock())
    built = build_envelope(header, [invoice_from(ticari_bytes)])

    envelope = read_envelope(built.xml)

    assert (envelope.header, envelope.xml, envelope.entry_name) == (header, built.xml, None)


def test_envelope_keeps_the_xml_as_received(samples_dir: Path) -> None:
    data = (samples_dir / "envelope-zip" / "e002da78-223f-438c-addb-16badeb047b5.zip").read_bytes()

    envelope = read_envelope(data)

    assert envelope.xml == zipfile.ZipFile(io.BytesIO(data)).read(envelope.entry_name)


def test_document_bytes_parse_back_to_the_document(paket: Path) -> None:
    envelope = read_envelope((paket / "2_TICARI_FATURA_ZARF.xml").read_bytes())

    data = envelope.document_bytes(0)

    assert data.startswith(b"<?xml")
    assert b"StandardBusinessDocumentHeader" not in data
    assert etree.fromstring(data).findtext(cbc("ID")) == envelope.elements[0].findtext(cbc("ID"))


# --- GİB's samples --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "element_type"),
    [
        ("1_TEMEL_FATURA_ZARF.xml", EnvelopeType.SENDER, ElementType.INVOICE),
        ("2_TICARI_FATURA_ZARF.xml", EnvelopeType.SENDER, ElementType.INVOICE),
        (
            "2_UYGULAMA_YANITI_KABUL_ZARF.xml",
            EnvelopeType.POSTBOX,
            ElementType.APPLICATION_RESPONSE,
        ),
        ("3_UYGULAMA_YANITI_RED_ZARF.xml", EnvelopeType.POSTBOX, ElementType.APPLICATION_RESPONSE),
        ("4_KULLANICI_ACMA_ZARF.xml", EnvelopeType.USER, ElementType.PROCESS_USER_ACCOUNT),
        ("5_KULLANICI_SILME_ZARF.xml", EnvelopeType.USER, ElementType.CANCEL_USER_ACCOUNT),
        ("6_TEMEL_FATURA_KDV_SIFIR_ZARF.xml", EnvelopeType.SENDER, ElementType.INVOICE),
        ("7_TEMEL_FATURA_IADE_ZARF.xml", EnvelopeType.SENDER, ElementType.INVOICE),
        ("7_UYGULAMA_YANITI_IADE_ZARF.xml", EnvelopeType.POSTBOX, ElementType.APPLICATION_RESPONSE),
        (
            "8_FATURA_SAKLAMA_KULLANICI_ACMA_ZARF.xml",
            EnvelopeType.USER,
            ElementType.PROCESS_USER_ACCOUNT,
        ),
        ("1_SISTEM_YANITI_MERKEZ.xml", EnvelopeType.SYSTEM, ElementType.APPLICATION_RESPONSE),
        ("1_SISTEM_YANITI_POSTA_KUTUSU.xml", EnvelopeType.SYSTEM, ElementType.APPLICATION_RESPONSE),
    ],
)
def test_gib_sample_envelopes_are_read(
    name: str, kind: EnvelopeType, element_type: ElementType, paket: Path
) -> None:
    envelope = read_envelope((paket / name).read_bytes())

    assert (envelope.header.type, envelope.element_type, len(envelope.elements)) == (
        kind,
        element_type,
        1,
    )
    assert envelope.header.type_version == "1.0"  # UBL 2.0: fails today's schematron, still read


def test_gib_sample_parties_are_read(paket: Path) -> None:
    header = read_envelope((paket / "1_SISTEM_YANITI_MERKEZ.xml").read_bytes()).header

    assert header.sender == GIB
    assert header.receiver == Party(
        "urn:mail:defaultgb@gib.gov.tr", "9999999999", "e-Fatura Deneme A.Ş."
    )
    assert header.created_at == datetime(2013, 6, 19, 14, 47, 58)


def test_integrator_zip_with_bom_is_read(samples_dir: Path) -> None:
    path = samples_dir / "envelope-zip" / "D47F0509-A9D8-4810-99BD-7E88B3FF75BB.zip"

    envelope = read_envelope(path.read_bytes(), file_name=path.name)

    assert envelope.header.type is EnvelopeType.SYSTEM


def test_integrator_zip_with_undeclared_prefix_is_1132(samples_dir: Path) -> None:
    """Atlas' 2015 POSTBOX sample uses the prefix apr: without declaring it."""
    path = samples_dir / "envelope-zip" / "0E477710-1092-4414-A939-DEAED1895FA7.zip"

    assert _code(path.read_bytes(), file_name=path.name) == 1132


def test_typed_fields_of_a_minimal_envelope() -> None:
    envelope = parse_envelope(_envelope())

    assert envelope.header.sender == Party("urn:mail:a@b.com", "1288331521")
    assert envelope.header.receiver == Party("urn:mail:c@d.com", "")  # no VKN_TCKN contact


# --- refusals and their codes -----------------------------------------------------------------


@pytest.mark.parametrize("data", [b"not xml", b"<a>", "<a>ç</a>".encode("cp1254"), b""])
def test_not_xml_is_1132(data: bytes) -> None:
    assert _code(data) == 1132


def test_entity_bomb_is_refused_as_not_xml() -> None:
    bomb = b'<!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;">]><a>&y;</a>'

    assert _code(bomb) == 1132


@pytest.mark.parametrize(
    "data",
    [
        b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>",
        _envelope()
        .replace(b"<ef:Package>", b"<ef:Paket>")
        .replace(b"</ef:Package>", b"</ef:Paket>"),
        _envelope().replace(b"<Elements>", b"<Groups>").replace(b"</Elements>", b"</Groups>"),
    ],
)
def test_wrong_structure_is_1140(data: bytes) -> None:
    assert _code(data) == 1140


@pytest.mark.parametrize("instance", ["", "<sh:InstanceIdentifier> </sh:InstanceIdentifier>"])
def test_missing_envelope_id_is_1141(instance: str) -> None:
    assert _code(_envelope(instance=instance)) == 1141


@pytest.mark.parametrize("value", ["12345", ID.replace("-", ""), ID + "0", "g" + ID[1:]])
def test_malformed_envelope_id_is_1111(value: str) -> None:
    assert (
        _code(_envelope(instance=f"<sh:InstanceIdentifier>{value}</sh:InstanceIdentifier>")) == 1111
    )


@pytest.mark.parametrize("version", ["2.0", "", "1.1"])
def test_unknown_type_version_is_1143(version: str) -> None:
    assert _code(_envelope(version=version)) == 1143


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": "LETTERENVELOPE"},
        {"element_type": "LETTER"},
        {"count": "2"},
        {"count": "x"},
        {"element_type": "APPLICATIONRESPONSE"},
    ],
)
def test_untypable_package_is_1150(changes: dict[str, str]) -> None:
    assert _code(_envelope(**changes)) == 1150


def test_bad_creation_time_is_1160() -> None:
    assert _code(_envelope(created="dün")) == 1160


def test_zip_entry_name_must_be_the_envelope_id_1133() -> None:
    data = _zip("6f1c1e2a-8f0b-4d3e-9c3a-000000000000.xml", _envelope())

    assert _code(data) == 1133


def test_zip_file_name_must_be_the_envelope_id_1142() -> None:
    data = _zip(f"{ID}.xml", _envelope())

    assert _code(data, file_name="6f1c1e2a-8f0b-4d3e-9c3a-000000000000.zip") == 1142


def test_file_name_check_comes_before_reading_2006() -> None:
    assert _code(_zip(f"{ID}.xml", _envelope()), file_name="zarf.zip") == 2006


def test_data_named_zip_must_be_a_zip_1110() -> None:
    assert _code(_envelope(), file_name=f"{ID}.zip") == 1110


def test_ids_compare_case_insensitively() -> None:
    data = _zip(f"{ID.upper()}.xml", _envelope())

    envelope = read_envelope(data, file_name=f"{ID.upper()}.zip")

    assert envelope.envelope_id == ID


def test_zipped_xml_that_is_not_xml_is_1132() -> None:
    assert _code(_zip(f"{ID}.xml", b"\x00\x01binary")) == 1132
