"""Invoice arithmetic (``TR-ARITH-…``): the sums GİB's schematron never checks.

GİB's schematron checks that amounts are well-formed decimals, not that they add up. These
rules recompute every amount from its parts, rounding as :mod:`entegrator.ubl.amounts`
does (half-up to kuruş) and tolerating one kuruş (``amounts_agree``):

* line: ``LineExtensionAmount = InvoicedQuantity × PriceAmount / BaseQuantity − allowances
  + charges`` (001); every ``AllowanceCharge``: ``Amount = BaseAmount ×
  MultiplierFactorNumeric`` (002, the factor is a fraction: 0.05 is 5 %);
* taxes, on lines and on the document: ``TaxAmount = TaxableAmount × Percent / 100`` (003),
  ``TaxTotal/TaxAmount = Σ TaxSubtotal/TaxAmount`` (004), the same two for withholding
  (tevkifat: the taxable amount is the VAT, 005/006), and the document's taxes equal the
  sum of the lines' taxes when there is no document-level allowance or charge (013, with
  half a kuruş of rounding per line);
* ``LegalMonetaryTotal``: line total (007), allowance and charge totals (008/009), tax
  exclusive (010), tax inclusive (011), payable = tax inclusive − withholding − prepaid
  + rounding (012).

Conventions found in GİB's own samples are accepted. Line total: UBL's (Σ net line amounts,
``AllowanceTotalAmount`` = document-level allowances) or the "gross" one of
TicariFaturaOrnegi.xml (Σ quantity × price, ``AllowanceTotalAmount`` also holds the line
allowances). Tax total: it may leave out exempt subtotals (``TaxExemptionReasonCode``, the
YATIRIMTESVIK and OZELMATRAH samples) or the withheld VAT (the TEVKIFAT samples). ProfileID
HKS is exempt from the monetary-total rules: its market-hall fees sit in AllowanceCharge
elements that its totals do not follow (GİB's HKS samples).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_UP, Decimal
from typing import Final

from lxml import etree

from entegrator.ubl import ns
from entegrator.ubl.amounts import HUNDRED, KURUS, ZERO, amounts_agree, round_money
from entegrator.validation.findings import Finding
from entegrator.validation.rules._base import RuleContext, child, children, decimal

__all__ = ["check_invoice"]

_LINE = ns.cac("InvoiceLine")
_QUANTITY = ns.cbc("InvoicedQuantity")
_LINE_AMOUNT = ns.cbc("LineExtensionAmount")
_PRICE = ns.cac("Price")
_PRICE_AMOUNT = ns.cbc("PriceAmount")
_BASE_QUANTITY = ns.cbc("BaseQuantity")
_ALLOWANCE_CHARGE = ns.cac("AllowanceCharge")
_CHARGE_INDICATOR = ns.cbc("ChargeIndicator")
_AMOUNT = ns.cbc("Amount")
_BASE_AMOUNT = ns.cbc("BaseAmount")
_FACTOR = ns.cbc("MultiplierFactorNumeric")
_TAX_TOTAL = ns.cac("TaxTotal")
_WITHHOLDING_TOTAL = ns.cac("WithholdingTaxTotal")
_TAX_AMOUNT = ns.cbc("TaxAmount")
_SUBTOTAL = ns.cac("TaxSubtotal")
_TAXABLE = ns.cbc("TaxableAmount")
_PERCENT = ns.cbc("Percent")
_TAX_CATEGORY = ns.cac("TaxCategory")
_EXEMPTION_CODE = ns.cbc("TaxExemptionReasonCode")
_MONETARY_TOTAL = ns.cac("LegalMonetaryTotal")
_TAX_EXCLUSIVE = ns.cbc("TaxExclusiveAmount")
_TAX_INCLUSIVE = ns.cbc("TaxInclusiveAmount")
_ALLOWANCE_TOTAL = ns.cbc("AllowanceTotalAmount")
_CHARGE_TOTAL = ns.cbc("ChargeTotalAmount")
_PREPAID = ns.cbc("PrepaidAmount")
_ROUNDING = ns.cbc("PayableRoundingAmount")
_PAYABLE = ns.cbc("PayableAmount")
_ID = ns.cbc("ID")
_PROFILE_ID = ns.cbc("ProfileID")
_OWN_TOTALS_PROFILES: Final = frozenset({"HKS"})
#: Largest rounding difference per line when line amounts are rounded before summing.
_HALF_KURUS: Final = Decimal("0.005")
_ONE: Final = Decimal(1)


@dataclass(slots=True)
class _Taxes:
    """The taxes of one ``TaxTotal`` owner: as stated, as summed, and the exempt part."""

    stated: Decimal = ZERO
    summed: Decimal = ZERO
    exempt: Decimal = ZERO

    def totals(self) -> tuple[Decimal, ...]:
        """The tax amounts a monetary total may add (stated, summed, summed minus exempt)."""
        return self.stated, self.summed, self.summed - self.exempt


@dataclass(slots=True)
class _Sums:
    """What the line pass hands to the document pass."""

    net: Decimal = ZERO
    gross: Decimal | None = ZERO  # None once a line lacks quantity or price
    allowances: Decimal = ZERO
    charges: Decimal = ZERO
    taxes: _Taxes = field(default_factory=_Taxes)
    lines_with_tax: int = 0


@dataclass(slots=True)
class _Checker:
    """Collects the findings of one invoice."""

    ctx: RuleContext
    findings: list[Finding] = field(default_factory=list)

    def report(
        self,
        rule: str,
        element: etree._Element | None,
        scope: etree._Element | None,
        message: str,
    ) -> None:
        """Record a finding; ``scope`` is the line it concerns (``None``: the document)."""
        self.findings.append(self.ctx.at(rule, element, _where(scope) + message))


def _where(scope: etree._Element | None) -> str:
    """Message prefix naming the line (or the document) a finding concerns."""
    if scope is None:
        return "Belge "
    return f"Satır {(scope.findtext(_ID) or '?').strip()}: "


def _money(value: Decimal) -> str:
    return str(round_money(value))


def _allowances_and_charges(
    elements: Iterable[etree._Element], check: _Checker, scope: etree._Element | None
) -> tuple[Decimal, Decimal]:
    """Sum of the allowances and of the charges among ``elements``; checks 002."""
    allowances = charges = ZERO
    for element in elements:
        amount_element = indicator = base_element = factor_element = None
        for node in element:
            tag = node.tag
            if tag == _AMOUNT:
                amount_element = node
            elif tag == _CHARGE_INDICATOR:
                indicator = node
            elif tag == _BASE_AMOUNT:
                base_element = node
            elif tag == _FACTOR:
                factor_element = node
        amount = decimal(amount_element)
        if amount is None:
            continue
        if indicator is not None and (indicator.text or "").strip().lower() == "true":
            charges += amount
        else:
            allowances += amount
        base, factor = decimal(base_element), decimal(factor_element)
        if base is not None and factor is not None and not amounts_agree(amount, base * factor):
            check.report(
                "TR-ARITH-002",
                amount_element,
                scope,
                f"iskonto/artırım tutarı {amount}; matrah {base} × oran {factor} "
                f"= {_money(base * factor)} olmalı (oran kesirdir: %5 için 0.05)",
            )
    return allowances, charges


def _subtotal_sum(
    total: etree._Element, check: _Checker, scope: etree._Element | None, rule: str, label: str
) -> tuple[Decimal, Decimal, etree._Element | None]:
    """Σ of the subtotals, Σ of the exempt ones, the stated total element; checks 003/005."""
    every = exempt = ZERO
    stated = None
    for subtotal in total:
        if subtotal.tag == _TAX_AMOUNT:
            stated = subtotal
            continue
        if subtotal.tag != _SUBTOTAL:
            continue
        amount_element = taxable_element = percent_element = category = None
        for node in subtotal:
            tag = node.tag
            if tag == _TAX_AMOUNT:
                amount_element = node
            elif tag == _TAXABLE:
                taxable_element = node
            elif tag == _PERCENT:
                percent_element = node
            elif tag == _TAX_CATEGORY:
                category = node
        amount = decimal(amount_element)
        if amount is None:
            continue
        every += amount
        if child(category, _EXEMPTION_CODE) is not None:
            exempt += amount
        taxable, percent = decimal(taxable_element), decimal(percent_element)
        if taxable is None or percent is None:
            continue
        expected = taxable * percent / HUNDRED
        if not amounts_agree(amount, expected):
            check.report(
                rule,
                amount_element,
                scope,
                f"{label} {amount}; matrah {taxable} × %{percent} = {_money(expected)} olmalı",
            )
    return every, exempt, stated


def _withholding(
    totals: Iterable[etree._Element], check: _Checker, scope: etree._Element | None
) -> Decimal:
    """Stated withholding total of ``totals``; checks 005 and 006."""
    result = ZERO
    for total in totals:
        every, _exempt, stated_element = _subtotal_sum(
            total, check, scope, "TR-ARITH-005", "tevkifat tutarı"
        )
        stated = decimal(stated_element)
        if stated is None:
            stated = every
        elif not amounts_agree(stated, every):
            check.report(
                "TR-ARITH-006",
                stated_element,
                scope,
                f"tevkifat toplamı {stated}; alt toplamların toplamı {_money(every)}",
            )
        result += stated
    return result


def _taxes(
    totals: Iterable[etree._Element],
    check: _Checker,
    scope: etree._Element | None,
    withholding: Decimal,
) -> _Taxes | None:
    """Taxes of ``totals`` (``None`` when there is none); checks 003 and 004."""
    result: _Taxes | None = None
    for total in totals:
        every, exempt, stated_element = _subtotal_sum(
            total, check, scope, "TR-ARITH-003", "vergi tutarı"
        )
        stated = decimal(stated_element)
        if stated is None:
            stated = every
        elif not (
            amounts_agree(stated, every)
            or amounts_agree(stated, every - exempt)
            or amounts_agree(stated, every - withholding)
        ):
            check.report(
                "TR-ARITH-004",
                stated_element,
                scope,
                f"vergi toplamı {stated}; alt toplamların toplamı {_money(every)}",
            )
        result = result or _Taxes()
        result.stated += stated
        result.summed += every
        result.exempt += exempt
    return result


def _line(line: etree._Element, check: _Checker, sums: _Sums) -> None:
    amount_element = quantity_element = price_element = None
    adjustments: list[etree._Element] = []
    tax_totals: list[etree._Element] = []
    withholding_totals: list[etree._Element] = []
    for node in line:
        tag = node.tag
        if tag == _LINE_AMOUNT:
            amount_element = node
        elif tag == _QUANTITY:
            quantity_element = node
        elif tag == _PRICE:
            price_element = node
        elif tag == _ALLOWANCE_CHARGE:
            adjustments.append(node)
        elif tag == _TAX_TOTAL:
            tax_totals.append(node)
        elif tag == _WITHHOLDING_TOTAL:
            withholding_totals.append(node)
    allowances, charges = _allowances_and_charges(adjustments, check, line)
    sums.allowances += allowances
    sums.charges += charges
    amount = decimal(amount_element)
    quantity = decimal(quantity_element)
    price = decimal(child(price_element, _PRICE_AMOUNT))
    base = decimal(child(price_element, _BASE_QUANTITY)) or _ONE
    if amount is not None:
        sums.net += amount
    if quantity is None or price is None or sums.gross is None:
        sums.gross = None
    else:
        gross = quantity * price / base
        sums.gross += round_money(gross)
        expected = gross - allowances + charges
        if amount is not None and not amounts_agree(amount, expected):
            check.report(
                "TR-ARITH-001",
                amount_element,
                line,
                f"tutar {amount}; miktar {quantity} × birim fiyat {price} − iskonto "
                f"{allowances} + artırım {charges} = {_money(expected)} olmalı",
            )
    withholding = _withholding(withholding_totals, check, line)
    taxes = _taxes(tax_totals, check, line, withholding)
    if taxes is not None:
        sums.taxes.stated += taxes.stated
        sums.taxes.summed += taxes.summed
        sums.lines_with_tax += 1


def _stated(
    check: _Checker,
    totals: dict[str, etree._Element],
    tag: str,
    rule: str,
    accepted: tuple[Decimal, ...],
    *,
    label: str,
) -> Decimal | None:
    """Compare one ``LegalMonetaryTotal`` amount with its accepted value(s)."""
    element = totals.get(tag)
    stated = decimal(element)
    if stated is not None and not any(amounts_agree(stated, value) for value in accepted):
        check.report(rule, element, None, f"{label} {stated}; {_money(accepted[0])} olmalı")
    return stated


def _monetary_total(
    totals: dict[str, etree._Element],
    check: _Checker,
    sums: _Sums,
    document: tuple[Decimal, Decimal, _Taxes, Decimal],
) -> None:
    allowances, charges, taxes, withholding = document
    line_total = decimal(totals.get(_LINE_AMOUNT))
    net_ok = line_total is None or amounts_agree(line_total, sums.net)
    gross_ok = (
        line_total is not None and sums.gross is not None and amounts_agree(line_total, sums.gross)
    )
    if not (net_ok or gross_ok):
        check.report(
            "TR-ARITH-007",
            totals.get(_LINE_AMOUNT),
            None,
            f"mal/hizmet toplam tutarı {line_total}; satır tutarlarının toplamı "
            f"{_money(sums.net)} olmalı",
        )
    with_lines = (allowances + sums.allowances, charges + sums.charges)
    if net_ok and not gross_ok:
        accepted_allowances, accepted_charges = (allowances,), (charges,)
    elif gross_ok and not net_ok:
        accepted_allowances, accepted_charges = (with_lines[0],), (with_lines[1],)
    else:
        accepted_allowances = (allowances, with_lines[0])
        accepted_charges = (charges, with_lines[1])
    allowance_total = _stated(
        check, totals, _ALLOWANCE_TOTAL, "TR-ARITH-008", accepted_allowances, label="toplam iskonto"
    )
    charge_total = _stated(
        check, totals, _CHARGE_TOTAL, "TR-ARITH-009", accepted_charges, label="toplam artırım"
    )
    # Each total is checked against what its stated inputs give *and* against the fully
    # computed value, so one wrong amount gives one finding instead of a cascade. Both
    # line-total conventions compute the same tax-exclusive amount.
    computed = sums.net - allowances + charges
    from_stated = (
        (line_total if line_total is not None else sums.net)
        - (allowance_total if allowance_total is not None else accepted_allowances[0])
        + (charge_total if charge_total is not None else accepted_charges[0])
    )
    exclusive = _stated(
        check,
        totals,
        _TAX_EXCLUSIVE,
        "TR-ARITH-010",
        (from_stated, computed),
        label="vergi hariç tutar (toplam − iskonto + artırım)",
    )
    bases = (computed,) if exclusive is None else (exclusive, computed)
    inclusive_accepted = tuple(base + tax for base in bases for tax in taxes.totals())
    inclusive = _stated(
        check,
        totals,
        _TAX_INCLUSIVE,
        "TR-ARITH-011",
        inclusive_accepted,
        label="vergiler dahil tutar (vergi hariç + vergiler)",
    )
    adjustment = (
        (decimal(totals.get(_ROUNDING)) or ZERO)
        - withholding
        - (decimal(totals.get(_PREPAID)) or ZERO)
    )
    bases = inclusive_accepted if inclusive is None else (inclusive, *inclusive_accepted)
    _stated(
        check,
        totals,
        _PAYABLE,
        "TR-ARITH-012",
        tuple(base + adjustment for base in bases),
        label="ödenecek tutar (vergiler dahil − tevkifat − ön ödeme + yuvarlama)",
    )


def _line_taxes_match(
    check: _Checker, tax_total: etree._Element | None, sums: _Sums, lines: int, taxes: _Taxes
) -> None:
    """Document taxes equal the lines' taxes (013), up to half a kuruş per line."""
    tolerance = max(KURUS, (_HALF_KURUS * lines).quantize(KURUS, rounding=ROUND_UP))
    if amounts_agree(taxes.stated, sums.taxes.stated, tolerance) or amounts_agree(
        taxes.summed, sums.taxes.summed, tolerance
    ):
        return
    check.report(
        "TR-ARITH-013",
        child(tax_total, _TAX_AMOUNT),
        None,
        f"vergi toplamı {taxes.stated}; satırlardaki vergilerin toplamı "
        f"{_money(sums.taxes.stated)}",
    )


def check_invoice(invoice: etree._Element, ctx: RuleContext) -> list[Finding]:
    """All ``TR-ARITH`` rules on one ``inv:Invoice``."""
    check = _Checker(ctx)
    sums = _Sums()
    lines = 0
    for line in invoice.iterchildren(_LINE):
        lines += 1
        _line(line, check, sums)
    fields = children(invoice)
    allowances, charges = _allowances_and_charges(
        invoice.iterchildren(_ALLOWANCE_CHARGE), check, None
    )
    withholding = _withholding(invoice.iterchildren(_WITHHOLDING_TOTAL), check, None)
    taxes = _taxes(invoice.iterchildren(_TAX_TOTAL), check, None, withholding)
    if taxes is not None and lines and sums.lines_with_tax == lines and not (allowances or charges):
        _line_taxes_match(check, fields.get(_TAX_TOTAL), sums, lines, taxes)
    profile = fields.get(_PROFILE_ID)
    totals = fields.get(_MONETARY_TOTAL)
    if totals is not None and (
        profile is None or (profile.text or "").strip() not in _OWN_TOTALS_PROFILES
    ):
        document = (allowances, charges, taxes or _Taxes(), withholding)
        _monetary_total(children(totals), check, sums, document)
    return check.findings
