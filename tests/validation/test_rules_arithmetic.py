"""TR-ARITH rules: each with a failing and a passing document derived from GİB's sample.

TicariFaturaOrnegi.xml: line 1 is 12 × 825.50 = 9906.00 less a 5 % allowance of 495.30 =
9410.70 with 18 % VAT 1693.93; the document's VAT is 4538.97 on 25216.50; its totals follow
the "gross" convention (line total 26003.40, allowance total 786.90), payable 29755.47.
"""

from __future__ import annotations

import pytest

from entegrator.validation import ValidationEngine
from entegrator.validation.findings import GIB_SCHEMATRON
from tests.validation.support import Change, add, edit, rule_findings, set_text

_LINE1 = "/inv:Invoice/cac:InvoiceLine[1]"
_LMT = "/inv:Invoice/cac:LegalMonetaryTotal"
_DOC_SUBTOTAL = "/inv:Invoice/cac:TaxTotal/cac:TaxSubtotal"
_WITHHOLDING = """<cac:WithholdingTaxTotal>
  <cbc:TaxAmount currencyID="TRY">{total}</cbc:TaxAmount>
  <cac:TaxSubtotal>
    <cbc:TaxableAmount currencyID="TRY">4538.97</cbc:TaxableAmount>
    <cbc:TaxAmount currencyID="TRY">{part}</cbc:TaxAmount>
    <cbc:Percent>50</cbc:Percent>
    <cac:TaxCategory><cac:TaxScheme><cbc:TaxTypeCode>602</cbc:TaxTypeCode></cac:TaxScheme>
    </cac:TaxCategory>
  </cac:TaxSubtotal>
</cac:WithholdingTaxTotal>"""


def _withholding(total: str, part: str) -> Change:
    return add("/inv:Invoice", _WITHHOLDING.format(total=total, part=part), index=27)


def _document_charge(amounts: str) -> tuple[Change, ...]:
    """A document-level charge of 10.00 (``amounts``: its amount elements) and its totals."""
    return (
        add(
            "/inv:Invoice",
            "<cac:AllowanceCharge><cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
            f"{amounts}</cac:AllowanceCharge>",
            index=26,
        ),
        add(_LMT, '<cbc:ChargeTotalAmount currencyID="TRY">10.00</cbc:ChargeTotalAmount>', index=4),
        set_text(f"{_LMT}/cbc:TaxExclusiveAmount", "25226.50"),
        set_text(f"{_LMT}/cbc:TaxInclusiveAmount", "29765.47"),
        set_text(f"{_LMT}/cbc:PayableAmount", "29765.47"),
    )


def _arith(engine: ValidationEngine, ticari: bytes, *changes: Change) -> list[tuple[str, str]]:
    return rule_findings(engine.validate(edit(ticari, *changes)), "TR-ARITH")


def test_sample_passes_every_arithmetic_rule(engine: ValidationEngine, ticari: bytes) -> None:
    assert _arith(engine, ticari) == []


FAILING: dict[str, tuple[Change, ...]] = {
    "TR-ARITH-001": (set_text(f"{_LINE1}/cbc:LineExtensionAmount", "9400.70"),),
    "TR-ARITH-002": (
        set_text(f"{_LINE1}/cac:AllowanceCharge/cbc:MultiplierFactorNumeric", "0.06"),
    ),
    "TR-ARITH-003": (set_text(f"{_DOC_SUBTOTAL}/cbc:Percent", "20"),),
    "TR-ARITH-004": (set_text("/inv:Invoice/cac:TaxTotal/cbc:TaxAmount", "4500.00"),),
    "TR-ARITH-005": (
        _withholding("2000.00", "2000.00"),
        set_text(f"{_LMT}/cbc:PayableAmount", "27755.47"),
    ),
    "TR-ARITH-006": (
        _withholding("2000.00", "2269.49"),
        set_text(f"{_LMT}/cbc:PayableAmount", "27755.47"),
    ),
    "TR-ARITH-007": (set_text(f"{_LMT}/cbc:LineExtensionAmount", "25000.00"),),
    "TR-ARITH-008": (set_text(f"{_LMT}/cbc:AllowanceTotalAmount", "700.00"),),
    "TR-ARITH-009": (
        add(_LMT, '<cbc:ChargeTotalAmount currencyID="TRY">10.00</cbc:ChargeTotalAmount>', index=4),
    ),
    "TR-ARITH-010": (set_text(f"{_LMT}/cbc:TaxExclusiveAmount", "25000.00"),),
    "TR-ARITH-011": (set_text(f"{_LMT}/cbc:TaxInclusiveAmount", "30000.00"),),
    "TR-ARITH-012": (set_text(f"{_LMT}/cbc:PayableAmount", "30000.00"),),
    "TR-ARITH-013": (
        set_text(f"{_LINE1}/cac:TaxTotal/cbc:TaxAmount", "752.86"),
        set_text(f"{_LINE1}/cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount", "752.86"),
        set_text(f"{_LINE1}/cac:TaxTotal/cac:TaxSubtotal/cbc:Percent", "8"),
    ),
}


@pytest.mark.parametrize("rule", sorted(FAILING))
def test_rule_fails(engine: ValidationEngine, ticari: bytes, rule: str) -> None:
    report = engine.validate(edit(ticari, *FAILING[rule]))
    found = [f for f in report.findings if f.rule.startswith("TR-ARITH")]
    assert [f.rule for f in found] == [rule]
    assert found[0].is_error
    assert found[0].gib_code == GIB_SCHEMATRON
    assert found[0].line is not None
    assert not report.ok


PASSING: dict[str, tuple[Change, ...]] = {
    # price per 10 units (cac:Price/cbc:BaseQuantity): 12 × 8255 / 10 = 9906
    "TR-ARITH-001": (
        set_text(f"{_LINE1}/cac:Price/cbc:PriceAmount", "8255"),
        add(f"{_LINE1}/cac:Price", '<cbc:BaseQuantity unitCode="NIU">10</cbc:BaseQuantity>'),
    ),
    # a document-level 1 % charge on 1000.00 and the totals that follow from it
    "TR-ARITH-002": _document_charge(
        "<cbc:MultiplierFactorNumeric>0.01</cbc:MultiplierFactorNumeric>"
        '<cbc:Amount currencyID="TRY">10.00</cbc:Amount>'
        '<cbc:BaseAmount currencyID="TRY">1000.00</cbc:BaseAmount>'
    ),
    # within one kuruş
    "TR-ARITH-003": (
        set_text(f"{_DOC_SUBTOTAL}/cbc:TaxAmount", "4538.98"),
        set_text("/inv:Invoice/cac:TaxTotal/cbc:TaxAmount", "4538.98"),
        set_text(f"{_LMT}/cbc:TaxInclusiveAmount", "29755.48"),
        set_text(f"{_LMT}/cbc:PayableAmount", "29755.48"),
    ),
    # exempt subtotal left out of the stated total (GİB's YATIRIMTESVIK convention)
    "TR-ARITH-004": (
        set_text("/inv:Invoice/cac:TaxTotal/cbc:TaxAmount", "0"),
        add(
            f"{_DOC_SUBTOTAL}/cac:TaxCategory",
            "<cbc:TaxExemptionReasonCode>308</cbc:TaxExemptionReasonCode>",
            index=0,
        ),
        set_text(f"{_LMT}/cbc:TaxInclusiveAmount", "25216.50"),
        set_text(f"{_LMT}/cbc:PayableAmount", "25216.50"),
    ),
    # 50 % of the VAT withheld: 2269.49; payable 29755.47 − 2269.49
    "TR-ARITH-005": (
        _withholding("2269.49", "2269.49"),
        set_text(f"{_LMT}/cbc:PayableAmount", "27485.98"),
    ),
    # GİB's TEVKIFAT convention: the stated VAT total is what is left after withholding
    "TR-ARITH-006": (
        _withholding("2269.49", "2269.49"),
        set_text("/inv:Invoice/cac:TaxTotal/cbc:TaxAmount", "2269.48"),
        set_text(f"{_LMT}/cbc:PayableAmount", "27485.98"),
    ),
    # UBL's convention: Σ net line amounts, no document-level allowance
    "TR-ARITH-007": (
        set_text(f"{_LMT}/cbc:LineExtensionAmount", "25216.50"),
        set_text(f"{_LMT}/cbc:AllowanceTotalAmount", "0"),
    ),
    "TR-ARITH-008": (set_text(f"{_LMT}/cbc:AllowanceTotalAmount", "786.89"),),
    # a document-level charge of 10.00 and the totals that follow from it
    "TR-ARITH-009": _document_charge('<cbc:Amount currencyID="TRY">10.00</cbc:Amount>'),
    "TR-ARITH-010": (set_text(f"{_LMT}/cbc:TaxExclusiveAmount", "25216.51"),),
    "TR-ARITH-011": (set_text(f"{_LMT}/cbc:TaxInclusiveAmount", "29755.46"),),
    # payable rounding (cbc:PayableRoundingAmount)
    "TR-ARITH-012": (
        add(
            _LMT,
            '<cbc:PayableRoundingAmount currencyID="TRY">0.53</cbc:PayableRoundingAmount>',
            index=4,
        ),
        set_text(f"{_LMT}/cbc:PayableAmount", "29756.00"),
    ),
    # line VAT rounded per line may differ from the document's by half a kuruş per line
    "TR-ARITH-013": (
        set_text("/inv:Invoice/cac:TaxTotal/cbc:TaxAmount", "4538.99"),
        set_text(f"{_DOC_SUBTOTAL}/cbc:TaxAmount", "4538.98"),
    ),
}


@pytest.mark.parametrize("rule", sorted(PASSING))
def test_rule_passes(engine: ValidationEngine, ticari: bytes, rule: str) -> None:
    assert _arith(engine, ticari, *PASSING[rule]) == []


def test_every_rule_has_both_cases() -> None:
    assert sorted(FAILING) == sorted(PASSING) == [f"TR-ARITH-{n:03d}" for n in range(1, 14)]


def test_monetary_totals_are_not_checked_for_hks(engine: ValidationEngine, ticari: bytes) -> None:
    changes = (
        set_text("/inv:Invoice/cbc:ProfileID", "HKS"),
        set_text(f"{_LMT}/cbc:PayableAmount", "30000.00"),
    )
    assert _arith(engine, ticari, *changes) == []
