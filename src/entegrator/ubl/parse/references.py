"""Reads document references, additional documents and the embedded stylesheet."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from lxml import etree

from entegrator.ubl._tags import CAC, CBC
from entegrator.ubl.parse._read import compact, date_of, first, text_of
from entegrator.ubl.stylesheet import default_invoice_xslt

__all__ = ["read_documents", "read_references"]

_EMBEDDED = CAC.path("Attachment", CBC.EmbeddedDocumentBinaryObject)
_URI = CAC.path("Attachment", "ExternalReference", CBC.URI)


def _dated(node: etree._Element) -> dict[str, Any]:
    return {"id": text_of(node, CBC.ID) or "", "issue_date": date_of(node, CBC.IssueDate)}


def read_references(root: etree._Element) -> dict[str, Any]:
    """Invoice period, order, billing (returned invoices) and despatch references."""
    period = first(root, CAC.InvoicePeriod)
    order = first(root, CAC.OrderReference)
    billing = []
    for node in root.iterfind(CAC.path("BillingReference", "InvoiceDocumentReference")):
        billing.append(
            compact(
                {
                    "number": text_of(node, CBC.ID) or "",
                    "issue_date": date_of(node, CBC.IssueDate),
                    "type_code": text_of(node, CBC.DocumentTypeCode)
                    or text_of(node, CBC.DocumentType),
                }
            )
        )
    return {
        "invoice_period": None
        if period is None
        else compact(
            {
                "start_date": date_of(period, CBC.StartDate),
                "end_date": date_of(period, CBC.EndDate),
                "description": text_of(period, CBC.Description),
            }
        ),
        "order_reference": None if order is None else _dated(order),
        "billing_references": billing,
        "despatch_references": [
            _dated(node) for node in root.iterchildren(CAC.DespatchDocumentReference)
        ],
    }


def _is_stylesheet(node: etree._Element) -> bool:
    kind = (text_of(node, CBC.DocumentType) or "").upper()
    embedded = first(node, _EMBEDDED)
    filename = "" if embedded is None else (embedded.get("filename") or "").strip().lower()
    return kind == "XSLT" or filename.endswith((".xslt", ".xsl"))


def _decoded(text: str | None) -> bytes | str:
    data = "".join((text or "").split())
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return data  # left for the model to report


def read_documents(root: etree._Element) -> dict[str, Any]:
    """The stylesheet (None when it is the project default) and the other documents."""
    stylesheet: bytes | str | None = None
    found_stylesheet = False
    documents = []
    for node in root.iterchildren(CAC.AdditionalDocumentReference):
        embedded = first(node, _EMBEDDED)
        if not found_stylesheet and _is_stylesheet(node):
            found_stylesheet = True
            content = _decoded(embedded.text if embedded is not None else None)
            stylesheet = None if content == default_invoice_xslt() else content
            continue
        documents.append(
            compact(
                {
                    **_dated(node),
                    "document_type_code": text_of(node, CBC.DocumentTypeCode),
                    "document_type": text_of(node, CBC.DocumentType),
                    "description": text_of(node, CBC.DocumentDescription),
                    "filename": None if embedded is None else embedded.get("filename"),
                    "mime_code": None if embedded is None else embedded.get("mimeCode"),
                    "content": None if embedded is None else _decoded(embedded.text),
                    "uri": text_of(node, _URI),
                }
            )
        )
    return {"stylesheet": stylesheet, "additional_documents": documents}
