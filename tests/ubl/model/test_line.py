"""Tests for entegrator.ubl.model.line."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from entegrator.ubl.model import AllowanceCharge, InvoiceLine, Tax


def test_tax_needs_a_percent_or_an_amount() -> None:
    with pytest.raises(ValidationError, match="oranı"):
        Tax(code="0015")


def test_tax_defaults_to_kdv() -> None:
    assert Tax(percent=20).code == "0015"


def test_allowance_needs_an_amount_or_a_percent() -> None:
    with pytest.raises(ValidationError, match="tutarı"):
        AllowanceCharge(reason="iskonto")


def test_line_refuses_unknown_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        InvoiceLine.model_validate(
            {"name": "X", "quantity": 1, "unit_code": "C62", "unit_price": 1, "vat": 20}
        )
    assert caught.value.errors()[0]["type"] == "extra_forbidden"


def test_models_are_immutable() -> None:
    line = InvoiceLine(name="X", quantity=1, unit_code="C62", unit_price=1)
    with pytest.raises(ValidationError):
        line.name = "Y"  # type: ignore[misc]
