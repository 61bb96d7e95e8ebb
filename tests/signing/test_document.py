"""Where signatures live in each document type, and whose they must be."""

from __future__ import annotations

import pytest
from lxml import etree

from entegrator.errors import DocumentError
from entegrator.signing import document
from entegrator.signing.document import DocumentKind
from entegrator.ubl.ns import CAC, CBC, OA, ext, qname
from entegrator.ubl.xml import parse


def _c14n(root: etree._Element) -> bytes:
    return etree.tostring(root.getroottree(), method="c14n")


def test_document_kind_of_each_signed_document(
    invoice_bytes: bytes, response_bytes: bytes, user_account_bytes: bytes
) -> None:
    kinds = [
        document.document_kind(parse(d))
        for d in (invoice_bytes, response_bytes, user_account_bytes)
    ]
    assert kinds == [
        DocumentKind.INVOICE,
        DocumentKind.APPLICATION_RESPONSE,
        DocumentKind.USER_ACCOUNT,
    ]


def test_document_kind_refuses_other_roots() -> None:
    with pytest.raises(DocumentError):
        document.document_kind(parse(b"<DespatchAdvice xmlns='urn:example'/>"))


def test_supplier_of_an_invoice_is_the_accounting_supplier(invoice_bytes: bytes) -> None:
    root = parse(invoice_bytes)
    assert document.supplier_identifiers(root, DocumentKind.INVOICE) == ("1288331521",)


def test_supplier_of_a_response_is_the_sender_party(response_bytes: bytes) -> None:
    root = parse(response_bytes)
    assert document.supplier_identifiers(root, DocumentKind.APPLICATION_RESPONSE) == ("9205121120",)


def test_user_account_message_is_signed_by_the_sender_and_counter_signed_by_users(
    user_account_bytes: bytes,
) -> None:
    root = parse(user_account_bytes)
    assert document.supplier_identifiers(root, DocumentKind.USER_ACCOUNT) == ("9999999999",)
    assert document.counter_signers(root) == ("10000000146",)


def test_declared_signer_is_cac_signature_id(invoice_bytes: bytes) -> None:
    assert document.declared_signer(parse(invoice_bytes)) == "1288331521"


def test_signature_id_defaults_to_signature(response_bytes: bytes) -> None:
    root = parse(response_bytes)
    uri = root.find(f".//{qname(CAC, 'ExternalReference')}/{qname(CBC, 'URI')}")
    uri.text = "http://example.com/imza"
    assert document.signature_id(root, DocumentKind.APPLICATION_RESPONSE) == "Signature"


def test_prepare_container_empties_the_first_extension_content(invoice_bytes: bytes) -> None:
    root = parse(invoice_bytes)
    container = document.prepare_container(root, DocumentKind.INVOICE)
    assert container.element.tag == ext("ExtensionContent")
    assert (len(container.element), container.element.text) == (0, None)


def test_restore_puts_back_placeholder_and_processing_instruction(invoice_bytes: bytes) -> None:
    root = parse(invoice_bytes)
    before = _c14n(root)
    container = document.prepare_container(root, DocumentKind.INVOICE)
    assert _c14n(root) != before
    container.restore()
    assert _c14n(root) == before


def test_restore_removes_created_ubl_extensions(invoice_bytes: bytes) -> None:
    root = parse(invoice_bytes)
    root.remove(root.find(ext("UBLExtensions")))
    before = _c14n(root)
    container = document.prepare_container(root, DocumentKind.INVOICE)
    assert root[0].tag == ext("UBLExtensions")
    container.restore()
    assert _c14n(root) == before


def test_prepare_container_creates_oa_signature_after_creation_date_time(
    user_account_bytes: bytes,
) -> None:
    root = parse(user_account_bytes)
    area = root.find(qname(OA, "ApplicationArea"))
    area.remove(area.find(qname(OA, "Signature")))
    container = document.prepare_container(root, DocumentKind.USER_ACCOUNT)
    assert container.element.getprevious().tag == qname(OA, "CreationDateTime")
    assert container.element.tag == qname(OA, "Signature")
