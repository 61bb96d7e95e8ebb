"""Writes ``cac:TaxTotal`` and ``cac:WithholdingTaxTotal`` for lines and for the document.

Line totals list the line's own taxes; document totals list the subtotals computed by
:mod:`entegrator.ubl.totals` (grouped by tax code, percent and exemption code). The
``TaxAmount`` of a ``cac:TaxTotal`` is the full tax; withholding is reported apart and
subtracted only from the payable amount (gib-protocol.md §4.4).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from lxml import etree

from entegrator.ubl._tags import CAC, CBC
from entegrator.ubl.build._xml import amount, element, optional, percent_text, text
from entegrator.ubl.model import InvoiceLine, Tax, Withholding
from entegrator.ubl.normalize import (
    exemption_reason_text,
    tax_scheme_name,
    withholding_scheme_name,
)
from entegrator.ubl.totals import InvoiceTotals, LineResult

__all__ = ["write_document_taxes", "write_line_taxes"]


def _subtotal(
    parent: etree._Element,
    currency: str,
    *,
    taxable: Decimal,
    value: Decimal,
    percent: Decimal | None,
    code: str,
    name: str | None,
    exemption_code: str | None = None,
    exemption_reason: str | None = None,
) -> None:
    node = element(parent, CAC.TaxSubtotal)
    amount(node, CBC.TaxableAmount, taxable, currency)
    amount(node, CBC.TaxAmount, value, currency)
    if percent is not None:
        text(node, CBC.Percent, percent_text(percent))
    category = element(node, CAC.TaxCategory)
    optional(category, CBC.TaxExemptionReasonCode, exemption_code)
    optional(category, CBC.TaxExemptionReason, exemption_reason)
    scheme = element(category, CAC.TaxScheme)
    optional(scheme, CBC.Name, name)
    text(scheme, CBC.TaxTypeCode, code)


def _tax_subtotal(
    parent: etree._Element, currency: str, tax: Tax, taxable: Decimal, value: Decimal
) -> None:
    _subtotal(
        parent,
        currency,
        taxable=taxable,
        value=value,
        percent=tax.percent,
        code=tax.code,
        name=tax_scheme_name(tax),
        exemption_code=tax.exemption_reason_code,
        exemption_reason=exemption_reason_text(tax),
    )


def write_line_taxes(
    parent: etree._Element, line: InvoiceLine, result: LineResult, currency: str
) -> None:
    """Append the line's ``cac:TaxTotal`` and ``cac:WithholdingTaxTotal`` (when it has them)."""
    if line.taxes:
        total = element(parent, CAC.TaxTotal)
        amount(total, CBC.TaxAmount, result.tax_amount, currency)
        for tax, computed in zip(line.taxes, result.taxes, strict=True):
            _tax_subtotal(total, currency, tax, computed.taxable_amount, computed.amount)
    withholding, computed_withholding = line.withholding, result.withholding
    if withholding is not None and computed_withholding is not None:
        total = element(parent, CAC.WithholdingTaxTotal)
        amount(total, CBC.TaxAmount, computed_withholding.amount, currency)
        _withholding_subtotal(
            total,
            currency,
            withholding,
            computed_withholding.taxable_amount,
            computed_withholding.amount,
        )


def _withholding_subtotal(
    parent: etree._Element,
    currency: str,
    withholding: Withholding,
    taxable: Decimal,
    value: Decimal,
) -> None:
    _subtotal(
        parent,
        currency,
        taxable=taxable,
        value=value,
        percent=withholding.percent,
        code=withholding.code,
        name=withholding_scheme_name(withholding),
    )


def write_document_taxes(
    parent: etree._Element, lines: Sequence[InvoiceLine], totals: InvoiceTotals, currency: str
) -> None:
    """Append the document's ``cac:TaxTotal`` and, if any, ``cac:WithholdingTaxTotal``."""
    total = element(parent, CAC.TaxTotal)
    amount(total, CBC.TaxAmount, totals.tax_total_amount, currency)
    for group in totals.tax_groups:
        line_index, tax_index = group.first
        _tax_subtotal(
            total, currency, lines[line_index].taxes[tax_index], group.taxable_amount, group.amount
        )
    if not totals.withholding_groups:
        return
    withheld = element(parent, CAC.WithholdingTaxTotal)
    amount(withheld, CBC.TaxAmount, totals.withholding_total_amount, currency)
    for w_group in totals.withholding_groups:
        withholding = lines[w_group.first].withholding
        if withholding is not None:
            _withholding_subtotal(
                withheld, currency, withholding, w_group.taxable_amount, w_group.amount
            )
