"""Tests for entegrator.ubl.rules.taxes (KDV, exemptions, withholding)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from entegrator.ubl.errors import Problem

Problems = Callable[..., list[Problem]]
Line = Callable[..., dict[str, Any]]


def _paths(found: list[Problem]) -> list[str]:
    return [problem.path for problem in found]


def test_line_needs_exactly_one_kdv(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", {"code": "0074", "percent": "10"})])
    assert _paths(found) == ["lines[0].taxes"]


def test_kdv_rate_must_be_a_legal_one(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", {"percent": "19"})])
    assert _paths(found) == ["lines[0].taxes[0].percent"]


def test_kdv_needs_a_rate(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", {"amount": "2"})])
    assert _paths(found) == ["lines[0].taxes[0].percent"]


def test_stopaj_taxes_are_not_supported(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", {"code": "0003", "percent": "20"}, {"percent": "20"})])
    assert _paths(found) == ["lines[0].taxes[0].code"]


def test_zero_kdv_needs_an_exemption_code(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", {"percent": "0"})])
    assert _paths(found) == ["lines[0].taxes[0].exemption_reason_code"]


def test_zero_kdv_without_code_is_allowed_in_ihrackayitli(problems: Problems, line: Line) -> None:
    assert problems(invoice_type="IHRACKAYITLI", lines=[line("10", {"percent": "0"})]) == []


def test_istisna_code_needs_an_istisna_type(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", {"percent": "0", "exemption_reason_code": "301"})])
    assert _paths(found) == ["lines[0].taxes[0].exemption_reason_code"]
    assert "ISTISNA" in found[0].message


def test_ozel_matrah_code_needs_ozelmatrah(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", {"percent": "20", "exemption_reason_code": "806"})])
    assert "OZELMATRAH" in found[0].message


def test_demirbas_code_refuses_zero_kdv(problems: Problems, line: Line) -> None:
    found = problems(
        lines=[
            line("10", {"percent": "20", "exemption_reason_code": "555"}),
            line("10", {"percent": "0", "exemption_reason_code": "351"}),
        ]
    )
    assert [p.message for p in found] == ["555 istisna kodu varken KDV 0 olamaz"]


def test_demirbas_code_is_refused_in_kamu(problems: Problems, line: Line) -> None:
    means = [{"code": "42", "payee_account": {"id": "TR330006100519786457841326"}}]
    found = problems(
        profile="KAMU",
        payment_means=means,
        lines=[line("10", {"percent": "20", "exemption_reason_code": "555"})],
    )
    assert "555 kodu kullanılamaz" in found[0].message


def test_tevkifat_needs_a_withholding_line(problems: Problems) -> None:
    assert _paths(problems(invoice_type="TEVKIFAT")) == ["lines"]


def test_withholding_is_refused_in_a_sale(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", withholding={"code": "606", "percent": "90"})])
    assert _paths(found) == ["lines[0].withholding"]


def test_withholding_code_and_percent_must_match(problems: Problems, line: Line) -> None:
    found = problems(
        invoice_type="TEVKIFAT", lines=[line("10", withholding={"code": "606", "percent": "50"})]
    )
    assert _paths(found) == ["lines[0].withholding.percent"]


def test_withholding_needs_kdv(problems: Problems, line: Line) -> None:
    found = problems(
        invoice_type="TEVKIFAT",
        lines=[
            line("10", {"percent": "0"}, withholding={"code": "606", "percent": "90"}),
        ],
    )
    assert "lines[0].withholding" in _paths(found)


def test_valid_withholding_passes(problems: Problems, line: Line) -> None:
    found = problems(
        invoice_type="TEVKIFAT", lines=[line("10", withholding={"code": "601", "percent": "40"})]
    )
    assert found == []


def test_tax_4171_needs_a_withholding_type(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("10", {"code": "4171", "percent": "10"}, {"percent": "20"})])
    assert _paths(found) == ["lines[0].taxes[0].code"]


def test_special_base_is_refused_outside_ozelmatrah(problems: Problems, line: Line) -> None:
    found = problems(lines=[line("1000", {"percent": "20", "taxable_amount": "150"})])
    assert _paths(found) == ["lines[0].taxes[0].taxable_amount"]


def test_special_base_is_allowed_in_ozelmatrah(problems: Problems, line: Line) -> None:
    taxes = {"percent": "20", "taxable_amount": "150", "exemption_reason_code": "806"}
    assert problems(invoice_type="OZELMATRAH", lines=[line("1000", taxes)]) == []
