"""ubl — the UBL-TR 1.2 document core: model, build, parse, totals, identifiers, code lists.

Rule: data and XML only. No I/O beyond reading packaged resources, no database, no network.
Everything above (validation, signing, envelope, gib, core, faces) builds on this part.

The public surface is re-exported here and imported on first use, so importing a small
module such as :mod:`entegrator.ubl.ns` does not load pydantic::

    from entegrator.ubl import Invoice, build_invoice, load_invoice, parse_invoice, summarize
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from entegrator.ubl.build import build_invoice, build_invoice_element
    from entegrator.ubl.errors import InvoiceInvalid, NotAnInvoice, Problem
    from entegrator.ubl.jsonschema import invoice_json_schema
    from entegrator.ubl.load import load_invoice
    from entegrator.ubl.model import Invoice, InvoiceLine, InvoiceType, Party, Profile
    from entegrator.ubl.normalize import normalize_invoice
    from entegrator.ubl.parse import parse_invoice
    from entegrator.ubl.rules import check_invoice
    from entegrator.ubl.summary import InvoiceSummary, summarize
    from entegrator.ubl.totals import InvoiceTotals, compute_totals

__all__ = [
    "Invoice",
    "InvoiceInvalid",
    "InvoiceLine",
    "InvoiceSummary",
    "InvoiceTotals",
    "InvoiceType",
    "NotAnInvoice",
    "Party",
    "Problem",
    "Profile",
    "build_invoice",
    "build_invoice_element",
    "check_invoice",
    "compute_totals",
    "invoice_json_schema",
    "load_invoice",
    "normalize_invoice",
    "parse_invoice",
    "summarize",
]

_HOMES: Final = {
    "build_invoice": "entegrator.ubl.build",
    "build_invoice_element": "entegrator.ubl.build",
    "InvoiceInvalid": "entegrator.ubl.errors",
    "NotAnInvoice": "entegrator.ubl.errors",
    "Problem": "entegrator.ubl.errors",
    "invoice_json_schema": "entegrator.ubl.jsonschema",
    "load_invoice": "entegrator.ubl.load",
    "Invoice": "entegrator.ubl.model",
    "InvoiceLine": "entegrator.ubl.model",
    "InvoiceType": "entegrator.ubl.model",
    "Party": "entegrator.ubl.model",
    "Profile": "entegrator.ubl.model",
    "normalize_invoice": "entegrator.ubl.normalize",
    "parse_invoice": "entegrator.ubl.parse",
    "check_invoice": "entegrator.ubl.rules",
    "InvoiceSummary": "entegrator.ubl.summary",
    "summarize": "entegrator.ubl.summary",
    "InvoiceTotals": "entegrator.ubl.totals",
    "compute_totals": "entegrator.ubl.totals",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
