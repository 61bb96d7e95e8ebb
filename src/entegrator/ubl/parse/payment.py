"""Reads payment means, payment terms, the exchange rate and the stated totals."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from entegrator.ubl._tags import CAC, CBC
from entegrator.ubl.parse._read import compact, date_of, first, number_of, text_of

__all__ = ["read_payment", "read_totals"]

_BRANCH = CAC.FinancialInstitutionBranch


def _means(node: etree._Element) -> dict[str, Any]:
    account = first(node, CAC.PayeeFinancialAccount)
    branch = first(account, _BRANCH)
    return compact(
        {
            "code": text_of(node, CBC.PaymentMeansCode) or "",
            "due_date": date_of(node, CBC.PaymentDueDate),
            "channel_code": text_of(node, CBC.PaymentChannelCode),
            "instruction_note": text_of(node, CBC.InstructionNote),
            "payee_account": None
            if account is None
            else compact(
                {
                    "id": text_of(account, CBC.ID) or "",
                    "currency": text_of(account, CBC.CurrencyCode),
                    "note": text_of(account, CBC.PaymentNote),
                    "branch_name": text_of(branch, CBC.Name),
                    "bank_name": text_of(branch, CAC.path("FinancialInstitution", CBC.Name)),
                }
            ),
        }
    )


def read_payment(root: etree._Element) -> dict[str, Any]:
    """Payment means, terms, due date and the pricing exchange rate."""
    terms = first(root, CAC.PaymentTerms)
    rate = first(root, CAC.PricingExchangeRate)
    terms_mapping = None
    if terms is not None:
        terms_mapping = (
            compact(
                {
                    "note": text_of(terms, CBC.Note),
                    "penalty_percent": number_of(terms, CBC.PenaltySurchargePercent),
                }
            )
            or None
        )
    return {
        "payment_means": [_means(node) for node in root.iterchildren(CAC.PaymentMeans)],
        "payment_terms": terms_mapping,
        "due_date": date_of(terms, CBC.PaymentDueDate),
        "exchange_rate": None
        if rate is None
        else compact(
            {"rate": number_of(rate, CBC.CalculationRate) or "0", "date": date_of(rate, CBC.Date)}
        ),
    }


def _sum(root: etree._Element, tag: str) -> str | None:
    values = [number_of(node, CBC.TaxAmount) for node in root.iterchildren(tag)]
    if not values:
        return None
    try:
        return str(sum((Decimal(value or "0") for value in values), Decimal(0)))
    except InvalidOperation:
        return values[0]


def read_totals(root: etree._Element) -> dict[str, Any]:
    """The stated document totals and the payable rounding."""
    total = first(root, CAC.LegalMonetaryTotal)
    return {
        "payable_rounding_amount": number_of(total, CBC.PayableRoundingAmount),
        "totals": compact(
            {
                "line_extension_amount": number_of(total, CBC.LineExtensionAmount),
                "allowance_total_amount": number_of(total, CBC.AllowanceTotalAmount),
                "charge_total_amount": number_of(total, CBC.ChargeTotalAmount),
                "tax_exclusive_amount": number_of(total, CBC.TaxExclusiveAmount),
                "tax_total_amount": _sum(root, CAC.TaxTotal),
                "withholding_total_amount": _sum(root, CAC.WithholdingTaxTotal),
                "tax_inclusive_amount": number_of(total, CBC.TaxInclusiveAmount),
                "payable_amount": number_of(total, CBC.PayableAmount),
            }
        )
        or None,
    }
