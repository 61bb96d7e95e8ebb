"""Tests for entegrator.ubl.load (JSON specs → model, with Turkish problems)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from entegrator.ubl.errors import InvoiceInvalid, Problem
from entegrator.ubl.load import load_invoice


def _problems(data: Any, **options: Any) -> tuple[Problem, ...]:
    with pytest.raises(InvoiceInvalid) as caught:
        load_invoice(data, **options)
    return caught.value.problems


def test_json_bytes_become_an_invoice(spec: dict[str, Any]) -> None:
    invoice = load_invoice(json.dumps(spec).encode())
    assert invoice.number == "ABC2025000000001"


def test_mappings_are_accepted(spec: dict[str, Any]) -> None:
    assert load_invoice(spec).supplier.vkn == "4540536920"


def test_malformed_json_is_reported() -> None:
    (problem,) = _problems(b'{"profile": ')
    assert problem.message.startswith("JSON geçersiz")


def test_missing_and_unknown_fields_are_named(spec: dict[str, Any]) -> None:
    del spec["supplier"]
    spec["vat_rate"] = 20
    assert set(_problems(spec)) == {
        Problem("supplier", "zorunlu alan eksik"),
        Problem("vat_rate", "tanınmayan alan"),
    }


def test_field_errors_carry_their_path(spec: dict[str, Any]) -> None:
    spec["lines"][0]["unit_code"] = "ADET"
    spec["lines"][0]["taxes"][0]["percent"] = "yirmi"
    paths = [problem.path for problem in _problems(spec)]
    assert paths == ["lines[0].unit_code", "lines[0].taxes[0].percent"]


def test_bad_identifiers_are_named(spec: dict[str, Any]) -> None:
    spec["customer"]["vkn"] = "4540536921"
    spec["number"] = "AB2025000000001"
    paths = {problem.path for problem in _problems(spec)}
    assert paths == {"customer.vkn", "number"}


def test_unknown_enum_value_lists_the_choices(spec: dict[str, Any]) -> None:
    spec["invoice_type"] = "SALE"
    (problem,) = _problems(spec)
    assert problem.path == "invoice_type"
    assert "SATIS" in problem.message


def test_rules_run_after_the_fields(spec: dict[str, Any]) -> None:
    spec["totals"] = {"payable_amount": "1"}
    assert [p.path for p in _problems(spec)] == ["totals.payable_amount"]


def test_rules_can_be_skipped(spec: dict[str, Any]) -> None:
    spec["totals"] = {"payable_amount": "1"}
    assert load_invoice(spec, check=False).totals is not None


def test_oversize_spec_is_refused() -> None:
    with pytest.raises(InvoiceInvalid, match="çok büyük"):
        load_invoice(b" " * 101, max_bytes=100)
