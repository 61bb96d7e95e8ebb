"""Tests for entegrator.ubl.normalize (the explicit form of an invoice)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from entegrator.ubl.model import Invoice
from entegrator.ubl.normalize import normalize_invoice


def _invoice(make_invoice: Callable[..., Invoice]) -> Invoice:
    return make_invoice(
        invoice_type="TEVKIFAT",
        lines=[
            {
                "name": "İşgücü",
                "quantity": "2",
                "unit_code": "C62",
                "unit_price": "100",
                "allowance_charges": [{"percent": "10"}],
                "taxes": [{"percent": "20"}],
                "withholding": {"code": "606", "percent": "90"},
            }
        ],
    )


def test_computed_values_become_explicit(make_invoice: Callable[..., Invoice]) -> None:
    line = normalize_invoice(_invoice(make_invoice)).lines[0]
    assert line.id == "1"
    assert line.line_extension_amount == Decimal("180.00")
    assert line.allowance_charges[0].amount == Decimal("20.00")
    assert line.allowance_charges[0].base_amount == Decimal("200.00")
    assert (line.taxes[0].taxable_amount, line.taxes[0].amount) == (
        Decimal("180.00"),
        Decimal("36.00"),
    )
    assert line.withholding is not None
    assert line.withholding.amount == Decimal("32.40")


def test_gib_names_are_filled_in(make_invoice: Callable[..., Invoice]) -> None:
    line = normalize_invoice(_invoice(make_invoice)).lines[0]
    assert line.taxes[0].name == "KDV"
    assert line.withholding is not None
    assert line.withholding.name is not None
    assert line.withholding.name.startswith("İşgücü Temin")


def test_totals_are_filled_in(make_invoice: Callable[..., Invoice]) -> None:
    totals = normalize_invoice(_invoice(make_invoice)).totals
    assert totals is not None
    assert totals.payable_amount == Decimal("183.60")
    assert totals.withholding_total_amount == Decimal("32.40")


def test_withholding_total_is_absent_without_withholding(
    make_invoice: Callable[..., Invoice],
) -> None:
    totals = normalize_invoice(make_invoice()).totals
    assert totals is not None
    assert totals.withholding_total_amount is None


def test_normalizing_twice_changes_nothing(make_invoice: Callable[..., Invoice]) -> None:
    once = normalize_invoice(_invoice(make_invoice))
    assert normalize_invoice(once) == once


def test_exemption_reason_gets_gibs_name(make_invoice: Callable[..., Invoice]) -> None:
    invoice = make_invoice(
        invoice_type="ISTISNA",
        lines=[
            {
                "name": "Taşıma",
                "quantity": "1",
                "unit_code": "C62",
                "unit_price": "10",
                "taxes": [{"percent": "0", "exemption_reason_code": "311"}],
            }
        ],
    )
    tax = normalize_invoice(invoice).lines[0].taxes[0]
    assert tax.exemption_reason == "14/1 Uluslararası Taşımacılık"
