"""Delivery and shipment facts (``cac:Delivery``), as export invoices need them.

For IHRACAT GİB requires, per line or for the whole invoice, the delivery address, the
INCOTERMS term and the transport mode, and per line the customs tariff number (GTİP,
``cac:Shipment/cac:GoodsItem/cbc:RequiredCustomsID``); schematron ``LineDeliveryCheck``.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from entegrator.ubl.model._base import UblModel
from entegrator.ubl.model._types import (
    IncotermsCode,
    OptText,
    PackagingTypeCode,
    Quantity,
    TransportModeCode,
)
from entegrator.ubl.model.party import Address

__all__ = ["Delivery", "Package"]


class Package(UblModel):
    """The package the goods travel in (``cac:ActualPackage``)."""

    id: OptText = Field(None, description="Kap numarası")
    quantity: Quantity | None = Field(None, description="Kap adedi")
    type_code: PackagingTypeCode | None = Field(None, description="Kap cinsi kodu")


class Delivery(UblModel):
    """Where, when and how goods are delivered."""

    date: dt.date | None = Field(None, description="Teslim tarihi (ActualDeliveryDate)")
    address: Address | None = Field(None, description="Teslim adresi")
    incoterms: IncotermsCode | None = Field(None, description="Teslim şartı (INCOTERMS)")
    gtip: OptText = Field(None, description="GTİP (gümrük tarife istatistik pozisyonu)")
    transport_mode: TransportModeCode | None = Field(None, description="Gönderim şekli kodu")
    package: Package | None = Field(None, description="Kap bilgisi")
