"""Tests for entegrator.ubl.totals (GİB's invoice arithmetic)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from entegrator.ubl.model import Invoice
from entegrator.ubl.totals import _spread, compute_totals

D = Decimal


def _line(price: str, *taxes: dict[str, Any], quantity: str = "1", **extra: Any) -> dict[str, Any]:
    return {
        "name": "Mal",
        "quantity": quantity,
        "unit_code": "C62",
        "unit_price": price,
        "taxes": list(taxes) or [{"percent": "20"}],
        **extra,
    }


def test_line_amount_is_quantity_times_price_minus_allowances_plus_charges(
    make_invoice: Callable[..., Invoice],
) -> None:
    allowances = [{"percent": "5"}, {"amount": "10"}, {"charge": True, "amount": "2.50"}]
    invoice = make_invoice(lines=[_line("825.5", quantity="12", allowance_charges=allowances)])
    line = compute_totals(invoice).lines[0]
    assert line.allowance_charges[0].base_amount == D("9906.00")
    assert line.allowance_charges[0].amount == D("495.30")
    assert line.line_extension_amount == D("9403.20")


def test_kdv_is_rounded_half_up_per_line(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(lines=[_line("0.25", {"percent": "10"}, quantity="1")])
    assert compute_totals(invoice).lines[0].taxes[0].amount == D("0.03")


def test_document_tax_is_computed_on_the_summed_base(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(lines=[_line("0.25", {"percent": "10"}) for _ in range(4)])
    totals = compute_totals(invoice)
    assert [line.taxes[0].amount for line in totals.lines] == [D("0.03")] * 4
    assert totals.tax_groups[0].taxable_amount == D("1.00")
    assert totals.tax_total_amount == D("0.10")


def test_other_taxes_are_in_the_kdv_base(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(
        lines=[_line("1000", {"code": "0074", "percent": "10"}, {"percent": "20"})]
    )
    taxes = compute_totals(invoice).lines[0].taxes
    assert taxes[0].amount == D("100.00")
    assert taxes[1].taxable_amount == D("1100.00")
    assert taxes[1].amount == D("220.00")


def test_konaklama_vergisi_is_not_in_the_kdv_base(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(
        lines=[_line("1000", {"code": "0059", "percent": "2"}, {"percent": "10"})]
    )
    taxes = compute_totals(invoice).lines[0].taxes
    assert taxes[1].taxable_amount == D("1000.00")
    assert compute_totals(invoice).tax_total_amount == D("120.00")


def test_fixed_amount_tax_is_taken_as_given(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(
        lines=[_line("100", {"code": "0071", "amount": "33.33"}, {"percent": "20"})]
    )
    totals = compute_totals(invoice)
    assert totals.lines[0].taxes[0].amount == D("33.33")
    assert totals.tax_groups[0].percent is None
    assert totals.lines[0].taxes[1].amount == D("26.67")


def test_override_base_is_used_for_the_tax(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(lines=[_line("1000", {"percent": "20", "taxable_amount": "150"})])
    totals = compute_totals(invoice)
    assert totals.lines[0].taxes[0].amount == D("30.00")
    assert totals.lines[0].kdv_base == D("1000.00")


def test_document_allowance_reduces_the_tax_bases_in_proportion(
    make_invoice: Callable[..., Invoice],
) -> None:
    invoice = make_invoice(
        lines=[_line("300", {"percent": "20"}), _line("100", {"percent": "10"})],
        allowance_charges=[{"amount": "40"}],
    )
    totals = compute_totals(invoice)
    assert [line.document_share for line in totals.lines] == [D("-30.00"), D("-10.00")]
    assert [group.taxable_amount for group in totals.tax_groups] == [D("270.00"), D("90.00")]
    assert totals.tax_exclusive_amount == D("360.00")
    assert totals.allowance_total_amount == D("40")


def test_percent_document_charge_uses_the_line_total(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(
        lines=[_line("200"), _line("50")],
        allowance_charges=[{"charge": True, "percent": "10"}],
    )
    totals = compute_totals(invoice)
    assert totals.allowance_charges[0].base_amount == D("250.00")
    assert totals.charge_total_amount == D("25.00")
    assert totals.tax_exclusive_amount == D("275.00")


def test_withholding_is_a_share_of_the_line_kdv(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(
        invoice_type="TEVKIFAT",
        lines=[_line("20000", withholding={"code": "606", "percent": "90"})],
    )
    totals = compute_totals(invoice)
    assert totals.lines[0].withholding is not None
    assert totals.lines[0].withholding.taxable_amount == D("4000.00")
    assert totals.withholding_total_amount == D("3600.00")
    assert totals.tax_inclusive_amount == D("24000.00")
    assert totals.payable_amount == D("20400.00")


def test_withholding_groups_by_code_and_percent(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(
        invoice_type="TEVKIFAT",
        lines=[
            _line("100", withholding={"code": "606", "percent": "90"}),
            _line("100", withholding={"code": "606", "percent": "90"}),
            _line("100", withholding={"code": "624", "percent": "20"}),
        ],
    )
    groups = compute_totals(invoice).withholding_groups
    assert [(g.code, g.taxable_amount, g.amount, g.first) for g in groups] == [
        ("606", D("40.00"), D("36.00"), 0),
        ("624", D("20.00"), D("4.00"), 2),
    ]


def test_tax_groups_split_by_exemption_code(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(
        invoice_type="ISTISNA",
        lines=[
            _line("10", {"percent": "0", "exemption_reason_code": "301"}),
            _line("20", {"percent": "0", "exemption_reason_code": "311"}),
            _line("30", {"percent": "0", "exemption_reason_code": "301"}),
        ],
    )
    groups = compute_totals(invoice).tax_groups
    assert [(g.exemption_reason_code, g.taxable_amount, g.first) for g in groups] == [
        ("301", D("40.00"), (0, 0)),
        ("311", D("20.00"), (1, 0)),
    ]


def test_payable_includes_the_rounding(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(lines=[_line("133.33", quantity="3")], payable_rounding_amount="-0.99")
    totals = compute_totals(invoice)
    assert totals.tax_inclusive_amount == D("479.99")
    assert totals.payable_amount == D("479.00")


def test_spread_gives_everything_to_the_first_line_without_weights() -> None:
    assert _spread(D("5.00"), [D(0), D(0)]) == [D("5.00"), D(0)]


@given(
    total=st.integers(min_value=-100_000, max_value=100_000),
    weights=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=12),
)
def test_spread_shares_add_up_and_follow_the_weights(total: int, weights: list[int]) -> None:
    amount = D(total) / 100
    weight = [D(w) / 100 for w in weights]
    shares = _spread(amount, weight)
    assert sum(shares, D(0)) == amount
    if sum(weights):
        for share, w in zip(shares, weight, strict=True):
            assert abs(share - amount * w / sum(weight)) < D("0.01")
