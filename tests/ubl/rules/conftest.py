"""Helpers for the rule tests: the problems of a spec with changes applied."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from entegrator.ubl.errors import Problem
from entegrator.ubl.model import Invoice
from entegrator.ubl.rules import check_invoice


@pytest.fixture
def problems(make_invoice: Callable[..., Invoice]) -> Callable[..., list[Problem]]:
    """``problems(**changes)`` → the rule problems of the base spec with ``changes``."""

    def run(**changes: Any) -> list[Problem]:
        return check_invoice(make_invoice(**changes))

    return run


@pytest.fixture
def line() -> Callable[..., dict[str, Any]]:
    """``line(price, *taxes, **fields)`` → a line mapping (KDV 20 unless taxes are given)."""

    def make(price: str = "100", *taxes: dict[str, Any], **fields: Any) -> dict[str, Any]:
        return {
            "name": "Mal",
            "quantity": "1",
            "unit_code": "C62",
            "unit_price": price,
            "taxes": list(taxes) or [{"percent": "20"}],
            **fields,
        }

    return make
