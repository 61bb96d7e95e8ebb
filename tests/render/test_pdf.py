"""Tests for entegrator.render.pdf (WeasyPrint, read back with poppler's pdftotext/pdfinfo)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from entegrator.render import html_to_pdf, render_pdf
from entegrator.render.pdf import local_only_fetcher

ReadPdf = Callable[[bytes], str]
PdfMeta = Callable[[bytes], dict[str, str]]


def test_render_pdf_is_a4(ticari: bytes, pdf_meta: PdfMeta) -> None:
    info = pdf_meta(render_pdf(ticari, stylesheet="own"))
    assert "(A4)" in info["Page size"]
    assert info["Pages"] == "1"


def test_render_pdf_keeps_turkish_letters(ticari: bytes, read_pdf: ReadPdf) -> None:
    text = read_pdf(render_pdf(ticari, stylesheet="own"))
    assert "AAA Anonim Şirketi" in text
    assert "İstanbul" in text
    assert "Notebook Çantası" in text
    assert "Diğer Vergiler" in text
    assert "Özelleştirme No" in text


def test_render_pdf_shows_invoice_facts(ticari: bytes, read_pdf: ReadPdf) -> None:
    text = read_pdf(render_pdf(ticari, stylesheet="own"))
    assert "GIB2009000000011" in text
    assert "F47AC10B-58CC-4372-A567-0E02B2C3D479" in text
    assert "29.755,47 TL" in text
    assert "Yalnız: Yirmi Dokuz Bin Yedi Yüz Elli Beş Türk Lirası Kırk Yedi Kuruş" in text


def test_render_pdf_with_document_stylesheet(ubltr: Path, read_pdf: ReadPdf) -> None:
    invoice = (ubltr / "YTB_Satis_Efatura.xml").read_bytes()
    assert "GIB2025000000001" in read_pdf(render_pdf(invoice, stylesheet="embedded"))


def test_html_to_pdf_fetches_no_files(tmp_path: Path, read_pdf: ReadPdf) -> None:
    sheet = tmp_path / "sizinti.css"
    sheet.write_text("body::after { content: 'DOSYADAN-OKUNDU' }")
    page = (
        f'<html><head><link rel="stylesheet" href="{sheet.as_uri()}">'
        '<link rel="stylesheet" href="data:text/css,p::after{content:\'VERI-URI\'}">'
        "</head><body><p>Merhaba</p></body></html>"
    )
    text = read_pdf(html_to_pdf(page.encode()))
    assert "VERI-URI" in text
    assert "DOSYADAN-OKUNDU" not in text


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "http://127.0.0.1:9/logo.png", "https://gib.gov.tr/x.png"]
)
def test_local_only_fetcher_refuses(url: str) -> None:
    with pytest.raises(ValueError, match="disallowed protocol"):
        local_only_fetcher().fetch(url)


def test_html_to_pdf_reads_declared_encoding(read_pdf: ReadPdf) -> None:
    page = '<html><head><meta charset="iso-8859-9"></head><body>Işık ğüşöç</body></html>'
    assert "Işık ğüşöç" in read_pdf(html_to_pdf(page.encode("iso-8859-9")))


@pytest.mark.slow
def test_render_pdf_thousand_lines(
    ticari: bytes,
    many_lines: Callable[[bytes, int], bytes],
    read_pdf: ReadPdf,
    pdf_meta: PdfMeta,
) -> None:
    pdf = render_pdf(many_lines(ticari, 1000), stylesheet="own")
    assert int(pdf_meta(pdf)["Pages"]) > 10
    text = read_pdf(pdf)
    assert "Kalem 1000 çağrı" in text
    assert text.count("Mal Hizmet Tutarı") > 10  # the table head repeats on every page
