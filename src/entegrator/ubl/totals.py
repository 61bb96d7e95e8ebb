"""Invoice arithmetic as GİB computes it: lines, taxes, withholding and document totals.

Everything is :class:`decimal.Decimal`, rounded half-up to kuruş by
:func:`entegrator.ubl.amounts.round_money` (the same primitive the validation part uses):

* line:  ``line_extension = round(quantity × unit_price − allowances + charges)``; a
  percentage allowance is ``round(base × percent / 100)`` with base = quantity × price;
* document allowances/charges reduce/raise ``tax_exclusive`` and are spread over the lines'
  tax bases in proportion to their line amounts (largest remainder, whole kuruş), because
  GİB's ``cac:AllowanceCharge`` carries no tax category of its own;
* taxes per line: other taxes on the line base; KDV on the line base plus the other taxes
  except konaklama vergisi (0059), which the law keeps out of the KDV base;
* document tax subtotals group lines by (tax code, percent, exemption code) and apply the
  percent to the summed base — so ``TaxableAmount × Percent = TaxAmount`` holds per
  subtotal as GİB's arithmetic check wants; withholding is grouped by (code, percent) on the
  lines' KDV;
* ``tax_exclusive = line_extension − allowance_total + charge_total``,
  ``tax_inclusive = tax_exclusive + tax_total``,
  ``payable = tax_inclusive − withholding_total + payable_rounding``.

:func:`compute_totals` never fails and ignores the amounts a model states; the rules
(:mod:`entegrator.ubl.rules`) compare those with the computation, and
:func:`entegrator.ubl.normalize.normalize_invoice` writes the computed amounts into a model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from entegrator.ubl.amounts import HUNDRED, ZERO, round_money
from entegrator.ubl.model import KDV, AllowanceCharge, Invoice, InvoiceLine, Tax

__all__ = [
    "KDV_BASE_EXCLUDED",
    "AllowanceResult",
    "InvoiceTotals",
    "LineResult",
    "TaxGroup",
    "TaxResult",
    "WithholdingGroup",
    "WithholdingResult",
    "compute_totals",
    "percent_of",
]

#: Tax types that are not part of the KDV base (konaklama vergisi, 7194 s. Kanun m. 34).
KDV_BASE_EXCLUDED: Final = frozenset({"0059"})


def percent_of(base: Decimal, percent: Decimal) -> Decimal:
    """``round(base × percent / 100)`` to kuruş, half up.

    >>> percent_of(Decimal("9410.70"), Decimal("18"))
    Decimal('1693.93')
    """
    return round_money(base * percent / HUNDRED)


@dataclass(frozen=True, slots=True)
class AllowanceResult:
    """A computed allowance/charge: the amount and, for a percentage, its base."""

    charge: bool
    base_amount: Decimal | None
    amount: Decimal


@dataclass(frozen=True, slots=True)
class TaxResult:
    """One computed tax of one line."""

    code: str
    percent: Decimal | None
    taxable_amount: Decimal
    amount: Decimal
    exemption_reason_code: str | None


@dataclass(frozen=True, slots=True)
class WithholdingResult:
    """The computed withholding of one line (base = the line's KDV)."""

    code: str
    percent: Decimal
    taxable_amount: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class LineResult:
    """Everything computed for one line."""

    allowance_charges: tuple[AllowanceResult, ...]
    line_extension_amount: Decimal
    document_share: Decimal
    kdv_base: Decimal
    taxes: tuple[TaxResult, ...]
    tax_amount: Decimal
    withholding: WithholdingResult | None


@dataclass(frozen=True, slots=True)
class TaxGroup:
    """One document-level tax subtotal; ``first`` = (line index, tax index) of its first tax."""

    code: str
    percent: Decimal | None
    exemption_reason_code: str | None
    taxable_amount: Decimal
    amount: Decimal
    first: tuple[int, int]


@dataclass(frozen=True, slots=True)
class WithholdingGroup:
    """One document-level withholding subtotal; ``first`` = index of its first line."""

    code: str
    percent: Decimal
    taxable_amount: Decimal
    amount: Decimal
    first: int


@dataclass(frozen=True, slots=True)
class InvoiceTotals:
    """The computed figures of a whole invoice."""

    lines: tuple[LineResult, ...]
    allowance_charges: tuple[AllowanceResult, ...]
    tax_groups: tuple[TaxGroup, ...]
    withholding_groups: tuple[WithholdingGroup, ...]
    line_extension_amount: Decimal
    allowance_total_amount: Decimal
    charge_total_amount: Decimal
    tax_exclusive_amount: Decimal
    tax_total_amount: Decimal
    withholding_total_amount: Decimal
    tax_inclusive_amount: Decimal
    payable_rounding_amount: Decimal
    payable_amount: Decimal


def _allowance(item: AllowanceCharge, default_base: Decimal) -> AllowanceResult:
    if item.percent is None:
        return AllowanceResult(item.charge, item.base_amount, item.amount or ZERO)
    base = item.base_amount if item.base_amount is not None else round_money(default_base)
    return AllowanceResult(item.charge, base, percent_of(base, item.percent))


def _net(results: Iterable[AllowanceResult]) -> Decimal:
    return sum((r.amount if r.charge else -r.amount for r in results), ZERO)


def _spread(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` (whole kuruş) over ``weights`` proportionally, largest remainder first."""
    shares = [ZERO] * len(weights)
    if total == ZERO or not weights:
        return shares
    weight_sum = sum(weights, ZERO)
    if weight_sum <= ZERO:
        shares[0] = total
        return shares
    cents = int((abs(total) * HUNDRED).to_integral_value())
    exact = [Decimal(cents) * w / weight_sum for w in weights]
    whole = [int(e) for e in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in order[: cents - sum(whole)]:
        whole[i] += 1
    sign = 1 if total > 0 else -1
    return [Decimal(sign * w) / HUNDRED for w in whole]


def _tax(tax: Tax, base: Decimal) -> TaxResult:
    taxable = tax.taxable_amount if tax.taxable_amount is not None else base
    if tax.percent is not None:
        amount = percent_of(taxable, tax.percent)
    else:
        amount = tax.amount if tax.amount is not None else ZERO
    return TaxResult(tax.code, tax.percent, taxable, amount, tax.exemption_reason_code)


def _line_taxes(line: InvoiceLine, base: Decimal) -> tuple[Decimal, tuple[TaxResult, ...]]:
    """The computed KDV base and every tax of ``line`` (in the line's order)."""
    results: dict[int, TaxResult] = {}
    kdv_base = base
    for index, tax in enumerate(line.taxes):
        if tax.code != KDV:
            results[index] = _tax(tax, base)
            if tax.code not in KDV_BASE_EXCLUDED:
                kdv_base += results[index].amount
    for index, tax in enumerate(line.taxes):
        if tax.code == KDV:
            results[index] = _tax(tax, kdv_base)
    return kdv_base, tuple(results[i] for i in range(len(line.taxes)))


def _line(
    line: InvoiceLine,
    share: Decimal,
    allowances: tuple[AllowanceResult, ...],
    extension: Decimal,
) -> LineResult:
    kdv_base, taxes = _line_taxes(line, extension + share)
    kdv = sum((t.amount for t in taxes if t.code == KDV), ZERO)
    withholding = None
    if line.withholding is not None:
        w = line.withholding
        withholding = WithholdingResult(w.code, w.percent, kdv, percent_of(kdv, w.percent))
    return LineResult(
        allowance_charges=allowances,
        line_extension_amount=extension,
        document_share=share,
        kdv_base=kdv_base,
        taxes=taxes,
        tax_amount=sum((t.amount for t in taxes), ZERO),
        withholding=withholding,
    )


def _tax_groups(lines: Sequence[LineResult]) -> tuple[TaxGroup, ...]:
    sums: dict[tuple[str, Decimal | None, str | None], list[Decimal]] = {}
    firsts: dict[tuple[str, Decimal | None, str | None], tuple[int, int]] = {}
    for line_index, line in enumerate(lines):
        for tax_index, tax in enumerate(line.taxes):
            key = (tax.code, tax.percent, tax.exemption_reason_code)
            acc = sums.setdefault(key, [ZERO, ZERO])
            firsts.setdefault(key, (line_index, tax_index))
            acc[0] += tax.taxable_amount
            acc[1] += tax.amount
    groups = []
    for key, (taxable, amount) in sums.items():
        code, percent, exemption = key
        total = percent_of(taxable, percent) if percent is not None else amount
        groups.append(TaxGroup(code, percent, exemption, taxable, total, firsts[key]))
    return tuple(groups)


def _withholding_groups(lines: Sequence[LineResult]) -> tuple[WithholdingGroup, ...]:
    sums: dict[tuple[str, Decimal], Decimal] = {}
    firsts: dict[tuple[str, Decimal], int] = {}
    for index, line in enumerate(lines):
        if line.withholding is not None:
            key = (line.withholding.code, line.withholding.percent)
            sums[key] = sums.get(key, ZERO) + line.withholding.taxable_amount
            firsts.setdefault(key, index)
    return tuple(
        WithholdingGroup(code, percent, base, percent_of(base, percent), firsts[(code, percent)])
        for (code, percent), base in sums.items()
    )


def compute_totals(invoice: Invoice) -> InvoiceTotals:
    """Compute every amount of ``invoice`` from its lines (stated amounts are not used)."""
    line_allowances = []
    extensions = []
    for line in invoice.lines:
        gross = line.quantity * line.unit_price
        results = tuple(_allowance(item, gross) for item in line.allowance_charges)
        line_allowances.append(results)
        extensions.append(round_money(gross + _net(results)))
    line_total = sum(extensions, ZERO)
    document = tuple(_allowance(item, line_total) for item in invoice.allowance_charges)
    shares = _spread(_net(document), extensions)
    lines = tuple(
        _line(line, share, allowances, extension)
        for line, share, allowances, extension in zip(
            invoice.lines, shares, line_allowances, extensions, strict=True
        )
    )
    tax_groups = _tax_groups(lines)
    withholding_groups = _withholding_groups(lines)
    allowance_total = sum((r.amount for r in document if not r.charge), ZERO)
    charge_total = sum((r.amount for r in document if r.charge), ZERO)
    exclusive = line_total - allowance_total + charge_total
    tax_total = sum((g.amount for g in tax_groups), ZERO)
    withholding_total = sum((g.amount for g in withholding_groups), ZERO)
    inclusive = exclusive + tax_total
    rounding = invoice.payable_rounding_amount or ZERO
    return InvoiceTotals(
        lines=lines,
        allowance_charges=document,
        tax_groups=tax_groups,
        withholding_groups=withholding_groups,
        line_extension_amount=line_total,
        allowance_total_amount=allowance_total,
        charge_total_amount=charge_total,
        tax_exclusive_amount=exclusive,
        tax_total_amount=tax_total,
        withholding_total_amount=withholding_total,
        tax_inclusive_amount=inclusive,
        payable_rounding_amount=rounding,
        payable_amount=inclusive - withholding_total + rounding,
    )
