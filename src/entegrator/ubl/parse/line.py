"""Reads invoice lines, allowances/charges, taxes, withholding and deliveries."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree

from entegrator.ubl._tags import CAC, CBC
from entegrator.ubl.parse._read import (
    attribute,
    compact,
    date_of,
    first,
    number_of,
    text_of,
    texts_of,
)
from entegrator.ubl.parse.party import read_address

__all__ = ["read_allowance_charges", "read_delivery", "read_line", "read_tax_subtotal"]

_SCHEME = CAC.path("TaxCategory", "TaxScheme")
_SCHEME_CODE = _SCHEME + "/" + CBC.TaxTypeCode
_SCHEME_NAME = _SCHEME + "/" + CBC.Name


def _percent_from_factor(factor: str | None) -> str | None:
    if factor is None:
        return None
    try:
        return str(Decimal(factor).scaleb(2))
    except InvalidOperation:
        return factor


def read_allowance_charges(parent: etree._Element) -> list[dict[str, Any]]:
    """Every ``cac:AllowanceCharge`` directly below ``parent``."""
    return [
        compact(
            {
                "charge": (text_of(node, CBC.ChargeIndicator) or "false").lower() == "true",
                "reason": text_of(node, CBC.AllowanceChargeReason),
                "percent": _percent_from_factor(text_of(node, CBC.MultiplierFactorNumeric)),
                "amount": number_of(node, CBC.Amount) or "0",
                "base_amount": number_of(node, CBC.BaseAmount),
            }
        )
        for node in parent.iterchildren(CAC.AllowanceCharge)
    ]


def read_tax_subtotal(node: etree._Element) -> dict[str, Any]:
    """One ``cac:TaxSubtotal`` as a tax mapping."""
    category = first(node, CAC.TaxCategory)
    return compact(
        {
            "code": text_of(node, _SCHEME_CODE) or "",
            "name": text_of(node, _SCHEME_NAME),
            "percent": number_of(node, CBC.Percent),
            "amount": number_of(node, CBC.TaxAmount),
            "taxable_amount": number_of(node, CBC.TaxableAmount),
            "exemption_reason_code": text_of(category, CBC.TaxExemptionReasonCode),
            "exemption_reason": text_of(category, CBC.TaxExemptionReason),
        }
    )


def read_delivery(node: etree._Element | None) -> dict[str, Any] | None:
    """A ``cac:Delivery`` mapping; None when absent or empty."""
    if node is None:
        return None
    shipment = first(node, CAC.Shipment)
    package = first(shipment, CAC.path("TransportHandlingUnit", "ActualPackage"))
    terms = first(node, CAC.DeliveryTerms)
    mapping = compact(
        {
            "date": date_of(node, CBC.ActualDeliveryDate),
            "address": read_address(first(node, CAC.DeliveryAddress)),
            "incoterms": text_of(terms, CBC.ID),
            "gtip": text_of(shipment, CAC.path("GoodsItem", CBC.RequiredCustomsID)),
            "transport_mode": text_of(shipment, CAC.path("ShipmentStage", CBC.TransportModeCode)),
            "package": None
            if package is None
            else compact(
                {
                    "id": text_of(package, CBC.ID),
                    "quantity": number_of(package, CBC.Quantity),
                    "type_code": text_of(package, CBC.PackagingTypeCode),
                }
            )
            or None,
        }
    )
    return mapping or None


def _withholding(line: etree._Element) -> dict[str, Any] | None:
    node = first(line, CAC.path("WithholdingTaxTotal", "TaxSubtotal"))
    if node is None:
        return None
    return compact(
        {
            "code": text_of(node, _SCHEME_CODE) or "",
            "percent": number_of(node, CBC.Percent) or "0",
            "name": text_of(node, _SCHEME_NAME),
            "taxable_amount": number_of(node, CBC.TaxableAmount),
            "amount": number_of(node, CBC.TaxAmount),
        }
    )


def _item(item: etree._Element | None) -> dict[str, Any]:
    if item is None:
        return {"name": ""}
    return {
        "name": text_of(item, CBC.Name) or "",
        "description": text_of(item, CBC.Description),
        "brand_name": text_of(item, CBC.BrandName),
        "model_name": text_of(item, CBC.ModelName),
        "buyers_item_id": text_of(item, CAC.path("BuyersItemIdentification", CBC.ID)),
        "sellers_item_id": text_of(item, CAC.path("SellersItemIdentification", CBC.ID)),
        "manufacturers_item_id": text_of(item, CAC.path("ManufacturersItemIdentification", CBC.ID)),
        "additional_item_ids": [
            {"scheme": (node.get("schemeID") or "").strip(), "value": value}
            for node in item.iterfind(CAC.path("AdditionalItemIdentification", CBC.ID))
            if (value := text_of(node)) is not None
        ],
        "commodity_codes": texts_of(
            item, CAC.path("CommodityClassification", CBC.ItemClassificationCode)
        ),
    }


def read_line(line: etree._Element) -> dict[str, Any]:
    """One ``cac:InvoiceLine``; absent required numbers become 0 (flagged by validation)."""
    taxes = [read_tax_subtotal(node) for node in line.iterfind(CAC.path("TaxTotal", "TaxSubtotal"))]
    return compact(
        {
            "id": text_of(line, CBC.ID),
            "quantity": number_of(line, CBC.InvoicedQuantity) or "0",
            "unit_code": attribute(line, CBC.InvoicedQuantity, "unitCode") or "",
            "unit_price": number_of(line, CAC.path("Price", CBC.PriceAmount)) or "0",
            "line_extension_amount": number_of(line, CBC.LineExtensionAmount),
            "allowance_charges": read_allowance_charges(line),
            "taxes": taxes,
            "withholding": _withholding(line),
            "notes": texts_of(line, CBC.Note),
            "delivery": read_delivery(first(line, CAC.Delivery)),
            **_item(first(line, CAC.Item)),
        }
    )
