"""Builds an unsigned UBL-TR 1.2 invoice (UBL 2.1) from the model.

``build_invoice(model) -> bytes`` checks the model (:mod:`entegrator.ubl.rules`), computes
its amounts (:mod:`entegrator.ubl.totals`) and writes the document with lxml in the element
order of GİB's UBL-Invoice-2.1.xsd. The output is deterministic: the same model gives the
same bytes. The document is unsigned: ``ext:UBLExtensions`` holds the placeholder the signer
replaces (:mod:`entegrator.ubl.extension`), ``cac:Signature`` names the supplier and points
at ``#Signature_<ETTN>``.

Without ``number`` or ``ettn`` the model is refused unless ``draft=True``, which writes the
placeholders of :mod:`entegrator.ubl.draft` (for validation and previews before numbering).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from lxml import etree
from pydantic import ValidationError

from entegrator.ubl import ns
from entegrator.ubl._tags import CAC, CBC, INV_ROOT
from entegrator.ubl.build._xml import amount, date_text, element, optional, text, time_text
from entegrator.ubl.build.delivery import write_delivery
from entegrator.ubl.build.line import write_allowance_charges, write_line
from entegrator.ubl.build.party import (
    write_buyer_customer,
    write_party,
    write_signature,
    write_tax_representative,
)
from entegrator.ubl.build.payment import (
    write_exchange_rate,
    write_payment_means,
    write_payment_terms,
)
from entegrator.ubl.build.references import (
    write_additional_document,
    write_header_references,
    write_stylesheet,
)
from entegrator.ubl.build.tax import write_document_taxes
from entegrator.ubl.draft import DRAFT_ETTN, draft_number
from entegrator.ubl.errors import InvoiceInvalid, Problem
from entegrator.ubl.extension import add_signature_slot
from entegrator.ubl.messages import problems_from_validation_error
from entegrator.ubl.model import Invoice
from entegrator.ubl.rules import check_invoice
from entegrator.ubl.totals import InvoiceTotals, compute_totals
from entegrator.ubl.xml import to_bytes

__all__ = ["CUSTOMIZATION_ID", "UBL_VERSION", "build_invoice", "build_invoice_element"]

UBL_VERSION: Final = "2.1"
CUSTOMIZATION_ID: Final = "TR1.2"
_NSMAP: Final = {
    None: ns.INV,
    "cac": ns.CAC,
    "cbc": ns.CBC,
    "ext": ns.EXT,
    "ds": ns.DS,
    "xades": ns.XADES,
    "xsi": ns.XSI,
}
_SCHEMA_LOCATION: Final = f"{ns.INV} UBL-Invoice-2.1.xsd"
_XSI_SCHEMA_LOCATION: Final = ns.qname(ns.XSI, "schemaLocation")


@dataclass(frozen=True, slots=True)
class _Prepared:
    invoice: Invoice
    totals: InvoiceTotals
    number: str
    ettn: str


def _strict(invoice: Invoice) -> Invoice:
    """Re-validate a model the parser read leniently; refuse it if it breaks field rules."""
    try:
        return Invoice.model_validate(invoice.model_dump())
    except ValidationError as exc:
        raise InvoiceInvalid(problems_from_validation_error(exc)) from exc


def _prepare(invoice: Invoice, *, draft: bool) -> _Prepared:
    if invoice.is_lenient:
        invoice = _strict(invoice)
    totals = compute_totals(invoice)
    problems = check_invoice(invoice, totals)
    number, ettn = invoice.number, invoice.ettn
    if not draft:
        if number is None:
            problems.insert(0, Problem("number", "fatura numarası yok (taslak için draft=True)"))
        if ettn is None:
            problems.insert(0, Problem("ettn", "ETTN yok (taslak için draft=True)"))
    if problems:
        raise InvoiceInvalid(problems)
    return _Prepared(
        invoice,
        totals,
        number if number is not None else draft_number(invoice.issue_date.year),
        ettn if ettn is not None else DRAFT_ETTN,
    )


def _header(root: etree._Element, prepared: _Prepared) -> None:
    invoice = prepared.invoice
    text(root, CBC.UBLVersionID, UBL_VERSION)
    text(root, CBC.CustomizationID, CUSTOMIZATION_ID)
    text(root, CBC.ProfileID, invoice.profile.value)
    text(root, CBC.ID, prepared.number)
    text(root, CBC.CopyIndicator, "false")
    text(root, CBC.UUID, prepared.ettn)
    text(root, CBC.IssueDate, date_text(invoice.issue_date))
    if invoice.issue_time is not None:
        text(root, CBC.IssueTime, time_text(invoice.issue_time))
    text(root, CBC.InvoiceTypeCode, invoice.invoice_type.value)
    for note in invoice.notes:
        text(root, CBC.Note, note)
    text(root, CBC.DocumentCurrencyCode, invoice.currency)
    optional(root, CBC.AccountingCost, invoice.accounting_cost)
    text(root, CBC.LineCountNumeric, str(len(invoice.lines)))


def _monetary_total(root: etree._Element, prepared: _Prepared) -> None:
    totals, currency = prepared.totals, prepared.invoice.currency
    node = element(root, CAC.LegalMonetaryTotal)
    amount(node, CBC.LineExtensionAmount, totals.line_extension_amount, currency)
    amount(node, CBC.TaxExclusiveAmount, totals.tax_exclusive_amount, currency)
    amount(node, CBC.TaxInclusiveAmount, totals.tax_inclusive_amount, currency)
    amount(node, CBC.AllowanceTotalAmount, totals.allowance_total_amount, currency)
    amount(node, CBC.ChargeTotalAmount, totals.charge_total_amount, currency)
    if prepared.invoice.payable_rounding_amount is not None:
        amount(node, CBC.PayableRoundingAmount, totals.payable_rounding_amount, currency)
    amount(node, CBC.PayableAmount, totals.payable_amount, currency)


def _write(prepared: _Prepared) -> etree._Element:
    invoice, totals, currency = prepared.invoice, prepared.totals, prepared.invoice.currency
    root = etree.Element(INV_ROOT, nsmap=_NSMAP)
    root.set(_XSI_SCHEMA_LOCATION, _SCHEMA_LOCATION)
    _header(root, prepared)
    write_header_references(root, invoice)
    write_stylesheet(root, invoice, prepared.number)
    for document in invoice.additional_documents:
        write_additional_document(root, document)
    write_signature(root, invoice.supplier, prepared.ettn)
    write_party(root, CAC.AccountingSupplierParty, invoice.supplier)
    write_party(root, CAC.AccountingCustomerParty, invoice.customer)
    if invoice.buyer_customer is not None:
        write_buyer_customer(root, invoice.buyer_customer)
    if invoice.tax_representative is not None:
        write_tax_representative(root, invoice.tax_representative)
    if invoice.delivery is not None:
        write_delivery(root, invoice.delivery)
    for means in invoice.payment_means:
        write_payment_means(root, means)
    write_payment_terms(root, invoice.payment_terms, invoice.due_date)
    write_allowance_charges(root, invoice.allowance_charges, totals.allowance_charges, currency)
    if invoice.exchange_rate is not None:
        write_exchange_rate(root, currency, invoice.exchange_rate)
    write_document_taxes(root, invoice.lines, totals, currency)
    _monetary_total(root, prepared)
    for index, (line, result) in enumerate(zip(invoice.lines, totals.lines, strict=True)):
        write_line(root, index, line, result, currency)
    add_signature_slot(root)
    return root


def build_invoice_element(invoice: Invoice, *, draft: bool = False) -> etree._Element:
    """Check ``invoice`` and return the root ``Invoice`` element of its UBL-TR document.

    Raises :class:`~entegrator.ubl.errors.InvoiceInvalid` listing every problem.
    """
    return _write(_prepare(invoice, draft=draft))


def build_invoice(invoice: Invoice, *, draft: bool = False) -> bytes:
    """Check ``invoice`` and return its unsigned UBL-TR document as UTF-8 bytes."""
    return to_bytes(build_invoice_element(invoice, draft=draft))
