"""Writes ``cac:PaymentMeans``, ``cac:PaymentTerms`` and ``cac:PricingExchangeRate``."""

from __future__ import annotations

from datetime import date

from lxml import etree

from entegrator.ubl._tags import CAC, CBC
from entegrator.ubl.build._xml import date_text, element, number_text, optional, percent_text, text
from entegrator.ubl.model import ExchangeRate, PaymentMeans, PaymentTerms

__all__ = ["write_exchange_rate", "write_payment_means", "write_payment_terms"]


def write_payment_means(parent: etree._Element, means: PaymentMeans) -> None:
    """Append one ``cac:PaymentMeans``."""
    node = element(parent, CAC.PaymentMeans)
    text(node, CBC.PaymentMeansCode, means.code)
    if means.due_date is not None:
        text(node, CBC.PaymentDueDate, date_text(means.due_date))
    optional(node, CBC.PaymentChannelCode, means.channel_code)
    optional(node, CBC.InstructionNote, means.instruction_note)
    account = means.payee_account
    if account is None:
        return
    account_node = element(node, CAC.PayeeFinancialAccount)
    text(account_node, CBC.ID, account.id)
    optional(account_node, CBC.CurrencyCode, account.currency)
    optional(account_node, CBC.PaymentNote, account.note)
    if account.bank_name is not None or account.branch_name is not None:
        branch = element(account_node, CAC.FinancialInstitutionBranch)
        optional(branch, CBC.Name, account.branch_name)
        if account.bank_name is not None:
            text(element(branch, CAC.FinancialInstitution), CBC.Name, account.bank_name)


def write_payment_terms(
    parent: etree._Element, terms: PaymentTerms | None, due_date: date | None
) -> None:
    """Append ``cac:PaymentTerms`` when there are terms or a due date."""
    if terms is None and due_date is None:
        return
    node = element(parent, CAC.PaymentTerms)
    if terms is not None:
        optional(node, CBC.Note, terms.note)
        if terms.penalty_percent is not None:
            text(node, CBC.PenaltySurchargePercent, percent_text(terms.penalty_percent))
    if due_date is not None:
        text(node, CBC.PaymentDueDate, date_text(due_date))


def write_exchange_rate(parent: etree._Element, currency: str, rate: ExchangeRate) -> None:
    """Append ``cac:PricingExchangeRate`` (document currency → TRY)."""
    node = element(parent, CAC.PricingExchangeRate)
    text(node, CBC.SourceCurrencyCode, currency)
    text(node, CBC.TargetCurrencyCode, "TRY")
    text(node, CBC.CalculationRate, number_text(rate.rate))
    if rate.date is not None:
        text(node, CBC.Date, date_text(rate.date))
