"""Writes document references: period, order, returned invoices, despatch notes, additional
documents and the embedded visualization XSLT.

GİB expects the XSLT inside the document (Entegrasyon Kılavuzu §4.3, gib-protocol.md §6.2):
a ``cac:AdditionalDocumentReference`` with ``cbc:DocumentType`` XSLT and a base64
``cbc:EmbeddedDocumentBinaryObject`` named ``<invoice number>.xslt``.
"""

from __future__ import annotations

import base64
from functools import cache

from lxml import etree

from entegrator.ubl._tags import CAC, CBC
from entegrator.ubl.build._xml import date_text, element, optional, text
from entegrator.ubl.model import AdditionalDocument, Invoice
from entegrator.ubl.stylesheet import default_invoice_xslt

__all__ = ["write_additional_document", "write_header_references", "write_stylesheet"]


@cache
def _default_xslt_base64() -> str:
    """The project stylesheet in base64 (encoded once per process)."""
    return base64.b64encode(default_invoice_xslt()).decode("ascii")


def _dated(parent: etree._Element, tag: str, identifier: str, issued: str) -> etree._Element:
    node = element(parent, tag)
    text(node, CBC.ID, identifier)
    text(node, CBC.IssueDate, issued)
    return node


def write_header_references(parent: etree._Element, invoice: Invoice) -> None:
    """Append invoice period, order, billing and despatch references (in XSD order)."""
    period = invoice.invoice_period
    if period is not None:
        node = element(parent, CAC.InvoicePeriod)
        if period.start_date is not None:
            text(node, CBC.StartDate, date_text(period.start_date))
        if period.end_date is not None:
            text(node, CBC.EndDate, date_text(period.end_date))
        optional(node, CBC.Description, period.description)
    order = invoice.order_reference
    if order is not None:
        _dated(parent, CAC.OrderReference, order.id, date_text(order.issue_date))
    for billing in invoice.billing_references:
        node = _dated(
            element(parent, CAC.BillingReference),
            CAC.InvoiceDocumentReference,
            billing.number,
            date_text(billing.issue_date),
        )
        text(node, CBC.DocumentTypeCode, billing.type_code)
    for despatch in invoice.despatch_references:
        _dated(parent, CAC.DespatchDocumentReference, despatch.id, date_text(despatch.issue_date))


def write_stylesheet(parent: etree._Element, invoice: Invoice, number: str) -> None:
    """Append the XSLT reference: the model's own stylesheet or the project default."""
    node = _dated(parent, CAC.AdditionalDocumentReference, number, date_text(invoice.issue_date))
    text(node, CBC.DocumentType, "XSLT")
    content = (
        _default_xslt_base64()
        if invoice.stylesheet is None
        else base64.b64encode(invoice.stylesheet).decode("ascii")
    )
    element(
        element(node, CAC.Attachment),
        CBC.EmbeddedDocumentBinaryObject,
        characterSetCode="UTF-8",
        encodingCode="Base64",
        filename=f"{number}.xslt",
        mimeCode="application/xml",
    ).text = content


def write_additional_document(parent: etree._Element, document: AdditionalDocument) -> None:
    """Append one ``cac:AdditionalDocumentReference``."""
    node = _dated(
        parent, CAC.AdditionalDocumentReference, document.id, date_text(document.issue_date)
    )
    optional(node, CBC.DocumentTypeCode, document.document_type_code)
    optional(node, CBC.DocumentType, document.document_type)
    optional(node, CBC.DocumentDescription, document.description)
    if document.content is None and document.uri is None:
        return
    attachment = element(node, CAC.Attachment)
    if document.content is not None:
        attributes = {"encodingCode": "Base64", "mimeCode": document.mime_code or ""}
        if document.filename is not None:
            attributes["filename"] = document.filename
        element(attachment, CBC.EmbeddedDocumentBinaryObject, attributes).text = base64.b64encode(
            document.content
        ).decode("ascii")
    else:
        text(element(attachment, CAC.ExternalReference), CBC.URI, document.uri or "")
