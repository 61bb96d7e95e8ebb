"""Invoice lines with their allowances/charges, taxes and withholding (tevkifat).

Amount fields marked "computed" may be left out: :mod:`entegrator.ubl.totals` computes them
(GİB's arithmetic, decimal.Decimal, half-up to kuruş). When given they are checked and an
invoice whose stated amounts disagree is refused. ``Tax.taxable_amount`` is different: it
overrides the computed base (özel matrah).
"""

from __future__ import annotations

from pydantic import Field, ValidationInfo, model_validator

from entegrator.ubl.model._base import UblModel
from entegrator.ubl.model._types import (
    ExemptionCode,
    Money,
    OptText,
    Percent,
    Quantity,
    TaxTypeCode,
    Text,
    UnitCode,
    UnitPrice,
    WithholdingCode,
    WithholdingPercent,
    is_lenient,
)
from entegrator.ubl.model.delivery import Delivery

__all__ = ["KDV", "AllowanceCharge", "InvoiceLine", "ItemIdentifier", "Tax", "Withholding"]

#: GİB's tax type code of KDV (value added tax).
KDV = "0015"


class AllowanceCharge(UblModel):
    """A discount (``charge=false``) or a surcharge, as an amount or a percentage of a base."""

    charge: bool = Field(False, description="true: artırım/masraf, false: iskonto")
    reason: OptText = Field(None, description="Açıklama")
    percent: Percent | None = Field(None, description="Oran (%); verilirse tutar hesaplanır")
    amount: Money | None = Field(None, description="Tutar (oran verildiyse hesaplanır)")
    base_amount: Money | None = Field(
        None, description="Oranın uygulandığı matrah (yoksa satır brütü / satırlar toplamı)"
    )

    @model_validator(mode="after")
    def _amount_or_percent(self, info: ValidationInfo) -> AllowanceCharge:
        if not is_lenient(info) and self.amount is None and self.percent is None:
            raise ValueError("iskonto/artırımın tutarı (amount) ya da oranı (percent) verilmeli")
        return self


class Tax(UblModel):
    """One tax on a line: KDV or another GİB tax type (ÖTV, ÖİV, damga, konaklama …)."""

    code: TaxTypeCode = Field(KDV, description="Vergi türü kodu (0015 = KDV)")
    name: OptText = Field(None, description="Vergi adı (yoksa GİB kod listesindeki ad)")
    percent: Percent | None = Field(None, description="Oran (%); yoksa amount sabit tutardır")
    amount: Money | None = Field(
        None, description="Vergi tutarı: oran varsa hesaplanır/denetlenir, yoksa sabit tutar"
    )
    taxable_amount: Money | None = Field(
        None, description="Matrah; verilirse hesaplanan matrahın yerine kullanılır (özel matrah)"
    )
    exemption_reason_code: ExemptionCode | None = Field(
        None, description="İstisna/muafiyet kodu (KDV 0 iken zorunlu)"
    )
    exemption_reason: OptText = Field(
        None, description="İstisna açıklaması (yoksa GİB kod listesindeki ad)"
    )

    @model_validator(mode="after")
    def _percent_or_amount(self, info: ValidationInfo) -> Tax:
        if not is_lenient(info) and self.percent is None and self.amount is None:
            raise ValueError("verginin oranı (percent) ya da tutarı (amount) verilmeli")
        return self


class Withholding(UblModel):
    """KDV withholding (tevkifat) on a line: a GİB code with its ratio."""

    code: WithholdingCode = Field(description="Tevkifat kodu (ör. 606)")
    percent: WithholdingPercent = Field(description="Tevkifat oranı (ör. 9/10 için 90)")
    name: OptText = Field(None, description="Açıklama (yoksa GİB kod listesindeki ad)")
    taxable_amount: Money | None = Field(None, description="Matrah = satırın KDV'si (hesaplanır)")
    amount: Money | None = Field(None, description="Tevkif edilen KDV (hesaplanır)")


class ItemIdentifier(UblModel):
    """An additional item identifier with its scheme (KUNYENO, ILAC, ETIKETNO …)."""

    scheme: Text = Field(description="Tür (schemeID)")
    value: Text = Field(description="Değer")


class InvoiceLine(UblModel):
    """One invoice line: goods or service, quantity × unit price, discounts, taxes."""

    id: OptText = Field(None, description="Satır no (yoksa sırası: 1, 2, …)")
    name: Text = Field(description="Mal/hizmet adı")
    description: OptText = Field(None, description="Açıklama")
    quantity: Quantity = Field(description="Miktar")
    unit_code: UnitCode = Field(description="Birim kodu (C62 adet, KGM kg, LTR litre …)")
    unit_price: UnitPrice = Field(description="Birim fiyat")
    line_extension_amount: Money | None = Field(
        None, description="Satır tutarı = miktar × fiyat − iskonto + artırım (hesaplanır)"
    )
    allowance_charges: tuple[AllowanceCharge, ...] = Field(
        (), description="Satır iskontoları/artırımları"
    )
    taxes: tuple[Tax, ...] = Field((), description="Vergiler (bir KDV zorunlu)")
    withholding: Withholding | None = Field(None, description="KDV tevkifatı")
    notes: tuple[Text, ...] = Field((), description="Satır notları")
    brand_name: OptText = Field(None, description="Marka")
    model_name: OptText = Field(None, description="Model")
    buyers_item_id: OptText = Field(None, description="Alıcının ürün kodu")
    sellers_item_id: OptText = Field(None, description="Satıcının ürün kodu")
    manufacturers_item_id: OptText = Field(None, description="Üreticinin ürün kodu")
    additional_item_ids: tuple[ItemIdentifier, ...] = Field(
        (), description="Ek ürün kimlikleri (KUNYENO, ILAC, ETIKETNO …)"
    )
    commodity_codes: tuple[Text, ...] = Field((), description="Ürün sınıflandırma kodları")
    delivery: Delivery | None = Field(None, description="Satırın teslim/gümrük bilgileri")
