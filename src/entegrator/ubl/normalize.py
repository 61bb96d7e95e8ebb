"""The explicit form of an invoice: every computed amount and default name written out.

A model may leave out what the core can compute (line amounts, tax amounts, totals, GİB's
names of tax types and exemption reasons, line numbers). The builder writes the computed
values into the document, so the parser returns them explicitly: for every valid model
``parse_invoice(build_invoice(m)) == normalize_invoice(m)``, and normalizing twice changes
nothing. Callers that want to show an invoice (portal, API) can normalize it, too.
"""

from __future__ import annotations

from entegrator.ubl import codelists
from entegrator.ubl.model import (
    AllowanceCharge,
    Invoice,
    InvoiceLine,
    MonetaryTotals,
    Tax,
    Withholding,
)
from entegrator.ubl.totals import AllowanceResult, InvoiceTotals, LineResult, compute_totals

__all__ = [
    "exemption_reason_text",
    "normalize_invoice",
    "stated_totals",
    "tax_scheme_name",
    "withholding_scheme_name",
]


def tax_scheme_name(tax: Tax) -> str:
    """``cac:TaxScheme/cbc:Name`` of ``tax``: its own name or GİB's short name of its code."""
    if tax.name:
        return tax.name
    try:
        return codelists.tax_name(tax.code)
    except LookupError:
        return tax.code


def exemption_reason_text(tax: Tax) -> str | None:
    """``cbc:TaxExemptionReason`` of ``tax``: its own text or GİB's name of its code."""
    if tax.exemption_reason or tax.exemption_reason_code is None:
        return tax.exemption_reason
    return codelists.exemption_reason_name(tax.exemption_reason_code) or (
        f"İstisna kodu {tax.exemption_reason_code}"
    )


def withholding_scheme_name(withholding: Withholding) -> str:
    """``cac:TaxScheme/cbc:Name`` of a withholding: its own name or GİB's name of its code."""
    if withholding.name:
        return withholding.name
    try:
        return codelists.withholding_name(withholding.code)
    except LookupError:
        return withholding.code


def stated_totals(totals: InvoiceTotals) -> MonetaryTotals:
    """The document totals exactly as the builder writes (and the parser reads) them."""
    return MonetaryTotals(
        line_extension_amount=totals.line_extension_amount,
        allowance_total_amount=totals.allowance_total_amount,
        charge_total_amount=totals.charge_total_amount,
        tax_exclusive_amount=totals.tax_exclusive_amount,
        tax_total_amount=totals.tax_total_amount,
        withholding_total_amount=(
            totals.withholding_total_amount if totals.withholding_groups else None
        ),
        tax_inclusive_amount=totals.tax_inclusive_amount,
        payable_amount=totals.payable_amount,
    )


def _allowance(item: AllowanceCharge, result: AllowanceResult) -> AllowanceCharge:
    return item.model_copy(update={"amount": result.amount, "base_amount": result.base_amount})


def _line(line: InvoiceLine, index: int, result: LineResult) -> InvoiceLine:
    taxes = tuple(
        tax.model_copy(
            update={
                "name": tax_scheme_name(tax),
                "amount": computed.amount,
                "taxable_amount": computed.taxable_amount,
                "exemption_reason": exemption_reason_text(tax),
            }
        )
        for tax, computed in zip(line.taxes, result.taxes, strict=True)
    )
    withholding = line.withholding
    if withholding is not None and result.withholding is not None:
        withholding = withholding.model_copy(
            update={
                "name": withholding_scheme_name(withholding),
                "taxable_amount": result.withholding.taxable_amount,
                "amount": result.withholding.amount,
            }
        )
    return line.model_copy(
        update={
            "id": line.id or str(index + 1),
            "line_extension_amount": result.line_extension_amount,
            "allowance_charges": tuple(
                _allowance(item, computed)
                for item, computed in zip(
                    line.allowance_charges, result.allowance_charges, strict=True
                )
            ),
            "taxes": taxes,
            "withholding": withholding,
        }
    )


def normalize_invoice(invoice: Invoice, totals: InvoiceTotals | None = None) -> Invoice:
    """Return a copy of ``invoice`` with every computed value explicit (see module doc)."""
    totals = totals if totals is not None else compute_totals(invoice)
    return invoice.model_copy(
        update={
            "lines": tuple(
                _line(line, index, result)
                for index, (line, result) in enumerate(
                    zip(invoice.lines, totals.lines, strict=True)
                )
            ),
            "allowance_charges": tuple(
                _allowance(item, computed)
                for item, computed in zip(
                    invoice.allowance_charges, totals.allowance_charges, strict=True
                )
            ),
            "totals": stated_totals(totals),
        }
    )
