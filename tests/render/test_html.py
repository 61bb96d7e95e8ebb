"""Tests for entegrator.render.html with the project's own stylesheets."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import html as lxml_html

from entegrator.render import render_html
from entegrator.render.errors import EmbeddedStylesheetError, RenderError
from entegrator.ubl.xml import XmlError

Text = Callable[[bytes], str]


def test_render_html_shows_invoice_identity(ticari: bytes, page_text: Text) -> None:
    text = page_text(render_html(ticari, stylesheet="own"))
    assert "Fatura No GIB2009000000011" in text
    assert "ETTN: F47AC10B-58CC-4372-A567-0E02B2C3D479" in text
    assert "Senaryo TICARIFATURA" in text
    assert "Fatura Tipi SATIS" in text
    assert "Fatura Tarihi 05-01-2009" in text
    assert "Düzenleme Saati 14:42:00" in text


def test_render_html_shows_both_parties(ticari: bytes, page_text: Text) -> None:
    text = page_text(render_html(ticari, stylesheet="own"))
    assert "AAA Anonim Şirketi" in text
    assert "VKN: 1288331521" in text
    assert "Vergi Dairesi: Büyük Mükellefler" in text
    assert "SAYIN BBB Limited Şirketi" in text
    assert "VKN: 9205121120" in text
    assert "Vergi Dairesi: Çankaya" in text
    assert "E-Posta: bb@bbb.com.tr" in text


def test_render_html_shows_the_xml_totals(ticari: bytes, page_text: Text) -> None:
    text = page_text(render_html(ticari, stylesheet="own"))
    assert "Mal Hizmet Toplam Tutarı 26.003,40 TL" in text
    assert "Toplam İskonto 786,90 TL" in text
    assert "Vergi Hariç Tutar 25.216,50 TL" in text
    assert "Hesaplanan KDV (%18) 4.538,97 TL" in text
    assert "Vergiler Dahil Toplam Tutar 29.755,47 TL" in text
    assert "Ödenecek Tutar 29.755,47 TL" in text


def test_render_html_shows_lines_with_units_and_discounts(ticari: bytes, page_text: Text) -> None:
    text = page_text(render_html(ticari, stylesheet="own"))
    assert "1 Masa Üstü Bilgisayar 12 Adet 825,50 TL İskonto %5: 495,30 TL %18 1.693,93 TL" in text
    assert "5 CD-R 2*56 200 Kutu 7,00 TL" in text


def test_render_html_writes_amount_in_words(ticari: bytes, page_text: Text) -> None:
    text = page_text(render_html(ticari, stylesheet="own"))
    assert "Yalnız: Yirmi Dokuz Bin Yedi Yüz Elli Beş Türk Lirası Kırk Yedi Kuruş" in text


def test_render_html_shows_payment_and_references(ticari: bytes, page_text: Text) -> None:
    text = page_text(render_html(ticari, stylesheet="own"))
    assert "IBAN / Hesap: 5652214414" in text
    assert "Son Ödeme Tarihi: 25-11-2008" in text
    assert "İrsaliye 180921 / 02-01-2009" in text


def test_render_html_places_karekod_svg(ticari: bytes) -> None:
    page = lxml_html.fromstring(render_html(ticari, stylesheet="own"))
    slot = page.get_element_by_id("karekod")
    assert [child.tag for child in slot] == ["svg"]


def test_render_html_withholding_summary(ubltr: Path, page_text: Text) -> None:
    text = page_text(render_html((ubltr / "TEVKIFAT.xml").read_bytes(), stylesheet="own"))
    assert "606 9/10" in text
    assert "KDV Tevkifat Tutarı 3.240,00 TL" in text
    assert "Ödenecek Tutar 20.360,00 TL" in text


def test_render_html_line_withholding(ubltr: Path, page_text: Text) -> None:
    invoice = (ubltr / "YTB_Tevkifat_Efatura.xml").read_bytes()
    text = page_text(render_html(invoice, stylesheet="own"))
    assert "%10 22,50 TL Tevkifat 613 9/10: 20,25 TL 225,00 TL" in text
    assert "[KDVGUT-(I/C-2.1.3.2.11)] (613) 9/10 22,50 TL 20,25 TL" in text


def test_render_html_exemption_reason(ubltr: Path, page_text: Text) -> None:
    text = page_text(render_html((ubltr / "IHRACAT.xml").read_bytes(), stylesheet="own"))
    assert "301 - 11/1-a Mal ihracatı" in text


def test_render_html_export_buyer_and_customs_code(ubltr: Path, page_text: Text) -> None:
    text = page_text(render_html((ubltr / "IHRACAT.xml").read_bytes(), stylesheet="own"))
    assert "ALICI (EXPORT) Farthing Purchasing Consortium" in text
    assert "GTİP: 020622000000" in text


def test_render_html_other_taxes(ubltr: Path, page_text: Text) -> None:
    text = page_text(render_html((ubltr / "OTV.xml").read_bytes(), stylesheet="own"))
    assert "Hesaplanan ÖTV 1. Liste 1.842,62 TL" in text
    assert "birim: 1,9985 TL" in text


def test_render_html_foreign_currency(ubltr: Path, page_text: Text) -> None:
    text = page_text(render_html((ubltr / "ISTISNA-1.xml").read_bytes(), stylesheet="own"))
    assert "Ödenecek Tutar 26.475,00 USD" in text
    assert "Yalnız: Yirmi Altı Bin Dört Yüz Yetmiş Beş ABD Doları" in text


def test_render_html_return_invoice_reference(ubltr: Path, page_text: Text) -> None:
    invoice = (ubltr / "IadeFaturasiOrnegi.xml").read_bytes()
    text = page_text(render_html(invoice, stylesheet="own"))
    assert "İade/İlgili Fatura GIB2009000000011 / 05-01-2009 (FATURA)" in text


def test_render_html_person_parties(ubltr: Path, page_text: Text) -> None:
    text = page_text(render_html((ubltr / "YOLCUBERABER.xml").read_bytes(), stylesheet="own"))
    assert "Tax Free Mükellef" in text
    assert "TCKN: 77777777703" in text
    assert "Pasaport No: Pasaport No" in text
    assert "ARACI KURUM" in text


def test_render_html_application_response(ubltr: Path, page_text: Text) -> None:
    page = (ubltr / "RedUygulamaYanitiOrnegi.xml").read_bytes()
    text = page_text(render_html(page, stylesheet="own"))
    assert "RED" in text
    assert "Belge No GIB2009000000011" in text
    assert "Fatura satış anlaşmasına uygun fiyatlandırılmaması nedeniyle reddedilmiştir" in text


def test_render_html_refuses_other_documents(ubltr: Path) -> None:
    with pytest.raises(RenderError, match="DespatchAdvice"):
        render_html((ubltr / "Irsaliye-Ornek1.xml").read_bytes(), stylesheet="own")


def test_render_html_refuses_envelopes(samples_dir: Path) -> None:
    envelope = (samples_dir / "gib-efatura-paketi" / "2_TICARI_FATURA_ZARF.xml").read_bytes()
    with pytest.raises(RenderError, match="zarf"):
        render_html(envelope)


def test_render_html_refuses_unknown_choice(ticari: bytes) -> None:
    with pytest.raises(RenderError):
        render_html(ticari, stylesheet="gib")  # type: ignore[arg-type]


def test_render_html_refuses_malformed_xml() -> None:
    with pytest.raises(XmlError):
        render_html(b"<Invoice><unclosed></Invoice>")


def test_render_html_auto_uses_document_stylesheet(ubltr: Path) -> None:
    invoice = (ubltr / "YTB_Satis_Efatura.xml").read_bytes()
    assert render_html(invoice) == render_html(invoice, stylesheet="embedded")
    assert render_html(invoice) != render_html(invoice, stylesheet="own")


def test_render_html_auto_falls_back_when_embedded_is_empty(ubltr: Path) -> None:
    invoice = (ubltr / "IHRACAT.xml").read_bytes()  # DocumentType XSLT, no content
    assert render_html(invoice) == render_html(invoice, stylesheet="own")


def test_render_html_embedded_reports_missing(ubltr: Path) -> None:
    with pytest.raises(EmbeddedStylesheetError) as caught:
        render_html((ubltr / "IHRACAT.xml").read_bytes(), stylesheet="embedded")
    assert caught.value.problem == "missing"


def test_render_html_missing_embedded_is_not_logged(
    ubltr: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="entegrator.render"):
        render_html((ubltr / "IHRACAT.xml").read_bytes())
    assert caplog.records == []


def test_render_html_same_result_from_many_threads(ubltr: Path) -> None:
    invoices = [(ubltr / n).read_bytes() for n in ("TEVKIFAT.xml", "IHRACAT.xml", "ISTISNA-1.xml")]
    expected = [render_html(doc, stylesheet="own") for doc in invoices]
    results: dict[tuple[int, int], bytes] = {}

    def work(worker: int) -> None:
        for round_ in range(5):
            for index, doc in enumerate(invoices):
                results[(worker, round_ * 10 + index)] = render_html(doc, stylesheet="own")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 * 5 * 3
    for (_, key), page in results.items():
        assert page == expected[key % 10]


def test_render_html_thousand_lines(
    ticari: bytes, many_lines: Callable[[bytes, int], bytes]
) -> None:
    page = lxml_html.fromstring(render_html(many_lines(ticari, 1000), stylesheet="own"))
    rows = page.xpath("//table[@class='ln']/tbody/tr")
    assert len(rows) == 1000
    assert "Kalem 1000 çağrı" in rows[-1].text_content()


def test_render_html_survives_broken_amounts(ticari: bytes, page_text: Text) -> None:
    broken = ticari.replace(b">29755.47</cbc:PayableAmount>", b">1E+40</cbc:PayableAmount>")
    assert broken != ticari
    text = page_text(render_html(broken, stylesheet="own"))
    assert "Fatura No GIB2009000000011" in text
    assert "Yalnız" not in text
