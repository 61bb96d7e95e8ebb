"""Tax rules: one KDV per line at a legal rate, exemptions, withholding and special taxes.

Sources: schematron ``TaxExemptionReasonCheck``, ``TaxExemptionReasonCodeCheck``,
``DemirbasKDVTaxExemptionCheck``, ``GeneralWithholdingTaxTotalCheck``,
``WithholdingTaxTotalCheck`` (gib-protocol.md §4.4) and the KDV rates of KDV Kanunu m. 28.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

from entegrator.ubl import codelists
from entegrator.ubl.amounts import ZERO
from entegrator.ubl.errors import Problem
from entegrator.ubl.model import KDV, Invoice, InvoiceType, Profile
from entegrator.ubl.totals import InvoiceTotals

__all__ = ["KDV_RATES", "RULES"]

_T = InvoiceType
#: KDV rates in force now or earlier (1/8/18 until 10.07.2023, 1/10/20 since), and 0.
KDV_RATES: Final = frozenset(Decimal(rate) for rate in (0, 1, 8, 10, 18, 20))
#: Types whose zero KDV needs no exemption reason (``TaxExemptionReasonCheck``).
_ZERO_KDV_WITHOUT_REASON: Final = frozenset(
    {_T.IADE, _T.YTBIADE, _T.IHRACKAYITLI, _T.OZELMATRAH, _T.SGK, _T.KONAKLAMAVERGISI}
)
#: Types that may carry withholding (``GeneralWithholdingTaxTotalCheck``).
_WITHHOLDING_TYPES: Final = frozenset(
    {_T.TEVKIFAT, _T.YTBTEVKIFAT, _T.IADE, _T.YTBIADE, _T.SGK, _T.SARJ, _T.SARJANLIK}
)
_NEEDS_WITHHOLDING: Final = frozenset({_T.TEVKIFAT, _T.YTBTEVKIFAT})
#: Types that may carry tax type 4171 (ÖTV tevkifatı).
_TYPES_4171: Final = frozenset({_T.TEVKIFAT, _T.IADE, _T.SGK, _T.YTBIADE})
#: Types whose KDV base may differ from the computed one (özel matrah and its returns).
_SPECIAL_BASE_TYPES: Final = frozenset({_T.OZELMATRAH, _T.IADE, _T.SGK})
#: Stopaj (deducted at source): not modelled, they would change the payable amount.
_DEDUCTED_TAXES: Final = frozenset({"0003", "0011"})
_DEMIRBAS: Final = "555"
_DEMIRBAS_PROFILES: Final = frozenset(
    {Profile.TEMELFATURA, Profile.TICARIFATURA, Profile.EARSIVFATURA}
)


def _line_taxes(invoice: Invoice, totals: InvoiceTotals) -> Iterator[Problem]:
    for index, (line, result) in enumerate(zip(invoice.lines, totals.lines, strict=True)):
        path = f"lines[{index}].taxes"
        kdv = [i for i, tax in enumerate(line.taxes) if tax.code == KDV]
        if len(kdv) != 1:
            yield Problem(path, f"satırda tam bir KDV (0015) olmalı, {len(kdv)} var")
        for tax_index, tax in enumerate(line.taxes):
            where = f"{path}[{tax_index}]"
            if tax.code == KDV and tax.percent is None:
                yield Problem(f"{where}.percent", "KDV oranı zorunlu")
            if tax.code == KDV and tax.percent is not None and tax.percent not in KDV_RATES:
                rates = ", ".join(str(rate) for rate in sorted(KDV_RATES))
                yield Problem(f"{where}.percent", f"KDV oranı {rates} olabilir: {tax.percent}")
            if tax.code in _DEDUCTED_TAXES:
                yield Problem(f"{where}.code", f"stopaj türü vergi ({tax.code}) desteklenmiyor")
            if tax.code == "4171" and invoice.invoice_type not in _TYPES_4171:
                yield Problem(
                    f"{where}.code",
                    "4171 vergi türü yalnız TEVKIFAT, IADE, YTBIADE ve SGK faturalarında olabilir",
                )
            if (
                tax.code == KDV
                and tax.taxable_amount is not None
                and tax.taxable_amount != result.kdv_base
                and invoice.invoice_type not in _SPECIAL_BASE_TYPES
            ):
                yield Problem(
                    f"{where}.taxable_amount",
                    f"KDV matrahı yazılan {tax.taxable_amount}, hesaplanan {result.kdv_base}; "
                    "farklı (özel) matrah yalnız OZELMATRAH, IADE ve SGK faturalarında olabilir",
                )


def _exemptions(invoice: Invoice, totals: InvoiceTotals) -> Iterator[Problem]:
    kind = invoice.invoice_type
    for group in totals.tax_groups:
        line_index, tax_index = group.first
        path = f"lines[{line_index}].taxes[{tax_index}].exemption_reason_code"
        if (
            group.code == KDV
            and group.amount == ZERO
            and group.exemption_reason_code is None
            and kind not in _ZERO_KDV_WITHOUT_REASON
        ):
            yield Problem(path, "KDV tutarı 0 olan satırda istisna/muafiyet kodu zorunlu")
        code = group.exemption_reason_code
        if code is None:
            continue
        allowed = codelists.exemption_invoice_types(code)
        if allowed is not None and kind not in allowed:
            types = ", ".join(sorted(allowed))
            yield Problem(path, f"{code} istisna kodu için fatura tipi {types} olmalı")
        if code == _DEMIRBAS:
            yield from _demirbas(invoice, totals, path)


def _demirbas(invoice: Invoice, totals: InvoiceTotals, path: str) -> Iterator[Problem]:
    kind = invoice.invoice_type
    if (
        invoice.profile not in _DEMIRBAS_PROFILES
        or kind in (_T.ISTISNA, _T.IHRACKAYITLI)
        or kind.startswith("YTB")
    ):
        yield Problem(path, f"{invoice.profile} senaryolu {kind} faturada 555 kodu kullanılamaz")
    if any(g.code == KDV and ZERO in (g.percent, g.amount) for g in totals.tax_groups):
        yield Problem(path, "555 istisna kodu varken KDV 0 olamaz")


def _withholding(invoice: Invoice, totals: InvoiceTotals) -> Iterator[Problem]:
    kind = invoice.invoice_type
    if kind in _NEEDS_WITHHOLDING and all(line.withholding is None for line in invoice.lines):
        yield Problem("lines", f"{kind} faturasında en az bir satırda tevkifat olmalı")
    for index, line in enumerate(invoice.lines):
        withholding = line.withholding
        if withholding is None:
            continue
        path = f"lines[{index}].withholding"
        if kind not in _WITHHOLDING_TYPES:
            types = ", ".join(sorted(_WITHHOLDING_TYPES))
            yield Problem(path, f"tevkifat yalnız {types} faturalarında olabilir")
        if not codelists.withholding_percent_allowed(withholding.code, withholding.percent):
            yield Problem(
                f"{path}.percent",
                f"{withholding.code} tevkifat kodu %{withholding.percent} oranıyla kullanılamaz",
            )
        if not any(t.code == KDV and t.amount > ZERO for t in totals.lines[index].taxes):
            yield Problem(path, "KDV'si olmayan satırda tevkifat olamaz")


RULES: Final = (_line_taxes, _exemptions, _withholding)
