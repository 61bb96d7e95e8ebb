"""Tests for entegrator.ubl.extension (the signature slot convention)."""

from __future__ import annotations

import pytest
from lxml import etree

from entegrator.errors import DocumentError
from entegrator.ubl import extension, ns


def _document() -> etree._Element:
    root = etree.Element(
        ns.qname(ns.APR, "ApplicationResponse"), nsmap={None: ns.APR, "ext": ns.EXT}
    )
    etree.SubElement(root, ns.cbc("UBLVersionID")).text = "2.1"
    return root


def test_slot_is_the_first_child_with_one_placeholder() -> None:
    root = _document()
    placeholder = extension.add_signature_slot(root)
    assert root[0].tag == ns.ext("UBLExtensions")
    content = root.find("ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent", ns.NS)
    assert list(content) == [placeholder]
    assert placeholder.tag == extension.PLACEHOLDER_TAG


def test_placeholder_declares_its_namespace_locally() -> None:
    root = _document()
    extension.add_signature_slot(root)
    assert ns.SIGNATURE_PLACEHOLDER not in root.nsmap.values()


def test_second_slot_is_refused() -> None:
    root = _document()
    extension.add_signature_slot(root)
    with pytest.raises(DocumentError, match="bir kez"):
        extension.add_signature_slot(root)


def test_find_placeholder_on_unslotted_document_is_none() -> None:
    assert extension.find_placeholder(_document()) is None


def test_signer_replacing_the_placeholder_leaves_a_signature() -> None:
    root = _document()
    placeholder = extension.add_signature_slot(root)
    signature = etree.Element(ns.ds("Signature"), Id=extension.signature_id("u"))
    placeholder.getparent().replace(placeholder, signature)
    assert extension.find_placeholder(root) is None
    assert extension.has_signature(root)
    assert b"signature-placeholder" not in etree.tostring(root)


def test_has_signature_is_false_for_placeholder_only() -> None:
    root = _document()
    extension.add_signature_slot(root)
    assert not extension.has_signature(root)
