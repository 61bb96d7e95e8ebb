"""Tests for entegrator.ubl.build.references (references, attachments, the XSLT)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from lxml import etree

from entegrator.ubl.stylesheet import default_invoice_xslt

Query = Callable[[etree._Element, str], list[Any]]
_XSLT = "cac:AdditionalDocumentReference[cbc:DocumentType='XSLT']"


def test_default_stylesheet_is_embedded(built: Callable[..., etree._Element], query: Query) -> None:
    (embedded,) = query(built(), f"{_XSLT}/cac:Attachment/cbc:EmbeddedDocumentBinaryObject")
    assert base64.b64decode(embedded.text) == default_invoice_xslt()
    assert embedded.get("filename") == "ABC2025000000001.xslt"
    assert embedded.get("mimeCode") == "application/xml"
    assert embedded.get("encodingCode") == "Base64"


def test_own_stylesheet_is_embedded_instead(
    built: Callable[..., etree._Element], query: Query
) -> None:
    own = base64.b64encode(b"<xsl:stylesheet/>").decode()
    (embedded,) = query(
        built(stylesheet=own), f"{_XSLT}/cac:Attachment/cbc:EmbeddedDocumentBinaryObject"
    )
    assert embedded.text == own


def test_return_references_the_original(built: Callable[..., etree._Element], query: Query) -> None:
    root = built(
        profile="TEMELFATURA",
        invoice_type="IADE",
        billing_references=[{"number": "XYZ2025000000017", "issue_date": "2025-01-10"}],
    )
    reference = query(root, "cac:BillingReference/cac:InvoiceDocumentReference")[0]
    assert [child.text for child in reference] == ["XYZ2025000000017", "2025-01-10", "IADE"]


def test_order_and_despatch_references(built: Callable[..., etree._Element], query: Query) -> None:
    root = built(
        order_reference={"id": "SIP-1", "issue_date": "2025-02-01"},
        despatch_references=[{"id": "IRS-1", "issue_date": "2025-02-02"}],
    )
    assert query(root, "cac:OrderReference/cbc:ID/text()") == ["SIP-1"]
    assert query(root, "cac:DespatchDocumentReference/cbc:IssueDate/text()") == ["2025-02-02"]


def test_attachments_follow_the_stylesheet(
    built: Callable[..., etree._Element], query: Query
) -> None:
    documents = [
        {
            "id": "EK-1",
            "issue_date": "2025-03-01",
            "filename": "a.txt",
            "mime_code": "text/plain",
            "content": "YWJj",
        },
        {"id": "EK-2", "issue_date": "2025-03-01", "uri": "https://ornek.com.tr/ek"},
    ]
    root = built(additional_documents=documents)
    references = query(root, "cac:AdditionalDocumentReference")
    assert [query(r, "cbc:ID/text()")[0] for r in references] == [
        "ABC2025000000001",
        "EK-1",
        "EK-2",
    ]
    assert query(references[1], ".//cbc:EmbeddedDocumentBinaryObject/@filename") == ["a.txt"]
    assert query(references[2], ".//cbc:URI/text()") == ["https://ornek.com.tr/ek"]
