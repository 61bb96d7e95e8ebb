"""Writes ``cac:Delivery`` (address, INCOTERMS, GTİP, transport mode, package)."""

from __future__ import annotations

from lxml import etree

from entegrator.ubl._tags import CAC, CBC
from entegrator.ubl.build._xml import date_text, element, number_text, optional, text
from entegrator.ubl.build.party import write_address
from entegrator.ubl.model import Delivery

__all__ = ["write_delivery"]


def write_delivery(parent: etree._Element, delivery: Delivery) -> None:
    """Append ``cac:Delivery``; ``cac:Shipment`` only when there is something to ship."""
    node = element(parent, CAC.Delivery)
    if delivery.date is not None:
        text(node, CBC.ActualDeliveryDate, date_text(delivery.date))
    if delivery.address is not None:
        write_address(node, CAC.DeliveryAddress, delivery.address)
    if delivery.incoterms is not None:
        terms = element(node, CAC.DeliveryTerms)
        element(terms, CBC.ID, schemeID="INCOTERMS").text = delivery.incoterms
    if delivery.gtip is None and delivery.transport_mode is None and delivery.package is None:
        return
    shipment = element(node, CAC.Shipment)
    element(shipment, CBC.ID)  # required by the schema; GİB's samples leave it empty
    if delivery.gtip is not None:
        text(element(shipment, CAC.GoodsItem), CBC.RequiredCustomsID, delivery.gtip)
    if delivery.transport_mode is not None:
        text(element(shipment, CAC.ShipmentStage), CBC.TransportModeCode, delivery.transport_mode)
    package = delivery.package
    if package is not None:
        actual = element(element(shipment, CAC.TransportHandlingUnit), CAC.ActualPackage)
        optional(actual, CBC.ID, package.id)
        if package.quantity is not None:
            text(actual, CBC.Quantity, number_text(package.quantity))
        optional(actual, CBC.PackagingTypeCode, package.type_code)
