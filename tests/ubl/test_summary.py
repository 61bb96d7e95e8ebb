"""Tests for entegrator.ubl.summary (header facts without the model)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from decimal import Decimal
from pathlib import Path

import pytest

from entegrator.ubl.build import build_invoice, build_invoice_element
from entegrator.ubl.errors import NotAnInvoice
from entegrator.ubl.model import Invoice
from entegrator.ubl.summary import PartySummary, summarize


def test_summary_of_an_own_invoice(make_invoice: Callable[..., Invoice]) -> None:
    summary = summarize(build_invoice(make_invoice(issue_time="14:42:00")))
    assert summary.number == "ABC2025000000001"
    assert summary.ettn == "5c2365ea-077b-4835-b19f-4b9caf1256a2"
    assert (summary.profile, summary.invoice_type) == ("TICARIFATURA", "SATIS")
    assert (summary.issue_date, summary.issue_time) == (date(2025, 3, 1), time(14, 42))
    assert summary.supplier == PartySummary("VKN", "4540536920", "Örnek Yazılım A.Ş.")
    assert summary.currency == "TRY"
    assert summary.tax_exclusive_amount == Decimal("300.00")
    assert summary.tax_inclusive_amount == Decimal("360.00")
    assert summary.payable_amount == Decimal("360.00")
    assert summary.line_count == 1


def test_summary_of_an_element(make_invoice: Callable[..., Invoice]) -> None:
    assert summarize(build_invoice_element(make_invoice())).line_count == 1


def test_person_name_is_joined(make_invoice: Callable[..., Invoice]) -> None:
    person = {
        "tckn": "17291716060",
        "first_name": "Ayşe",
        "family_name": "Yılmaz",
        "address": {"city_subdivision": "Kadıköy", "city": "İstanbul"},
    }
    summary = summarize(build_invoice(make_invoice(customer=person)))
    assert summary.customer == PartySummary("TCKN", "17291716060", "Ayşe Yılmaz")


def test_summary_of_a_foreign_invoice(samples_dir: Path) -> None:
    data = (samples_dir / "gib-efatura-paketi/1_TEMEL_FATURA.xml").read_bytes()
    summary = summarize(data)
    assert summary.number == "TST2013000000766"
    assert summary.currency == "TRL"
    assert summary.payable_amount == Decimal("10.10")


def test_unreadable_values_become_none() -> None:
    document = (
        b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        b'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
        b'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
        b"<cbc:IssueDate>2025-13-40</cbc:IssueDate>"
        b"<cac:LegalMonetaryTotal><cbc:PayableAmount>abc</cbc:PayableAmount>"
        b"</cac:LegalMonetaryTotal></Invoice>"
    )
    summary = summarize(document)
    assert (summary.issue_date, summary.payable_amount, summary.number) == (None, None, None)
    assert summary.supplier == PartySummary(None, None, None)
    assert summary.line_count == 0


def test_other_documents_are_refused(samples_dir: Path) -> None:
    data = (samples_dir / "gib-ubltr-1.2.1/KabulUygulamaYanitiOrnegi.xml").read_bytes()
    with pytest.raises(NotAnInvoice):
        summarize(data)
