"""Tests for the shipped display stylesheets (entegrator.ubl.stylesheet, ubl/xslt/*.xslt).

They run the stylesheets with plain lxml and no parameters, as a foreign viewer would.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from lxml import etree

from entegrator.ubl import ns, xml
from entegrator.ubl.stylesheet import default_invoice_xslt

XSL = "http://www.w3.org/1999/XSL/Transform"
# Every instruction and declaration XSLT 1.0 defines; anything else needs a 2.0 processor.
XSLT_1_ELEMENTS = frozenset(
    {
        *("apply-imports", "apply-templates", "attribute", "attribute-set", "call-template"),
        *("choose", "comment", "copy", "copy-of", "decimal-format", "element", "fallback"),
        *("for-each", "if", "import", "include", "key", "message", "namespace-alias", "number"),
        *("otherwise", "output", "param", "preserve-space", "processing-instruction", "sort"),
        *("strip-space", "stylesheet", "template", "text", "transform", "value-of", "variable"),
        *("when", "with-param"),
    }
)
# GİB ships this one with a broken attribute (line 2); every other sample must parse.
NOT_WELL_FORMED = frozenset({"7_UYGULAMA_YANITI_IADE.xml"})
MAX_BYTES = 30 * 1024  # an envelope carries many invoices, each with this stylesheet inside


def _application_response_xslt() -> bytes:
    return resources.files("entegrator.ubl").joinpath("xslt/application_response.xslt").read_bytes()


def _documents(samples_dir: Path, local_name: str) -> list[tuple[str, etree._Element]]:
    """Every ``local_name`` document in the samples, also those inside envelopes."""
    found = []
    for path in sorted(samples_dir.rglob("*.xml")):
        if path.name in NOT_WELL_FORMED:
            continue
        root = xml.parse(path.read_bytes())
        for element in root.iter(f"{{*}}{local_name}"):
            found.append((path.name, element))
    return found


def _render_all(stylesheet: bytes, documents: list[tuple[str, etree._Element]]) -> list[str]:
    transform = etree.XSLT(xml.parse(stylesheet))
    problems = []
    for name, element in documents:
        document = etree.ElementTree(xml.parse(etree.tostring(element)))
        page = str(transform(document))
        doc_id = (element.findtext("cbc:ID", "", ns.NS) or "").strip()
        if doc_id not in page:
            problems.append(f"{name}: {doc_id} missing from the page")
        problems += [f"{name}: {entry.message}" for entry in transform.error_log]
    return problems


def test_invoice_stylesheet_fits_in_30_kb() -> None:
    assert len(default_invoice_xslt()) <= MAX_BYTES


def test_invoice_stylesheet_is_xslt_1() -> None:
    root = xml.parse(default_invoice_xslt())
    assert root.get("version") == "1.0"
    used = {etree.QName(e).localname for e in root.iter(f"{{{XSL}}}*")}
    assert used <= XSLT_1_ELEMENTS


def test_application_response_stylesheet_is_xslt_1() -> None:
    root = xml.parse(_application_response_xslt())
    assert root.get("version") == "1.0"
    assert {etree.QName(e).localname for e in root.iter(f"{{{XSL}}}*")} <= XSLT_1_ELEMENTS


def test_invoice_stylesheet_renders_every_sample_invoice(samples_dir: Path) -> None:
    invoices = _documents(samples_dir, "Invoice")
    assert len(invoices) >= 40
    assert _render_all(default_invoice_xslt(), invoices) == []


def test_invoice_stylesheet_spells_the_amount_without_parameters(samples_dir: Path) -> None:
    invoice = (samples_dir / "gib-ubltr-1.2.1" / "TEVKIFAT.xml").read_bytes()
    page = str(etree.XSLT(xml.parse(default_invoice_xslt()))(xml.parse(invoice)))
    assert "Yalnız: Yirmi Bin Üç Yüz Altmış Türk Lirası" in page


def test_application_response_stylesheet_renders_every_sample(samples_dir: Path) -> None:
    responses = _documents(samples_dir, "ApplicationResponse")
    assert len(responses) >= 10
    assert _render_all(_application_response_xslt(), responses) == []
