"""Tests for entegrator.ubl.rules.header."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from entegrator.ubl.errors import Problem

Problems = Callable[..., list[Problem]]


def _paths(found: list[Problem]) -> list[str]:
    return [problem.path for problem in found]


def test_future_issue_date_is_refused(problems: Problems) -> None:
    tomorrow = date.today() + timedelta(days=2)  # a day ahead of Turkey too
    found = problems(issue_date=tomorrow.isoformat(), number=f"ABC{tomorrow.year}000000001")
    assert "ileri bir tarih" in found[0].message


def test_issue_date_before_2005_is_refused(problems: Problems) -> None:
    assert "2005" in problems(issue_date="2004-12-31", number="ABC2004000000001")[0].message


def test_number_year_must_be_the_issue_year(problems: Problems) -> None:
    found = problems(number="ABC2024000000001")
    assert found == [
        Problem(
            "number",
            "fatura numarasındaki yıl (2024) düzenleme tarihinin yılı (2025) ile aynı olmalı",
        )
    ]


def test_foreign_currency_needs_an_exchange_rate(problems: Problems) -> None:
    assert _paths(problems(currency="USD")) == ["exchange_rate"]


def test_try_invoice_takes_no_exchange_rate(problems: Problems) -> None:
    assert _paths(problems(exchange_rate={"rate": "1"})) == ["exchange_rate"]


def test_iade_is_refused_in_ticarifatura(problems: Problems, spec: dict[str, Any]) -> None:
    found = problems(
        invoice_type="IADE",
        billing_references=[{"number": "ABC2025000000000", "issue_date": "2025-01-01"}],
    )
    assert _paths(found) == ["profile"]
    assert "TEMELFATURA" in found[0].message


def test_return_needs_a_billing_reference(problems: Problems) -> None:
    assert _paths(problems(profile="TEMELFATURA", invoice_type="IADE")) == ["billing_references"]


def test_return_reference_must_be_an_invoice_number_of_type_iade(problems: Problems) -> None:
    found = problems(
        profile="TEMELFATURA",
        invoice_type="IADE",
        billing_references=[{"number": "123", "issue_date": "2025-01-01", "type_code": "X"}],
    )
    assert _paths(found) == ["billing_references[0].type_code", "billing_references[0].number"]


def test_valid_return_passes(problems: Problems) -> None:
    found = problems(
        profile="TEMELFATURA",
        invoice_type="IADE",
        billing_references=[{"number": "XYZ2025000000017", "issue_date": "2025-01-01"}],
    )
    assert found == []


def test_enerji_admits_only_charging_types(problems: Problems) -> None:
    assert _paths(problems(profile="ENERJI")) == ["invoice_type"]


def test_earsiv_only_types_are_refused_in_efatura(problems: Problems) -> None:
    assert _paths(problems(invoice_type="TEKNOLOJIDESTEK")) == ["profile"]


def test_yatirimtesvik_is_not_supported_yet(problems: Problems) -> None:
    assert "desteklenmiyor" in problems(profile="YATIRIMTESVIK")[0].message


def test_stylesheet_is_not_an_additional_document(problems: Problems) -> None:
    found = problems(
        additional_documents=[{"id": "1", "issue_date": "2025-01-01", "document_type": "xslt"}]
    )
    assert _paths(found) == ["additional_documents[0].document_type"]


def test_line_ids_must_be_unique(problems: Problems, line: Callable[..., dict[str, Any]]) -> None:
    found = problems(lines=[line(id="2"), line()])
    assert _paths(found) == ["lines[1].id"]


def test_hks_lines_need_a_kunye_number(
    problems: Problems, line: Callable[..., dict[str, Any]]
) -> None:
    kunye = {"scheme": "KUNYENO", "value": "1" * 19}
    found = problems(profile="HKS", lines=[line(additional_item_ids=[kunye]), line()])
    assert _paths(found) == ["lines[1].additional_item_ids"]
