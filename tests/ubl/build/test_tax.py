"""Tests for entegrator.ubl.build.tax (tax and withholding totals)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

Query = Callable[[etree._Element, str], list[Any]]


def _line(price: str, **fields: Any) -> dict[str, Any]:
    return {
        "name": "Hizmet",
        "quantity": "1",
        "unit_code": "C62",
        "unit_price": price,
        "taxes": [{"percent": "20"}],
        **fields,
    }


def test_document_tax_total_groups_the_lines(
    built: Callable[..., etree._Element], query: Query
) -> None:
    root = built(lines=[_line("100"), _line("50"), _line("10", taxes=[{"percent": "10"}])])
    subtotals = query(root, "cac:TaxTotal/cac:TaxSubtotal")
    assert [query(s, "cbc:TaxableAmount/text()")[0] for s in subtotals] == ["150.00", "10.00"]
    assert [query(s, "cbc:Percent/text()")[0] for s in subtotals] == ["20", "10"]
    assert query(root, "cac:TaxTotal/cbc:TaxAmount/text()") == ["31.00"]
    assert query(subtotals[0], ".//cac:TaxScheme/cbc:Name/text()") == ["KDV"]


def test_withholding_on_line_and_document(
    built: Callable[..., etree._Element], query: Query
) -> None:
    root = built(
        invoice_type="TEVKIFAT", lines=[_line("1000", withholding={"code": "606", "percent": "90"})]
    )
    document = query(root, "cac:WithholdingTaxTotal/cac:TaxSubtotal")[0]
    assert query(document, "cbc:Percent/text()") == ["90"]
    assert query(document, "cbc:TaxableAmount/text()") == ["200.00"]
    assert query(document, "cbc:TaxAmount/text()") == ["180.00"]
    assert query(document, ".//cbc:TaxTypeCode/text()") == ["606"]
    assert query(root, "cac:InvoiceLine/cac:WithholdingTaxTotal/cbc:TaxAmount/text()") == ["180.00"]
    assert query(root, "cac:TaxTotal/cbc:TaxAmount/text()") == ["200.00"]
    assert query(root, "cac:LegalMonetaryTotal/cbc:PayableAmount/text()") == ["1020.00"]


def test_no_withholding_total_without_withholding(
    built: Callable[..., etree._Element], query: Query
) -> None:
    assert query(built(), "cac:WithholdingTaxTotal") == []


def test_exemption_is_written_with_gibs_reason(
    built: Callable[..., etree._Element], query: Query
) -> None:
    line = _line("10", taxes=[{"percent": "0", "exemption_reason_code": "351"}])
    category = query(built(lines=[line]), "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory")[0]
    assert query(category, "cbc:TaxExemptionReasonCode/text()") == ["351"]
    assert query(category, "cbc:TaxExemptionReason/text()") == ["KDV - İstisna Olmayan Diğer"]


def test_fixed_amount_tax_has_no_percent(
    built: Callable[..., etree._Element], query: Query
) -> None:
    line = _line("100", taxes=[{"code": "0071", "amount": "12.34"}, {"percent": "20"}])
    subtotal = query(built(lines=[line]), "cac:TaxTotal/cac:TaxSubtotal")[0]
    assert query(subtotal, "cbc:Percent") == []
    assert query(subtotal, "cbc:TaxAmount/text()") == ["12.34"]
