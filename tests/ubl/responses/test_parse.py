"""Tests for entegrator.ubl.responses.parse, against GİB's samples and our own output."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, time, timedelta, timezone
from pathlib import Path

import pytest
from lxml import etree

from entegrator.errors import DocumentError
from entegrator.ubl import ns
from entegrator.ubl.responses import (
    BusinessResponse,
    ResponseError,
    SystemResponse,
    from_element,
    parse,
    to_xml,
)
from entegrator.ubl.xml import XmlError
from entegrator.ubl.xml import parse as parse_xml

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
#: Samples that are not well-formed XML at all (GİB's and a third party's mistakes).
MALFORMED = {
    "gib-efatura-paketi/7_UYGULAMA_YANITI_IADE.xml",
    "envelope-zip/0E477710-1092-4414-A939-DEAED1895FA7.zip",
}


def _sample_files() -> Iterator[tuple[str, bytes]]:
    for path in sorted(SAMPLES.rglob("*")):
        name = path.relative_to(SAMPLES).as_posix()
        if path.suffix == ".xml":
            yield name, path.read_bytes()
        elif path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for entry in archive.namelist():
                    yield name, archive.read(entry)


def _with_responses() -> list[tuple[str, bytes]]:
    return [(name, data) for name, data in _sample_files() if b"ApplicationResponse" in data]


SAMPLE_DOCUMENTS = _with_responses()


def _responses(data: bytes) -> list[etree._Element]:
    return list(parse_xml(data).iter(ns.qname(ns.APR, "ApplicationResponse")))


def _sample(samples_dir: Path, name: str) -> BusinessResponse | SystemResponse:
    (element,) = _responses((samples_dir / name).read_bytes())
    return from_element(element)


def test_sample_set_is_complete() -> None:
    assert len(SAMPLE_DOCUMENTS) >= 20


@pytest.mark.parametrize(("name", "data"), SAMPLE_DOCUMENTS, ids=[n for n, _ in SAMPLE_DOCUMENTS])
def test_every_sample_is_read_or_refused_cleanly(name: str, data: bytes) -> None:
    if name in MALFORMED:
        with pytest.raises(XmlError):
            parse_xml(data)
        return
    elements = _responses(data)
    for element in elements:
        response = from_element(element)
        assert isinstance(response, BusinessResponse | SystemResponse)
        assert response.issue_date.year >= 2009


def test_bare_document_bytes_parse(samples_dir: Path) -> None:
    data = (samples_dir / "gib-ubltr-1.2.1/RedUygulamaYanitiOrnegi.xml").read_bytes()
    response = parse(data)
    assert isinstance(response, BusinessResponse)
    assert response.code == "RED"
    assert response.lines[0].description == (
        "Fatura satış anlaşmasına uygun fiyatlandırılmaması nedeniyle reddedilmiştir"
    )


def test_invoice_number_form_is_accepted(samples_dir: Path) -> None:
    response = _sample(samples_dir, "gib-ubltr-1.2.1/KabulUygulamaYanitiOrnegi.xml")
    assert isinstance(response, BusinessResponse)
    assert response.invoice.invoice_number == "GIB2009000000011"
    assert response.invoice.ettn is None
    assert response.invoice.type_code == "FATURA"
    assert response.profile_id == "TicariFatura"  # as written; build would refuse it


def test_ettn_form_and_signature_are_read(samples_dir: Path) -> None:
    response = _sample(samples_dir, "gib-efatura-paketi/2_UYGULAMA_YANITI_KABUL.xml")
    assert isinstance(response, BusinessResponse)
    assert response.invoice.ettn == "2d07cab5-bf97-4af5-96f8-ab45671a5e2e"
    assert response.invoice.type_code == "SATIS"
    assert response.signed is True
    assert response.signatory is not None and response.signatory.identifier == "9999999999"
    assert response.ubl_version_id == "2.0"
    assert response.reason == "Fatura kabul edildi."


def test_gtb_party_keeps_extra_ids(samples_dir: Path) -> None:
    response = _sample(samples_dir, "gib-ubltr-1.2.1/IHRACAT_GTB_UygulamaYaniti_RED.xml")
    assert response.sender.identifier == "1460415308"
    assert response.sender.other_ids == (("GTB_REFNO", "16545419880849000000392"),)
    assert response.signatory is None and response.signed is False
    assert response.issue_time == time(15, 44, 22)


def test_merkez_system_response(samples_dir: Path) -> None:
    response = _sample(samples_dir, "gib-efatura-paketi/1_SISTEM_YANITI_MERKEZ.xml")
    assert isinstance(response, SystemResponse)
    assert response.sender.identifier == "3900383669"
    assert response.envelope.id == "e002da78-223f-438c-addb-16badeb047b5"
    assert response.envelope.type_code == "SENDERENVELOPE"
    assert response.status_code is not None and response.status_code.code == 1200
    assert response.line_id == "0"
    assert response.receiver.address.city == ""


def test_system_response_with_a_business_code_is_read_as_written(samples_dir: Path) -> None:
    data = zipfile.ZipFile(
        samples_dir / "envelope-zip/D47F0509-A9D8-4810-99BD-7E88B3FF75BB.zip"
    ).read("D47F0509-A9D8-4810-99BD-7E88B3FF75BB.xml")
    (element,) = _responses(data)
    response = from_element(element)
    assert isinstance(response, SystemResponse)
    assert (response.status, response.status_code) == ("KABUL", None)


def test_iade_response_lines_are_read(samples_dir: Path) -> None:
    response = _sample(samples_dir, "gib-efatura-paketi/7_UYGULAMA_YANITI_IADE_ZARF.xml")
    assert isinstance(response, BusinessResponse)
    assert response.code == "IADE"
    assert response.lines


def test_business_round_trip(red: BusinessResponse) -> None:
    assert parse(to_xml(red)) == red


def test_person_round_trip(red: BusinessResponse, person) -> None:
    import dataclasses

    response = dataclasses.replace(red, sender=person, signatory=person, notes=("Not",))
    assert parse(to_xml(response)) == response


def test_system_round_trip(system: SystemResponse) -> None:
    assert parse(to_xml(system)) == system


def _document(body: str) -> bytes:
    return (
        f'<ApplicationResponse xmlns="{ns.APR}" xmlns:cac="{ns.CAC}" xmlns:cbc="{ns.CBC}">'
        f"{body}</ApplicationResponse>"
    ).encode()


RESPONSE = (
    "<cac:DocumentResponse><cac:Response><cbc:ResponseCode>KABUL</cbc:ResponseCode>"
    "</cac:Response></cac:DocumentResponse>"
)


def test_minimal_document_parses_leniently() -> None:
    response = parse(_document("<cbc:IssueDate>2024-01-02</cbc:IssueDate>" + RESPONSE))
    assert isinstance(response, BusinessResponse)
    assert (response.id, response.sender.identifier, response.invoice.id) == ("", "", "")
    assert response.sender.address.country == ""


def test_minimal_system_response_parses_leniently() -> None:
    body = RESPONSE.replace("KABUL", "S_APR")
    response = parse(_document("<cbc:IssueDate>2024-01-02</cbc:IssueDate>" + body))
    assert isinstance(response, SystemResponse)
    assert (response.status, response.envelope.id) == (None, "")


def test_issue_time_with_zone_is_read() -> None:
    body = "<cbc:IssueDate>2024-01-02</cbc:IssueDate><cbc:IssueTime>10:00:00Z</cbc:IssueTime>"
    response = parse(_document(body + RESPONSE))
    assert response.issue_time == time(10, 0, tzinfo=timezone(timedelta(0)))


def test_signatory_without_party_falls_back_to_signature_id() -> None:
    body = (
        "<cbc:IssueDate>2024-01-02</cbc:IssueDate>"
        '<cac:Signature><cbc:ID schemeID="VKN_TCKN">9205121120</cbc:ID></cac:Signature>'
    )
    response = parse(_document(body + RESPONSE))
    assert response.signatory is not None and response.signatory.identifier == "9205121120"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<cbc:IssueDate>2024-01-02</cbc:IssueDate>", "ResponseCode yok"),
        (RESPONSE, "IssueDate yok"),
        ("<cbc:IssueDate>02.01.2024</cbc:IssueDate>" + RESPONSE, "IssueDate okunamadı"),
        (
            "<cbc:IssueDate>2024-01-02</cbc:IssueDate><cbc:IssueTime>25:00</cbc:IssueTime>"
            + RESPONSE,
            "IssueTime okunamadı",
        ),
        (
            "<cbc:IssueDate>2024-01-02</cbc:IssueDate>"
            + RESPONSE.replace(
                "</cac:Response>",
                "</cac:Response><cac:DocumentReference><cbc:ID>x</cbc:ID>"
                "<cbc:IssueDate>2024-13-01</cbc:IssueDate></cac:DocumentReference>",
            ),
            "DocumentReference/cbc:IssueDate",
        ),
    ],
)
def test_broken_documents_raise_response_error(body: str, message: str) -> None:
    with pytest.raises(ResponseError, match=message):
        parse(_document(body))


def test_other_root_is_refused() -> None:
    with pytest.raises(ResponseError, match="ApplicationResponse değil"):
        parse(b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        b"<ApplicationResponse",
        b"",
    ],
)
def test_unsafe_or_broken_bytes_raise_document_error(data: bytes) -> None:
    with pytest.raises(DocumentError):
        parse(data)


def test_parsed_dates_are_dates(system: SystemResponse) -> None:
    assert parse(to_xml(system)).envelope.issue_date == date(2024, 3, 1)
