"""Tests for entegrator.ubl.build.line (invoice lines and allowances/charges)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

Query = Callable[[etree._Element, str], list[Any]]


def _line(**fields: Any) -> dict[str, Any]:
    return {
        "name": "Kumaş",
        "quantity": "12.5",
        "unit_code": "MTR",
        "unit_price": "6.9324",
        "taxes": [{"percent": "20"}],
        **fields,
    }


def test_quantity_unit_and_price_are_written_as_given(
    built: Callable[..., etree._Element], query: Query
) -> None:
    line = query(built(lines=[_line()]), "cac:InvoiceLine")[0]
    assert query(line, "cbc:InvoicedQuantity/text()") == ["12.5"]
    assert query(line, "cbc:InvoicedQuantity/@unitCode") == ["MTR"]
    assert query(line, "cac:Price/cbc:PriceAmount/text()") == ["6.9324"]
    assert query(line, "cbc:LineExtensionAmount/text()") == ["86.66"]


def test_percentage_allowance_is_a_multiplier_factor(
    built: Callable[..., etree._Element], query: Query
) -> None:
    root = built(lines=[_line(allowance_charges=[{"percent": "12.5", "reason": "Kampanya"}])])
    allowance = query(root, "cac:InvoiceLine/cac:AllowanceCharge")[0]
    assert [child.text for child in allowance] == ["false", "Kampanya", "0.125", "10.83", "86.66"]


def test_item_details(built: Callable[..., etree._Element], query: Query) -> None:
    line = _line(
        description="Pamuklu",
        sellers_item_id="S-1",
        additional_item_ids=[{"scheme": "KUNYENO", "value": "1234567890123456789"}],
        commodity_codes=["5208"],
        notes=["not"],
        id="10",
    )
    root = built(lines=[line])
    item = query(root, "cac:InvoiceLine/cac:Item")[0]
    assert [etree.QName(c).localname for c in item] == [
        "Description",
        "Name",
        "SellersItemIdentification",
        "AdditionalItemIdentification",
        "CommodityClassification",
    ]
    assert query(root, "cac:InvoiceLine/cbc:ID/text()") == ["10"]
    assert query(root, "cac:InvoiceLine/cbc:Note/text()") == ["not"]
