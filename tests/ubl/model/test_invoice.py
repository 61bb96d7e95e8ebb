"""Tests for entegrator.ubl.model.invoice."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from entegrator.ubl.model import Invoice, InvoiceType, Profile


def test_a_valid_spec_becomes_a_model(spec: dict[str, Any]) -> None:
    invoice = Invoice.model_validate(spec)
    assert invoice.profile is Profile.TICARIFATURA
    assert invoice.invoice_type is InvoiceType.SATIS
    assert invoice.currency == "TRY"
    assert not invoice.is_lenient


def test_an_invoice_needs_lines(spec: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="en az bir satır"):
        Invoice.model_validate({**spec, "lines": []})


def test_number_and_ettn_are_optional(spec: dict[str, Any]) -> None:
    del spec["number"], spec["ettn"]
    invoice = Invoice.model_validate(spec)
    assert invoice.number is None
    assert invoice.ettn is None


def test_unknown_profile_is_refused(spec: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as caught:
        Invoice.model_validate({**spec, "profile": "FATURA"})
    assert caught.value.errors()[0]["loc"] == ("profile",)


def test_json_round_trip_keeps_the_model(spec: dict[str, Any]) -> None:
    invoice = Invoice.model_validate(spec)
    assert Invoice.model_validate_json(invoice.model_dump_json()) == invoice
