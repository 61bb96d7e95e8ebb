"""Reads any UBL-TR invoice — ours, other integrators', GİB's samples — into the model.

Foreign documents are read tolerantly: unknown elements are ignored, missing optional data
becomes None. The model is validated strictly first; if the document breaks field rules
(GİB's test VKNs, old code values, missing unit codes …) it is validated leniently instead
and marked (:attr:`Invoice.is_lenient`); building such a model re-checks it strictly. A
document that is not an invoice raises :class:`~entegrator.ubl.errors.NotAnInvoice`, one the
model cannot hold at all :class:`~entegrator.ubl.errors.InvoiceInvalid`.

Our own documents come back in explicit form: ``parse_invoice(build_invoice(m)) ==
normalize_invoice(m)`` (:mod:`entegrator.ubl.normalize`); draft placeholders become None.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree
from pydantic import ValidationError

from entegrator.ubl._tags import CAC, CBC, INV_ROOT
from entegrator.ubl.draft import is_draft_ettn, is_draft_number
from entegrator.ubl.errors import InvoiceInvalid, NotAnInvoice
from entegrator.ubl.messages import problems_from_validation_error
from entegrator.ubl.model import KDV, LENIENT, Invoice
from entegrator.ubl.parse._read import compact, date_of, first, text_of, texts_of, time_of
from entegrator.ubl.parse.line import (
    read_allowance_charges,
    read_delivery,
    read_line,
    read_tax_subtotal,
)
from entegrator.ubl.parse.party import read_buyer_customer, read_party, read_tax_representative
from entegrator.ubl.parse.payment import read_payment, read_totals
from entegrator.ubl.parse.references import read_documents, read_references
from entegrator.ubl.xml import DEFAULT_MAX_BYTES, parse

__all__ = ["invoice_mapping", "parse_invoice"]


def _root(document: bytes | etree._Element, max_bytes: int) -> etree._Element:
    if isinstance(document, etree._Element):
        root = document
    else:
        root = parse(document, max_bytes=max_bytes)
    if root.tag != INV_ROOT:
        raise NotAnInvoice(f"Belge bir UBL faturası değil (kök eleman: {root.tag})")
    return root


def _header(root: etree._Element) -> dict[str, Any]:
    number = text_of(root, CBC.ID)
    ettn = text_of(root, CBC.UUID)
    return {
        "profile": (text_of(root, CBC.ProfileID) or "").upper(),
        "invoice_type": (text_of(root, CBC.InvoiceTypeCode) or "").upper(),
        "number": None if is_draft_number(number) else number,
        "ettn": None if is_draft_ettn(ettn) else ettn,
        "issue_date": date_of(root, CBC.IssueDate),
        "issue_time": time_of(root, CBC.IssueTime),
        "currency": text_of(root, CBC.DocumentCurrencyCode) or "",
        "notes": texts_of(root, CBC.Note),
        "accounting_cost": text_of(root, CBC.AccountingCost),
    }


def _spread_document_taxes(root: etree._Element, lines: list[dict[str, Any]]) -> None:
    """Give lines the document's taxes/withholding when only the document lists them."""
    if lines and not any(line.get("taxes") for line in lines):
        subtotals = [
            read_tax_subtotal(n) for n in root.iterfind(CAC.path("TaxTotal", "TaxSubtotal"))
        ]
        if len(lines) == 1:
            lines[0]["taxes"] = subtotals
        else:
            for line in lines:
                line["taxes"] = [
                    {
                        key: value
                        for key, value in tax.items()
                        if key not in ("amount", "taxable_amount")
                    }
                    for tax in subtotals
                    if "percent" in tax
                ]
    groups = list(root.iterfind(CAC.path("WithholdingTaxTotal", "TaxSubtotal")))
    if len(groups) != 1 or any(line.get("withholding") for line in lines):
        return
    group = read_tax_subtotal(groups[0])
    withholding = {"code": group.get("code", ""), "percent": group.get("percent", "0")}
    if "name" in group:
        withholding["name"] = group["name"]
    for line in lines:
        if any(
            tax.get("code") == KDV and _positive(tax.get("percent"))
            for tax in line.get("taxes", [])
        ):
            line["withholding"] = dict(withholding)


def _positive(number: str | None) -> bool:
    try:
        return number is not None and Decimal(number) > 0
    except InvalidOperation:
        return False


def invoice_mapping(root: etree._Element) -> dict[str, Any]:
    """The model mapping of an ``Invoice`` element (before validation)."""
    lines = [read_line(line) for line in root.iterchildren(CAC.InvoiceLine)]
    _spread_document_taxes(root, lines)
    mapping: dict[str, Any] = {
        **_header(root),
        **read_references(root),
        **read_documents(root),
        **read_payment(root),
        **read_totals(root),
        "supplier": read_party(first(root, CAC.AccountingSupplierParty)),
        "customer": read_party(first(root, CAC.AccountingCustomerParty)),
        "buyer_customer": read_buyer_customer(first(root, CAC.BuyerCustomerParty)),
        "tax_representative": read_tax_representative(first(root, CAC.TaxRepresentativeParty)),
        "delivery": read_delivery(first(root, CAC.Delivery)),
        "allowance_charges": read_allowance_charges(root),
        "lines": lines,
    }
    return compact(mapping)


def parse_invoice(
    document: bytes | etree._Element, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Invoice:
    """Read a UBL-TR invoice (bytes or its root element) into an :class:`Invoice`."""
    mapping = invoice_mapping(_root(document, max_bytes))
    try:
        return Invoice.model_validate(mapping)
    except ValidationError:
        pass
    try:
        invoice = Invoice.model_validate(mapping, context=LENIENT)
    except ValidationError as exc:
        raise InvoiceInvalid(
            problems_from_validation_error(exc), title="Fatura modele okunamadı"
        ) from exc
    invoice._lenient = True
    return invoice
