"""The header facts of an invoice, read fast without building the model.

Core, envelope, archive and simulator need a few facts of every invoice that passes through
(number, ETTN, scenario, parties, amounts) — often of documents written by others, which may
not satisfy the model. :func:`summarize` reads just those with precompiled lookups; a value
that is missing or unreadable comes back as None.

>>> summarize(b"<a/>")
Traceback (most recent call last):
...
entegrator.ubl.errors.NotAnInvoice: Belge bir UBL faturası değil (kök eleman: a)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Final

from lxml import etree

from entegrator.ubl._tags import CAC, CBC, INV_ROOT
from entegrator.ubl.errors import NotAnInvoice
from entegrator.ubl.parse._read import date_of, text_of, time_of
from entegrator.ubl.xml import DEFAULT_MAX_BYTES, parse

__all__ = ["InvoiceSummary", "PartySummary", "summarize"]


@dataclass(frozen=True, slots=True)
class PartySummary:
    """Who a party is: scheme (VKN/TCKN), number and display name."""

    scheme: str | None
    id: str | None
    name: str | None


@dataclass(frozen=True, slots=True)
class InvoiceSummary:
    """Header facts of one invoice (any value may be None in a foreign document)."""

    number: str | None
    ettn: str | None
    profile: str | None
    invoice_type: str | None
    issue_date: date | None
    issue_time: time | None
    supplier: PartySummary
    customer: PartySummary
    currency: str | None
    line_extension_amount: Decimal | None
    tax_exclusive_amount: Decimal | None
    tax_inclusive_amount: Decimal | None
    payable_amount: Decimal | None
    line_count: int


_PARTY_IDS: Final = CAC.path("PartyIdentification", CBC.ID)
_PARTY_NAME: Final = CAC.path("PartyName", CBC.Name)
_FIRST_NAME: Final = CAC.path("Person", CBC.FirstName)
_FAMILY_NAME: Final = CAC.path("Person", CBC.FamilyName)
_TOTAL: Final = CAC.LegalMonetaryTotal + "/"


def _party(root: etree._Element, wrapper: str) -> PartySummary:
    party = root.find(f"{wrapper}/{CAC.Party}")
    if party is None:
        return PartySummary(None, None, None)
    scheme = number = None
    for node in party.iterfind(_PARTY_IDS):
        if node.get("schemeID") in ("VKN", "TCKN"):
            scheme, number = node.get("schemeID"), text_of(node)
            break
    name = text_of(party, _PARTY_NAME)
    if name is None:
        parts = [text_of(party, _FIRST_NAME), text_of(party, _FAMILY_NAME)]
        name = " ".join(part for part in parts if part) or None
    return PartySummary(scheme, number, name)


def _decimal(root: etree._Element, path: str) -> Decimal | None:
    value = text_of(root, path)
    if value is None:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _date(root: etree._Element) -> date | None:
    value = date_of(root, CBC.IssueDate)
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _time(root: etree._Element) -> time | None:
    value = time_of(root, CBC.IssueTime)
    try:
        return time.fromisoformat(value) if value else None
    except ValueError:
        return None


def summarize(
    document: bytes | etree._Element, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> InvoiceSummary:
    """Read the header facts of an invoice given as bytes or as its ``Invoice`` element."""
    root = (
        document if isinstance(document, etree._Element) else parse(document, max_bytes=max_bytes)
    )
    if root.tag != INV_ROOT:
        raise NotAnInvoice(f"Belge bir UBL faturası değil (kök eleman: {root.tag})")
    profile = text_of(root, CBC.ProfileID)
    invoice_type = text_of(root, CBC.InvoiceTypeCode)
    return InvoiceSummary(
        number=text_of(root, CBC.ID),
        ettn=text_of(root, CBC.UUID),
        profile=profile.upper() if profile else None,
        invoice_type=invoice_type.upper() if invoice_type else None,
        issue_date=_date(root),
        issue_time=_time(root),
        supplier=_party(root, CAC.AccountingSupplierParty),
        customer=_party(root, CAC.AccountingCustomerParty),
        currency=text_of(root, CBC.DocumentCurrencyCode),
        line_extension_amount=_decimal(root, _TOTAL + CBC.LineExtensionAmount),
        tax_exclusive_amount=_decimal(root, _TOTAL + CBC.TaxExclusiveAmount),
        tax_inclusive_amount=_decimal(root, _TOTAL + CBC.TaxInclusiveAmount),
        payable_amount=_decimal(root, _TOTAL + CBC.PayableAmount),
        line_count=sum(1 for _ in root.iterchildren(CAC.InvoiceLine)),
    )
