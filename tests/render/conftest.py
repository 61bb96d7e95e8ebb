"""Fixtures for the render tests: GİB's sample invoices, a way to embed a stylesheet into one,
and readers for the HTML text and the PDF text (poppler's pdftotext, which must be installed)."""

from __future__ import annotations

import base64
import copy
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree, html

from entegrator.ubl import ns, xml


@pytest.fixture(scope="session")
def ubltr(samples_dir: Path) -> Path:
    """GİB's UBL-TR 1.2.1 sample folder."""
    return samples_dir / "gib-ubltr-1.2.1"


@pytest.fixture(scope="session")
def ticari(ubltr: Path) -> bytes:
    """TicariFaturaOrnegi.xml: TICARIFATURA/SATIS, 8 lines, discounts, KDV 18 %."""
    return (ubltr / "TicariFaturaOrnegi.xml").read_bytes()


def visible_text(page: bytes) -> str:
    """The text a reader sees in an HTML page, whitespace collapsed (no <style>/<title>)."""
    root = html.fromstring(page)
    for hidden in root.xpath("//style|//title|//script"):
        hidden.drop_tree()
    return " ".join(" ".join(root.itertext()).split())


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} (poppler-utils) is required by the render tests")
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """Text of a PDF as pdftotext extracts it, whitespace collapsed."""
    source = tmp_path / "out.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", str(source), "-"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    return " ".join(done.stdout.decode("utf-8").split())


def pdf_info(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    """pdfinfo's key/value lines for a PDF."""
    source = tmp_path / "info.pdf"
    source.write_bytes(pdf)
    done = subprocess.run(
        [_tool("pdfinfo"), str(source)], capture_output=True, check=True, timeout=60
    )
    pairs = (line.split(":", 1) for line in done.stdout.decode().splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


def pdf_page_png(pdf: bytes, tmp_path: Path, dpi: int = 200) -> Path:
    """First page of a PDF rasterised to PNG by pdftoppm."""
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-r",
            str(dpi),
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=120,
    )
    return tmp_path / "page.png"


def with_stylesheet(invoice: bytes, stylesheet: bytes, *, document_type: str = "XSLT") -> bytes:
    """``invoice`` with ``stylesheet`` embedded the way GİB prescribes (replacing any other)."""
    root = xml.parse(invoice)
    for old in root.findall("cac:AdditionalDocumentReference", ns.NS):
        root.remove(old)
    ref = etree.Element(ns.cac("AdditionalDocumentReference"))
    etree.SubElement(ref, ns.cbc("ID")).text = "XSLT-1"
    etree.SubElement(ref, ns.cbc("IssueDate")).text = "2024-01-01"
    etree.SubElement(ref, ns.cbc("DocumentType")).text = document_type
    attachment = etree.SubElement(ref, ns.cac("Attachment"))
    obj = etree.SubElement(attachment, ns.cbc("EmbeddedDocumentBinaryObject"))
    obj.set("mimeCode", "application/xml")
    obj.set("encodingCode", "Base64")
    obj.set("characterSetCode", "UTF-8")
    obj.set("filename", "fatura.xslt")
    obj.text = base64.b64encode(stylesheet).decode("ascii")
    # UBL order: AdditionalDocumentReference comes before cac:Signature.
    root.find("cac:Signature", ns.NS).addprevious(ref)
    return xml.to_bytes(root)


def with_lines(invoice: bytes, count: int) -> bytes:
    """``invoice`` with its first line repeated ``count`` times (IDs 1..count)."""
    root = xml.parse(invoice)
    lines = root.findall("cac:InvoiceLine", ns.NS)
    template = lines[0]
    for line in lines:
        root.remove(line)
    for number in range(1, count + 1):
        line = copy.deepcopy(template)
        line.find("cbc:ID", ns.NS).text = str(number)
        line.find("cac:Item/cbc:Name", ns.NS).text = f"Kalem {number} çağrı"
        root.append(line)
    root.find("cbc:LineCountNumeric", ns.NS).text = str(count)
    return xml.to_bytes(root)


@pytest.fixture(scope="session")
def page_text() -> Callable[[bytes], str]:
    """``page_text(html)``: see :func:`visible_text`."""
    return visible_text


@pytest.fixture
def read_pdf(tmp_path: Path) -> Callable[[bytes], str]:
    """``read_pdf(pdf)``: see :func:`pdf_text`."""
    return lambda pdf: pdf_text(pdf, tmp_path)


@pytest.fixture
def pdf_meta(tmp_path: Path) -> Callable[[bytes], dict[str, str]]:
    """``pdf_meta(pdf)``: see :func:`pdf_info`."""
    return lambda pdf: pdf_info(pdf, tmp_path)


@pytest.fixture
def rasterise(tmp_path: Path) -> Callable[[bytes], Path]:
    """``rasterise(pdf)``: see :func:`pdf_page_png`."""
    return lambda pdf: pdf_page_png(pdf, tmp_path)


@pytest.fixture(scope="session")
def embed() -> Callable[..., bytes]:
    """``embed(invoice, stylesheet, document_type="XSLT")``: see :func:`with_stylesheet`."""
    return with_stylesheet


@pytest.fixture(scope="session")
def many_lines() -> Callable[[bytes, int], bytes]:
    """``many_lines(invoice, n)``: see :func:`with_lines`."""
    return with_lines
