"""Amount rules: every amount a model states must equal the computed one; nothing negative.

The comparison is exact to the kuruş: the document carries one set of figures, and an
invoice whose stated totals disagree with its lines is refused with both values and the
difference (docs/decisions/ubl-model.md explains why there is no tolerance).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from entegrator.ubl.amounts import ZERO
from entegrator.ubl.errors import Problem
from entegrator.ubl.model import AllowanceCharge, Invoice
from entegrator.ubl.normalize import stated_totals
from entegrator.ubl.totals import AllowanceResult, InvoiceTotals

__all__ = ["RULES", "mismatch"]

_TOTAL_LABELS: Final = {
    "line_extension_amount": "Mal/hizmet toplamı (LineExtensionAmount)",
    "allowance_total_amount": "Toplam iskonto (AllowanceTotalAmount)",
    "charge_total_amount": "Toplam artırım (ChargeTotalAmount)",
    "tax_exclusive_amount": "Vergiler hariç tutar (TaxExclusiveAmount)",
    "tax_total_amount": "Vergi toplamı (TaxTotal/TaxAmount)",
    "withholding_total_amount": "Tevkifat toplamı (WithholdingTaxTotal/TaxAmount)",
    "tax_inclusive_amount": "Vergiler dahil tutar (TaxInclusiveAmount)",
    "payable_amount": "Ödenecek tutar (PayableAmount)",
}


def mismatch(path: str, label: str, stated: Decimal, computed: Decimal) -> Problem | None:
    """A problem if ``stated`` differs from ``computed``, naming both and the difference.

    >>> print(mismatch("totals.payable_amount", "Ödenecek", Decimal("118.01"), Decimal("118")))
    totals.payable_amount: Ödenecek: yazılan 118.01, hesaplanan 118.00 (fark +0.01)
    """
    if stated == computed:
        return None
    difference = stated - computed
    return Problem(
        path,
        f"{label}: yazılan {stated:.2f}, hesaplanan {computed:.2f} (fark {difference:+.2f})",
    )


def _allowances(
    path: str, items: tuple[AllowanceCharge, ...], results: tuple[AllowanceResult, ...]
) -> Iterator[Problem]:
    for index, (item, result) in enumerate(zip(items, results, strict=True)):
        if item.amount is not None and item.percent is not None:
            problem = mismatch(
                f"{path}[{index}].amount", "İskonto/artırım tutarı", item.amount, result.amount
            )
            if problem:
                yield problem


def _lines(invoice: Invoice, totals: InvoiceTotals) -> Iterator[Problem]:
    for index, (line, result) in enumerate(zip(invoice.lines, totals.lines, strict=True)):
        path = f"lines[{index}]"
        yield from _allowances(
            f"{path}.allowance_charges", line.allowance_charges, result.allowance_charges
        )
        checks: list[tuple[str, str, Decimal | None, Decimal]] = [
            (
                f"{path}.line_extension_amount",
                "Satır tutarı",
                line.line_extension_amount,
                result.line_extension_amount,
            ),
        ]
        for tax_index, (tax, computed) in enumerate(zip(line.taxes, result.taxes, strict=True)):
            if tax.percent is not None:
                checks.append(
                    (
                        f"{path}.taxes[{tax_index}].amount",
                        f"{tax.code} vergi tutarı",
                        tax.amount,
                        computed.amount,
                    )
                )
        if line.withholding is not None and result.withholding is not None:
            checks.append(
                (
                    f"{path}.withholding.taxable_amount",
                    "Tevkifat matrahı",
                    line.withholding.taxable_amount,
                    result.withholding.taxable_amount,
                )
            )
            checks.append(
                (
                    f"{path}.withholding.amount",
                    "Tevkifat tutarı",
                    line.withholding.amount,
                    result.withholding.amount,
                )
            )
        for where, label, stated, computed in checks:
            problem = mismatch(where, label, stated, computed) if stated is not None else None
            if problem:
                yield problem
        if result.line_extension_amount < ZERO:
            yield Problem(
                f"{path}.line_extension_amount",
                f"satır tutarı eksi olamaz ({result.line_extension_amount})",
            )


def _document(invoice: Invoice, totals: InvoiceTotals) -> Iterator[Problem]:
    yield from _allowances("allowance_charges", invoice.allowance_charges, totals.allowance_charges)
    if totals.tax_exclusive_amount < ZERO:
        yield Problem("allowance_charges", "belge iskontoları mal/hizmet toplamını aşıyor")
    elif totals.payable_amount < ZERO:
        yield Problem("payable_rounding_amount", "yuvarlama ödenecek tutarı eksiye düşürüyor")
    if invoice.totals is None:
        return
    computed = stated_totals(totals)
    for field, label in _TOTAL_LABELS.items():
        stated = getattr(invoice.totals, field)
        if stated is None:
            continue
        expected = getattr(computed, field)
        problem = mismatch(
            f"totals.{field}", label, stated, expected if expected is not None else ZERO
        )
        if problem:
            yield problem


RULES: Final = (_lines, _document)
