"""Writes ``cac:InvoiceLine`` elements and allowance/charge elements (line and document)."""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from entegrator.ubl._tags import CAC, CBC
from entegrator.ubl.build._xml import amount, element, number_text, optional, percent_text, text
from entegrator.ubl.build.delivery import write_delivery
from entegrator.ubl.build.tax import write_line_taxes
from entegrator.ubl.model import AllowanceCharge, InvoiceLine
from entegrator.ubl.totals import AllowanceResult, LineResult

__all__ = ["write_allowance_charges", "write_line"]


def write_allowance_charges(
    parent: etree._Element,
    items: Sequence[AllowanceCharge],
    results: Sequence[AllowanceResult],
    currency: str,
) -> None:
    """Append one ``cac:AllowanceCharge`` per item with its computed amount."""
    for item, result in zip(items, results, strict=True):
        node = element(parent, CAC.AllowanceCharge)
        text(node, CBC.ChargeIndicator, "true" if item.charge else "false")
        optional(node, CBC.AllowanceChargeReason, item.reason)
        if item.percent is not None:
            text(node, CBC.MultiplierFactorNumeric, percent_text(item.percent.scaleb(-2)))
        amount(node, CBC.Amount, result.amount, currency)
        if result.base_amount is not None:
            amount(node, CBC.BaseAmount, result.base_amount, currency)


def _identification(parent: etree._Element, tag: str, value: str | None) -> None:
    if value is not None:
        text(element(parent, tag), CBC.ID, value)


def _item(parent: etree._Element, line: InvoiceLine) -> None:
    item = element(parent, CAC.Item)
    optional(item, CBC.Description, line.description)
    text(item, CBC.Name, line.name)
    optional(item, CBC.BrandName, line.brand_name)
    optional(item, CBC.ModelName, line.model_name)
    _identification(item, CAC.BuyersItemIdentification, line.buyers_item_id)
    _identification(item, CAC.SellersItemIdentification, line.sellers_item_id)
    _identification(item, CAC.ManufacturersItemIdentification, line.manufacturers_item_id)
    for extra in line.additional_item_ids:
        identification = element(item, CAC.AdditionalItemIdentification)
        element(identification, CBC.ID, schemeID=extra.scheme).text = extra.value
    for code in line.commodity_codes:
        text(element(item, CAC.CommodityClassification), CBC.ItemClassificationCode, code)


def write_line(
    parent: etree._Element, index: int, line: InvoiceLine, result: LineResult, currency: str
) -> None:
    """Append ``cac:InvoiceLine`` number ``index`` (0-based) with its computed amounts."""
    node = element(parent, CAC.InvoiceLine)
    text(node, CBC.ID, line.id or str(index + 1))
    for note in line.notes:
        text(node, CBC.Note, note)
    element(node, CBC.InvoicedQuantity, unitCode=line.unit_code).text = number_text(line.quantity)
    amount(node, CBC.LineExtensionAmount, result.line_extension_amount, currency)
    if line.delivery is not None:
        write_delivery(node, line.delivery)
    write_allowance_charges(node, line.allowance_charges, result.allowance_charges, currency)
    write_line_taxes(node, line, result, currency)
    _item(node, line)
    price = element(node, CAC.Price)
    element(price, CBC.PriceAmount, currencyID=currency).text = number_text(line.unit_price)
