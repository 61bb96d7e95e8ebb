"""Tests for entegrator.ubl.build.payment and .delivery."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

Query = Callable[[etree._Element, str], list[Any]]


def test_payment_means_with_iban(built: Callable[..., etree._Element], query: Query) -> None:
    means = [
        {
            "code": "42",
            "due_date": "2025-04-01",
            "payee_account": {
                "id": "TR33 0006 1005 1978 6457 8413 26",
                "bank_name": "Banka",
                "branch_name": "Şube",
            },
        }
    ]
    root = built(payment_means=means)
    account = query(root, "cac:PaymentMeans/cac:PayeeFinancialAccount")[0]
    assert query(account, "cbc:ID/text()") == ["TR330006100519786457841326"]
    assert query(account, "cac:FinancialInstitutionBranch/cbc:Name/text()") == ["Şube"]
    assert query(root, "cac:PaymentMeans/cbc:PaymentDueDate/text()") == ["2025-04-01"]


def test_due_date_goes_to_payment_terms(built: Callable[..., etree._Element], query: Query) -> None:
    root = built(due_date="2025-04-30", payment_terms={"note": "30 gün", "penalty_percent": "2.50"})
    terms = query(root, "cac:PaymentTerms")[0]
    assert [child.text for child in terms] == ["30 gün", "2.5", "2025-04-30"]


def test_no_payment_terms_without_terms_or_due_date(
    built: Callable[..., etree._Element], query: Query
) -> None:
    assert query(built(), "cac:PaymentTerms") == []


def test_delivery_with_shipment(built: Callable[..., etree._Element], query: Query) -> None:
    delivery = {
        "incoterms": "CIF",
        "gtip": "020622000000",
        "transport_mode": "1",
        "package": {"id": "K1", "quantity": "2", "type_code": "CN"},
    }
    root = built(delivery=delivery)
    assert query(root, "cac:Delivery/cac:DeliveryTerms/cbc:ID/@schemeID") == ["INCOTERMS"]
    shipment = query(root, "cac:Delivery/cac:Shipment")[0]
    assert query(shipment, "cbc:ID/text()") == []
    assert query(shipment, "cac:GoodsItem/cbc:RequiredCustomsID/text()") == ["020622000000"]
    assert query(shipment, ".//cac:ActualPackage/cbc:PackagingTypeCode/text()") == ["CN"]


def test_delivery_without_shipment_facts_has_no_shipment(
    built: Callable[..., etree._Element], query: Query
) -> None:
    root = built(delivery={"date": "2025-02-27"})
    assert query(root, "cac:Delivery/cbc:ActualDeliveryDate/text()") == ["2025-02-27"]
    assert query(root, "cac:Delivery/cac:Shipment") == []
