"""Cross-field invoice rules GİB's schematron does not make (``TR-CUR-…``, ``TR-INV-…``).

What the schematron already covers is left to it: a valid currency code
(``CurrencyCodeCheck-1``, ``GeneralCurrencyIDCheck-1``), an exchange rate for non-TRY
invoices (``CurrencyCodeCheck-6/7``), the invoice number pattern (``InvoiceIDCheck-1``) and
IssueDate neither before 2005 nor in the future (``TimeCheck-1/2``). These rules add:

* TR-CUR-001 every ``currencyID`` equals ``cbc:DocumentCurrencyCode``;
* TR-CUR-002 for a non-TRY invoice, ``cac:PricingExchangeRate`` converts from the document
  currency (``SourceCurrencyCode``) to TRY (``TargetCurrencyCode``);
* TR-CUR-003 ``CalculationRate`` is a number greater than zero;
* TR-INV-001 ``cbc:LineCountNumeric`` equals the number of ``cac:InvoiceLine``;
* TR-INV-002 line ids (``cac:InvoiceLine/cbc:ID``) are unique;
* TR-INV-003 the year in the invoice number (characters 4–7, GİB: 3-character prefix,
  year, 9-digit sequence) is the year of ``cbc:IssueDate``;
* TR-INV-004 (warning) a payment due date is not before the issue date.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final

from lxml import etree

from entegrator.ubl import ns
from entegrator.validation.findings import Finding
from entegrator.validation.rules._base import RuleContext, text

__all__ = ["check_currency", "check_header", "check_lines"]

_TRY: Final = "TRY"
_CURRENCY_ID: Final = "currencyID"
_DOCUMENT_CURRENCY = ns.cbc("DocumentCurrencyCode")
_ANY_OTHER_CURRENCY = etree.XPath("boolean(.//@currencyID[. != $currency])")
_OTHER_CURRENCY = etree.XPath(".//*[@currencyID != $currency]")
_EXCHANGE_RATE = ns.cac("PricingExchangeRate")
_SOURCE_CURRENCY = ns.cbc("SourceCurrencyCode")
_TARGET_CURRENCY = ns.cbc("TargetCurrencyCode")
_RATE = ns.cbc("CalculationRate")
_LINE = ns.cac("InvoiceLine")
_LINE_COUNT = ns.cbc("LineCountNumeric")
_ID = ns.cbc("ID")
_ISSUE_DATE = ns.cbc("IssueDate")
_DUE_DATES = (
    f"{ns.cac('PaymentMeans')}/{ns.cbc('PaymentDueDate')}",
    f"{ns.cac('PaymentTerms')}/{ns.cbc('PaymentDueDate')}",
)
_INVOICE_NUMBER: Final = re.compile(r"^[A-Z0-9]{3}(\d{4})\d{9}$")
_DATE: Final = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_currency(invoice: etree._Element, ctx: RuleContext) -> list[Finding]:
    """TR-CUR-001…003."""
    currency = text(invoice, _DOCUMENT_CURRENCY)
    if currency is None:
        return []
    findings: list[Finding] = []
    if _ANY_OTHER_CURRENCY(invoice, currency=currency):  # the common case costs one pass
        findings.extend(
            ctx.at(
                "TR-CUR-001",
                element,
                f"Tutarın para birimi {element.get(_CURRENCY_ID)}; belge para birimi {currency}",
                attribute=_CURRENCY_ID,
            )
            for element in _OTHER_CURRENCY(invoice, currency=currency)
            if isinstance(element, etree._Element)
        )
    rate = invoice.find(_EXCHANGE_RATE)
    if rate is None:
        return findings
    if currency != _TRY:
        source, target = text(rate, _SOURCE_CURRENCY), text(rate, _TARGET_CURRENCY)
        if source != currency or target != _TRY:
            findings.append(
                ctx.at(
                    "TR-CUR-002",
                    rate,
                    f"Döviz kuru {source} → {target} yazılmış; {currency} → {_TRY} olmalı",
                )
            )
    value = text(rate, _RATE)
    if value is not None and not _positive(value):
        findings.append(
            ctx.at(
                "TR-CUR-003",
                rate.find(_RATE),
                f"Döviz kuru '{value}' geçersiz; sıfırdan büyük bir sayı olmalı",
            )
        )
    return findings


def _positive(value: str) -> bool:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return False
    return number.is_finite() and number > 0


def _equals(value: str, count: int) -> bool:
    try:
        return Decimal(value) == count
    except InvalidOperation:
        return False  # not a number: the XSD reports it too


def check_lines(invoice: etree._Element, ctx: RuleContext) -> list[Finding]:
    """TR-INV-001 and TR-INV-002."""
    findings: list[Finding] = []
    seen: set[str] = set()
    count = 0
    for line in invoice.iterchildren(_LINE):
        count += 1
        line_id = text(line, _ID)
        if line_id is None:
            continue
        if line_id in seen:
            findings.append(
                ctx.at("TR-INV-002", line.find(_ID), f"Satır numarası {line_id} tekrarlanıyor")
            )
        seen.add(line_id)
    stated = text(invoice, _LINE_COUNT)
    if stated is not None and not _equals(stated, count):
        findings.append(
            ctx.at(
                "TR-INV-001",
                invoice.find(_LINE_COUNT),
                f"Satır sayısı {stated} yazılmış; faturada {count} satır var",
            )
        )
    return findings


def check_header(invoice: etree._Element, ctx: RuleContext) -> list[Finding]:
    """TR-INV-003 and TR-INV-004."""
    findings: list[Finding] = []
    issue_date = text(invoice, _ISSUE_DATE)
    if issue_date is None or not _DATE.match(issue_date):
        return findings  # the XSD and TarihBicimi-1 report it
    number = text(invoice, _ID)
    match = _INVOICE_NUMBER.match(number or "")
    if match and match.group(1) != issue_date[:4]:
        findings.append(
            ctx.at(
                "TR-INV-003",
                invoice.find(_ID),
                f"Fatura numarası {number} {match.group(1)} yılını gösteriyor; "
                f"düzenleme tarihi {issue_date}",
            )
        )
    for path in _DUE_DATES:
        for due in invoice.iterfind(path):
            value = (due.text or "").strip()
            if _DATE.match(value) and value < issue_date:
                findings.append(
                    ctx.at(
                        "TR-INV-004",
                        due,
                        f"Son ödeme tarihi {value}, düzenleme tarihi {issue_date} öncesinde",
                    )
                )
    return findings
