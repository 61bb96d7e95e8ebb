"""The invoice: header, parties, references, payment, allowances, lines and totals.

This is what an ERP, the portal or the REST API fills without knowing UBL; the builder
(:mod:`entegrator.ubl.build`) turns it into a UBL-TR 1.2 document, the parser
(:mod:`entegrator.ubl.parse`) turns any UBL-TR invoice back into it. ``number`` and ``ettn``
may be missing in a draft: the core assigns them before signing (docs/decisions/ubl-model.md).
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from pydantic import AfterValidator, Field, PrivateAttr

from entegrator.ubl.model._base import UblModel
from entegrator.ubl.model._types import (
    Base64Content,
    CurrencyCode,
    Ettn,
    InvoiceNumber,
    Money,
    OptText,
    SignedMoney,
    Text,
)
from entegrator.ubl.model.delivery import Delivery
from entegrator.ubl.model.enums import InvoiceType, Profile
from entegrator.ubl.model.line import AllowanceCharge, InvoiceLine
from entegrator.ubl.model.party import BuyerCustomer, Party, TaxRepresentative
from entegrator.ubl.model.payment import ExchangeRate, PaymentMeans, PaymentTerms
from entegrator.ubl.model.references import (
    AdditionalDocument,
    BillingReference,
    DocumentReference,
    OrderReference,
    Period,
)

__all__ = ["Invoice", "MonetaryTotals"]


def _at_least_one(lines: tuple[InvoiceLine, ...]) -> tuple[InvoiceLine, ...]:
    if not lines:
        raise ValueError("faturada en az bir satır olmalı")
    return lines


class MonetaryTotals(UblModel):
    """Document totals as stated by the sender; each one is checked against the lines."""

    line_extension_amount: Money | None = Field(None, description="Mal/hizmet toplamı")
    allowance_total_amount: Money | None = Field(None, description="Belge iskontoları toplamı")
    charge_total_amount: Money | None = Field(None, description="Belge artırımları toplamı")
    tax_exclusive_amount: Money | None = Field(None, description="Vergiler hariç tutar")
    tax_total_amount: Money | None = Field(None, description="Hesaplanan vergilerin toplamı")
    withholding_total_amount: Money | None = Field(None, description="Tevkif edilen KDV")
    tax_inclusive_amount: Money | None = Field(None, description="Vergiler dahil tutar")
    payable_amount: Money | None = Field(None, description="Ödenecek tutar")


class Invoice(UblModel):
    """An e-Fatura (UBL-TR 1.2) invoice."""

    profile: Profile = Field(description="Senaryo (ProfileID)")
    invoice_type: InvoiceType = Field(description="Fatura tipi (InvoiceTypeCode)")
    number: InvoiceNumber | None = Field(None, description="Fatura numarası (taslakta boş)")
    ettn: Ettn | None = Field(None, description="ETTN (taslakta boş)")
    issue_date: date = Field(description="Düzenleme tarihi")
    issue_time: time | None = Field(None, description="Düzenleme saati")
    currency: CurrencyCode = Field("TRY", description="Belge para birimi")
    exchange_rate: ExchangeRate | None = Field(None, description="Döviz kuru (TRY değilse)")
    notes: tuple[Text, ...] = Field((), description="Notlar")
    accounting_cost: OptText = Field(None, description="Muhasebe/maliyet kodu (SGK'da tür)")
    invoice_period: Period | None = Field(None, description="Fatura dönemi")
    order_reference: OrderReference | None = Field(None, description="Sipariş")
    billing_references: tuple[BillingReference, ...] = Field(
        (), description="Başvurulan faturalar (iade faturasında zorunlu)"
    )
    despatch_references: tuple[DocumentReference, ...] = Field((), description="İrsaliyeler")
    additional_documents: tuple[AdditionalDocument, ...] = Field((), description="Ek belgeler")
    stylesheet: Base64Content | None = Field(
        None, description="Görüntüleme XSLT'si (base64); yoksa entegratörün varsayılanı gömülür"
    )
    supplier: Party = Field(description="Satıcı (faturayı düzenleyen)")
    customer: Party = Field(description="Alıcı")
    buyer_customer: BuyerCustomer | None = Field(
        None, description="Asıl alıcı (IHRACAT: EXPORT, YOLCUBERABERFATURA: TAXFREE)"
    )
    tax_representative: TaxRepresentative | None = Field(
        None, description="Aracı kurum (YOLCUBERABERFATURA)"
    )
    delivery: Delivery | None = Field(None, description="Teslim bilgileri")
    payment_means: tuple[PaymentMeans, ...] = Field((), description="Ödeme şekilleri")
    due_date: date | None = Field(None, description="Vade tarihi (PaymentTerms/PaymentDueDate)")
    payment_terms: PaymentTerms | None = Field(None, description="Ödeme koşulları")
    allowance_charges: tuple[AllowanceCharge, ...] = Field(
        (), description="Belge düzeyinde iskonto/artırımlar"
    )
    lines: Annotated[tuple[InvoiceLine, ...], AfterValidator(_at_least_one)] = Field(
        description="Fatura satırları (en az bir)", json_schema_extra={"minItems": 1}
    )
    payable_rounding_amount: SignedMoney | None = Field(
        None, description="Ödenecek tutar yuvarlaması"
    )
    totals: MonetaryTotals | None = Field(
        None, description="Belge toplamları; verilirse hesaplananla denetlenir"
    )

    _lenient: bool = PrivateAttr(default=False)

    @property
    def is_lenient(self) -> bool:
        """True for a model read leniently from a foreign document that breaks field rules."""
        return self._lenient
