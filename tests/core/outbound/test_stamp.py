"""Writing the number and the ETTN into an unsigned invoice, copies included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from entegrator.core.outbound.stamp import stamp_ettn, stamp_number
from entegrator.errors import DocumentError
from entegrator.ubl import build_invoice_element, load_invoice, ns
from entegrator.ubl.extension import signature_id

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "01-temel-satis.json"
_URI = "/".join((ns.cac("Signature"), ns.cac("DigitalSignatureAttachment"),
                 ns.cac("ExternalReference"), ns.cbc("URI")))


def _draft() -> object:
    spec = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    spec.pop("number")
    spec.pop("ettn")
    return build_invoice_element(load_invoice(spec), draft=True)


def test_stamping_the_number_rewrites_the_stylesheet_reference_too() -> None:
    root = _draft()
    old = root.findtext(ns.cbc("ID"))
    stamp_number(root, "ENT2025000000042")
    assert root.findtext(ns.cbc("ID")) == "ENT2025000000042"
    reference = root.find(ns.cac("AdditionalDocumentReference"))
    assert reference.findtext(ns.cbc("ID")) == "ENT2025000000042"
    binary = reference.find(f"{ns.cac('Attachment')}/{ns.cbc('EmbeddedDocumentBinaryObject')}")
    assert binary.get("filename") == "ENT2025000000042.xslt"
    assert old.encode() not in __import__("lxml.etree", fromlist=["tostring"]).tostring(root)


def test_stamping_the_ettn_rewrites_the_signature_reference() -> None:
    root = _draft()
    stamp_ettn(root, "2d07cab5-bf97-4af5-96f8-ab45671a5e2e")
    assert root.findtext(ns.cbc("UUID")) == "2d07cab5-bf97-4af5-96f8-ab45671a5e2e"
    assert root.findtext(_URI) == "#" + signature_id("2d07cab5-bf97-4af5-96f8-ab45671a5e2e")


def test_a_signed_invoice_cannot_be_stamped() -> None:
    from lxml import etree

    root = _draft()
    placeholder = root.find(".//{*}SignaturePlaceholder")
    placeholder.getparent().replace(placeholder, etree.Element(ns.ds("Signature")))
    with pytest.raises(DocumentError):
        stamp_number(root, "ENT2025000000042")
    with pytest.raises(DocumentError):
        stamp_ettn(root, "2d07cab5-bf97-4af5-96f8-ab45671a5e2e")
