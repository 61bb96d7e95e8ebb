"""Tests for entegrator.ubl.rules.amounts (stated amounts vs computed ones)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from entegrator.ubl.errors import Problem

Problems = Callable[..., list[Problem]]
Line = Callable[..., dict[str, Any]]


def test_matching_stated_totals_pass(problems: Problems) -> None:
    totals = {
        "line_extension_amount": "300",
        "tax_exclusive_amount": "300",
        "tax_total_amount": "60",
        "tax_inclusive_amount": "360",
        "payable_amount": "360.00",
    }
    assert problems(totals=totals) == []


def test_disagreeing_total_names_both_values_and_the_difference(problems: Problems) -> None:
    assert problems(totals={"payable_amount": "360.01"}) == [
        Problem(
            "totals.payable_amount",
            "Ödenecek tutar (PayableAmount): yazılan 360.01, hesaplanan 360.00 (fark +0.01)",
        )
    ]


def test_stated_withholding_total_without_withholding_must_be_zero(problems: Problems) -> None:
    found = problems(totals={"withholding_total_amount": "5"})
    assert [p.path for p in found] == ["totals.withholding_total_amount"]


def test_stated_line_amount_is_checked(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", line_extension_amount="11")])
    assert [p.path for p in found] == ["lines[0].line_extension_amount"]


def test_stated_tax_amount_is_checked(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", {"percent": "20", "amount": "2.01"})])
    assert [p.path for p in found] == ["lines[0].taxes[0].amount"]


def test_stated_percentage_allowance_amount_is_checked(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", allowance_charges=[{"percent": "10", "amount": "2"}])])
    assert [p.path for p in found] == ["lines[0].allowance_charges[0].amount"]


def test_stated_withholding_is_checked(problems: Problems, line: Line) -> None:
    withholding = {"code": "606", "percent": "90", "taxable_amount": "3", "amount": "1"}
    found = problems(invoice_type="TEVKIFAT", lines=[line("10", withholding=withholding)])
    assert [p.path for p in found] == [
        "lines[0].withholding.taxable_amount",
        "lines[0].withholding.amount",
    ]


def test_allowance_larger_than_the_line_is_refused(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", allowance_charges=[{"amount": "11"}])])
    assert "eksi olamaz" in found[0].message


def test_document_allowance_larger_than_the_lines_is_refused(problems: Problems) -> None:
    found = problems(allowance_charges=[{"amount": "1000"}])
    assert [p.path for p in found] == ["allowance_charges"]


def test_negative_payable_is_refused(problems: Problems) -> None:
    found = problems(payable_rounding_amount="-1000")
    assert [p.path for p in found] == ["payable_rounding_amount"]
