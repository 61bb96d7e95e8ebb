"""The typed invoice model (pydantic v2): what callers fill instead of writing UBL.

Field names are English snake_case; GİB's own terms stay (``vkn``, ``tckn``, ``ettn``,
``profile``, ``invoice_type``). Models are immutable; derive changed copies with
``model_copy(update=...)`` (which does not re-validate). See docs/decisions/ubl-model.md.
"""

from __future__ import annotations

from entegrator.ubl.model._types import LENIENT
from entegrator.ubl.model.delivery import Delivery, Package
from entegrator.ubl.model.enums import InvoiceType, Profile
from entegrator.ubl.model.invoice import Invoice, MonetaryTotals
from entegrator.ubl.model.line import (
    KDV,
    AllowanceCharge,
    InvoiceLine,
    ItemIdentifier,
    Tax,
    Withholding,
)
from entegrator.ubl.model.party import (
    Address,
    BuyerCustomer,
    Contact,
    Party,
    PartyIdentifier,
    TaxRepresentative,
    Traveller,
)
from entegrator.ubl.model.payment import ExchangeRate, FinancialAccount, PaymentMeans, PaymentTerms
from entegrator.ubl.model.references import (
    AdditionalDocument,
    BillingReference,
    DocumentReference,
    OrderReference,
    Period,
)

__all__ = [
    "KDV",
    "LENIENT",
    "AdditionalDocument",
    "Address",
    "AllowanceCharge",
    "BillingReference",
    "BuyerCustomer",
    "Contact",
    "Delivery",
    "DocumentReference",
    "ExchangeRate",
    "FinancialAccount",
    "Invoice",
    "InvoiceLine",
    "InvoiceType",
    "ItemIdentifier",
    "MonetaryTotals",
    "OrderReference",
    "Package",
    "Party",
    "PartyIdentifier",
    "PaymentMeans",
    "PaymentTerms",
    "Period",
    "Profile",
    "Tax",
    "TaxRepresentative",
    "Traveller",
    "Withholding",
]
