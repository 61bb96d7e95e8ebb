"""GİB's rules across fields of an invoice, checked before a document is built.

Field-level checks (formats, check digits, code lists) happen when a model is validated;
these rules need several fields at once: which types a scenario allows, what a return
invoice, an export or a KAMU invoice must carry, how KDV, exemptions and withholding fit
together, and whether the amounts a model states agree with the computed ones. Each rule
mirrors a schematron rule of GİB's UBL-TR_Common_Schematron.xml (named in its docstring) or
an arithmetic fact, so that a model that passes builds a document GİB accepts.

Every rule returns all its problems; :func:`check_invoice` returns the full list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Final

from entegrator.ubl.errors import Problem
from entegrator.ubl.model import Invoice
from entegrator.ubl.rules import amounts, header, parties, taxes
from entegrator.ubl.totals import InvoiceTotals, compute_totals

__all__ = ["RULES", "Rule", "check_invoice"]

Rule = Callable[[Invoice, InvoiceTotals], Iterable[Problem]]

#: Every rule, in reporting order.
RULES: Final[tuple[Rule, ...]] = (
    *header.RULES,
    *parties.RULES,
    *taxes.RULES,
    *amounts.RULES,
)


def check_invoice(invoice: Invoice, totals: InvoiceTotals | None = None) -> list[Problem]:
    """All problems of ``invoice`` under :data:`RULES`; an empty list means it may be built."""
    computed = totals if totals is not None else compute_totals(invoice)
    return [problem for rule in RULES for problem in rule(invoice, computed)]
