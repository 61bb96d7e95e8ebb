"""Payment means, terms and the exchange rate of an invoice.

KAMU invoices must name a Turkish IBAN in ``cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID``
(schematron ``KamuFaturaCheck``, ``^TR\\d{7}[A-Z0-9]{17}$``); a foreign-currency invoice must
carry its rate in ``cac:PricingExchangeRate`` (``CurrencyCodeCheck``).
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from entegrator.ubl.model._base import UblModel
from entegrator.ubl.model._types import (
    AccountId,
    ChannelCode,
    CurrencyCode,
    ExchangeRateValue,
    OptText,
    PaymentMeansCode,
    Percent,
)

__all__ = ["ExchangeRate", "FinancialAccount", "PaymentMeans", "PaymentTerms"]


class FinancialAccount(UblModel):
    """The payee's bank account."""

    id: AccountId = Field(description="IBAN ya da hesap numarası")
    currency: CurrencyCode | None = Field(None, description="Hesabın para birimi")
    note: OptText = Field(None, description="Ödeme notu")
    bank_name: OptText = Field(None, description="Banka adı")
    branch_name: OptText = Field(None, description="Şube adı")


class PaymentMeans(UblModel):
    """How the invoice is to be paid."""

    code: PaymentMeansCode = Field(description="Ödeme şekli kodu (1, 10 nakit, 42 havale, ZZZ …)")
    due_date: dt.date | None = Field(None, description="Son ödeme tarihi")
    channel_code: ChannelCode | None = Field(None, description="Ödeme kanalı kodu")
    instruction_note: OptText = Field(None, description="Ödeme talimatı")
    payee_account: FinancialAccount | None = Field(None, description="Alacaklının hesabı")


class PaymentTerms(UblModel):
    """Payment conditions (``cac:PaymentTerms``); the due date is ``Invoice.due_date``."""

    note: OptText = Field(None, description="Ödeme koşulu")
    penalty_percent: Percent | None = Field(None, description="Gecikme cezası oranı (%)")


class ExchangeRate(UblModel):
    """The rate from the document currency to TRY (``cac:PricingExchangeRate``)."""

    rate: ExchangeRateValue = Field(description="Kur (1 birim = ? TRY)")
    date: dt.date | None = Field(None, description="Kur tarihi")
