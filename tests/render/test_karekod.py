"""Tests for entegrator.render.karekod (GİB Karekod Standardı Kılavuzu v1.2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import zxingcpp
from lxml import etree
from PIL import Image

from entegrator.render import render_pdf
from entegrator.render.errors import RenderError
from entegrator.render.karekod import karekod_json, karekod_payload, karekod_svg
from entegrator.ubl import ns, xml


def test_karekod_payload_of_ticari_sample(ticari: bytes) -> None:
    assert karekod_payload(xml.parse(ticari)) == {
        "vkntckn": "1288331521",
        "avkntckn": "9205121120",
        "senaryo": "TICARIFATURA",
        "tip": "SATIS",
        "tarih": "2009-01-05",
        "no": "GIB2009000000011",
        "ettn": "F47AC10B-58CC-4372-A567-0E02B2C3D479",
        "parabirimi": "TRY",
        "malhizmettoplam": "26003.40",
        "kdvmatrah(18)": "25216.50",
        "hesaplanankdv(18)": "4538.97",
        "vergidahil": "29755.47",
        "odenecek": "29755.47",
    }


def test_karekod_payload_keys_follow_the_guide_order(ticari: bytes) -> None:
    keys = list(karekod_payload(xml.parse(ticari)))
    assert keys[:8] == [
        "vkntckn",
        "avkntckn",
        "senaryo",
        "tip",
        "tarih",
        "no",
        "ettn",
        "parabirimi",
    ]
    assert keys[-2:] == ["vergidahil", "odenecek"]


def test_karekod_payload_yolcuberaber_adds_passport_and_agent(ubltr: Path) -> None:
    payload = karekod_payload(xml.parse((ubltr / "YOLCUBERABER.xml").read_bytes()))
    assert list(payload)[:4] == ["vkntckn", "avkntckn", "pasaportno", "aracikurumvkn"]
    assert payload["pasaportno"] == "Pasaport No"
    assert payload["aracikurumvkn"] == "1111111111"


def test_karekod_payload_other_profiles_have_no_passport(ticari: bytes) -> None:
    assert "pasaportno" not in karekod_payload(xml.parse(ticari))


def _add_kdv_subtotal(invoice: bytes, percent: str, base: str, tax: str) -> etree._Element:
    root = xml.parse(invoice)
    total = root.find("cac:TaxTotal", ns.NS)
    sub = etree.SubElement(total, ns.cac("TaxSubtotal"))
    etree.SubElement(sub, ns.cbc("TaxableAmount"), currencyID="TRY").text = base
    etree.SubElement(sub, ns.cbc("TaxAmount"), currencyID="TRY").text = tax
    etree.SubElement(sub, ns.cbc("Percent")).text = percent
    scheme = etree.SubElement(etree.SubElement(sub, ns.cac("TaxCategory")), ns.cac("TaxScheme"))
    etree.SubElement(scheme, ns.cbc("TaxTypeCode")).text = "0015"
    return root


def test_karekod_payload_one_pair_per_kdv_rate(ticari: bytes) -> None:
    payload = karekod_payload(_add_kdv_subtotal(ticari, "8.00", "100", "8"))
    assert payload["kdvmatrah(8)"] == "100.00"
    assert payload["hesaplanankdv(8)"] == "8.00"
    assert payload["kdvmatrah(18)"] == "25216.50"


def test_karekod_payload_sums_subtotals_of_the_same_rate(ticari: bytes) -> None:
    payload = karekod_payload(_add_kdv_subtotal(ticari, "18.0", "100", "18"))
    assert payload["kdvmatrah(18)"] == "25316.50"
    assert payload["hesaplanankdv(18)"] == "4556.97"


def test_karekod_payload_ignores_other_taxes(ubltr: Path) -> None:
    payload = karekod_payload(xml.parse((ubltr / "OTV.xml").read_bytes()))
    assert [k for k in payload if k.startswith("kdvmatrah")] == ["kdvmatrah(18)"]
    assert payload["hesaplanankdv(18)"] == "1482.17"


def test_karekod_payload_takes_tckn_supplier(ticari: bytes) -> None:
    root = xml.parse(ticari)
    node = root.find("cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID", ns.NS)
    node.set("schemeID", "TCKN")
    node.text = "10000000146"
    assert karekod_payload(root)["vkntckn"] == "10000000146"


def test_karekod_payload_refuses_non_invoice(ubltr: Path) -> None:
    with pytest.raises(RenderError):
        karekod_payload(xml.parse((ubltr / "KabulUygulamaYanitiOrnegi.xml").read_bytes()))


def test_karekod_json_is_compact_and_keeps_turkish() -> None:
    assert karekod_json({"senaryo": "TEMELFATURA", "not": "ğüş"}) == (
        '{"senaryo":"TEMELFATURA","not":"ğüş"}'
    )


def test_karekod_svg_is_an_svg_element(ticari: bytes) -> None:
    svg = etree.fromstring(karekod_svg(karekod_payload(xml.parse(ticari))))
    assert svg.tag == "svg"
    assert svg.get("viewBox")


def test_karekod_decodes_from_the_printed_pdf(
    ticari: bytes, rasterise: Callable[[bytes], Path]
) -> None:
    page = Image.open(rasterise(render_pdf(ticari, stylesheet="own")))
    found = [b for b in zxingcpp.read_barcodes(page) if b.format == zxingcpp.BarcodeFormat.QRCode]
    assert len(found) == 1
    assert json.loads(found[0].text) == karekod_payload(xml.parse(ticari))


def test_karekod_payload_survives_absurd_amounts(ticari: bytes) -> None:
    root = xml.parse(ticari)
    root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", ns.NS).text = "1E+40"
    root.find("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount", ns.NS).text = "yok"
    payload = karekod_payload(root)
    assert payload["odenecek"] == ""
    assert payload["vergidahil"] == ""
