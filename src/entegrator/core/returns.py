"""Return invoices (İADE faturası) prefilled from a received invoice, saved as drafts.

Goods go back the way an invoice came, with the roles swapped: the original *buyer* issues
a return invoice to the original *seller* (gib-protocol.md §4.5). GİB's rules
(schematron ``InvoiceTypeCodeCheck``, ``IADEInvioceCheck``; UBL-TR Fatura kılavuzu §2.3.21):

* ``InvoiceTypeCode`` IADE. A withholding invoice (TEVKIFAT) is returned as an IADE that keeps
  its withholding: GİB admits ``cac:WithholdingTaxTotal`` on IADE but not on TEVKIFATIADE
  (schematron ``WithholdingTaxTotalCheck``), so only IADE can mirror the original's amounts;
* only under TEMELFATURA (also ILAC_TIBBICIHAZ, IDIS, whose own invoices stay in their
  scenario) — never TICARIFATURA (İzibiz: "İade faturası TEMELFATURA olarak gönderilmesi
  zorunludur");
* ``cac:BillingReference/cac:InvoiceDocumentReference`` with the returned invoice's
  16-character number, its issue date and ``DocumentTypeCode`` IADE.

:func:`create_return` copies the lines (all of them, or the chosen ones with smaller
quantities), their taxes, exemption and withholding codes; every amount is computed again by
the model. The draft goes through outbound's :func:`~entegrator.core.outbound.submit.submit`
(``draft=True``), which checks the scenario rules and that the original seller is a
registered e-Fatura user; it is sent like any draft (``send_draft``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from entegrator.core.context import Caller
from entegrator.core.errors import InvalidState, ProfileRuleViolation
from entegrator.core.outbound.submit import SubmitResult, submit
from entegrator.core.permissions import Permission
from entegrator.core.states import DocumentState
from entegrator.errors import DocumentError
from entegrator.store.domain import documents
from entegrator.ubl import Invoice, load_invoice, parse_invoice
from entegrator.ubl.amounts import round_money
from entegrator.ubl.responses.model import TURKEY_TIME

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["ReturnLine", "create_return", "return_invoice"]

_S = DocumentState
#: Type of the return for the type of the returned invoice (GİB type rules, §4.4–4.5).
_RETURN_TYPE: Final = {
    "SATIS": "IADE",
    "ISTISNA": "IADE",
    "IHRACKAYITLI": "IADE",
    "OZELMATRAH": "IADE",
    "TEVKIFAT": "IADE",  # with its withholding, which TEVKIFATIADE may not carry
}
#: Scenarios that keep their own returns; every other return is a TEMELFATURA.
_OWN_SCENARIO: Final = frozenset({"ILAC_TIBBICIHAZ", "IDIS"})
#: An invoice we rejected was never accepted: there is nothing to return.
_NOT_RETURNABLE: Final = frozenset(
    {_S.REJECT_PROCESSING, _S.REJECT_WAIT_SYSTEM_RESPONSE, _S.REJECT_SUCCEED}
)


@dataclass(frozen=True, slots=True)
class ReturnLine:
    """One line to return: the original line's id (``cbc:ID``), and how much of it."""

    line_id: str
    quantity: Decimal | None = None  # None: the whole quantity


def create_return(
    integrator: Integrator,
    caller: Caller,
    received_document_id: int,
    lines: Sequence[ReturnLine] | None = None,
    *,
    issue_date: dt.date | None = None,
    note: str | None = None,
) -> SubmitResult:
    """Save a draft return invoice for the received invoice ``received_document_id``.

    Raises NotFound (also for another taxpayer's document), PermissionDenied, InvalidState
    (not a received invoice, or one we rejected), ProfileRuleViolation (a type that has no
    return invoice), DocumentError (unknown line, quantity above the original's), and
    whatever :func:`~entegrator.core.outbound.submit.submit` raises.
    """
    caller.require(Permission.SEND)
    with integrator.db.transaction(read_only=True) as conn:
        doc = caller.scope(conn).get(documents, received_document_id)
        if doc.direction != "IN":
            raise InvalidState("İade faturası yalnız gelen bir faturadan oluşturulur",
                               state=doc.state)
        if DocumentState(doc.state) in _NOT_RETURNABLE:
            raise InvalidState(f"Reddedilen fatura iade edilemez: {_S(doc.state).label}",
                               state=doc.state)
        original = parse_invoice(integrator.archive.get(conn, doc.archive_ref))
    today = issue_date or integrator.clock.now().astimezone(TURKEY_TIME).date()
    draft = return_invoice(original, lines, issue_date=today, note=note)
    return submit(integrator, caller, draft, draft=True, channel=caller.actor.channel[:16])


def return_invoice(
    original: Invoice,
    lines: Sequence[ReturnLine] | None = None,
    *,
    issue_date: dt.date,
    note: str | None = None,
) -> Invoice:
    """The return invoice for ``original`` (number and ETTN left for the core to assign)."""
    kind = _RETURN_TYPE.get(str(original.invoice_type))
    if kind is None:
        raise ProfileRuleViolation(
            f"{original.invoice_type} tipindeki faturadan iade faturası oluşturulamaz")
    if original.number is None:
        raise DocumentError("İade edilecek faturanın numarası yok")
    profile = str(original.profile)
    source = original.model_dump(mode="json", exclude_none=True)
    chosen = _lines(source["lines"], lines)
    data: dict[str, Any] = {
        "profile": profile if profile in _OWN_SCENARIO else "TEMELFATURA",
        "invoice_type": kind,
        "issue_date": issue_date.isoformat(),
        "currency": source["currency"],
        "supplier": _without_alias(source["customer"]),
        "customer": _without_alias(source["supplier"]),
        "billing_references": [{
            "number": original.number,
            "issue_date": original.issue_date.isoformat(),
            "type_code": "IADE",
        }],
        "notes": [note or f"{original.number} numaralı faturanın iadesidir."],
        "lines": chosen,
    }
    if "exchange_rate" in source:
        data["exchange_rate"] = source["exchange_rate"]
    if lines is None and source.get("allowance_charges"):
        data["allowance_charges"] = [_fresh_charge(c, Decimal(1))
                                     for c in source["allowance_charges"]]
    return load_invoice(data)


def _without_alias(party: dict[str, Any]) -> dict[str, Any]:
    # The envelope addresses come from our aliases and the user list, not from the original.
    return {key: value for key, value in party.items() if key != "alias"}


def _lines(source: list[dict[str, Any]], wanted: Sequence[ReturnLine] | None
           ) -> list[dict[str, Any]]:
    by_id = {str(line.get("id") or position): line
             for position, line in enumerate(source, start=1)}
    if wanted is None:
        return [_fresh_line(line, Decimal(line["quantity"])) for line in source]
    if not wanted:
        raise DocumentError("İade edilecek en az bir satır seçilmeli")
    chosen: list[dict[str, Any]] = []
    for item in wanted:
        line = by_id.get(str(item.line_id))
        if line is None:
            raise DocumentError(f"Faturada {item.line_id} numaralı satır yok")
        available = Decimal(line["quantity"])
        quantity = available if item.quantity is None else Decimal(item.quantity)
        if not Decimal(0) < quantity <= available:
            raise DocumentError(
                f"{item.line_id}. satırın iade miktarı 0'dan büyük ve en çok {available} olmalı")
        chosen.append(_fresh_line(line, quantity))
    return chosen


def _fresh_line(line: dict[str, Any], quantity: Decimal) -> dict[str, Any]:
    """The line with ``quantity`` and no computed amount (the model computes them again)."""
    ratio = quantity / Decimal(line["quantity"])
    fresh = {key: value for key, value in line.items()
             if key not in ("line_extension_amount", "delivery")}
    fresh["quantity"] = str(quantity)
    fresh["taxes"] = [_fresh_tax(tax, ratio) for tax in line.get("taxes", [])]
    if "allowance_charges" in line:
        fresh["allowance_charges"] = [_fresh_charge(c, ratio) for c in line["allowance_charges"]]
    if "withholding" in line:
        withholding = line["withholding"]
        fresh["withholding"] = {key: withholding[key] for key in ("code", "percent", "name")
                                if key in withholding}
    return fresh


def _fresh_tax(tax: dict[str, Any], ratio: Decimal) -> dict[str, Any]:
    fresh = dict(tax)
    if "percent" in tax:
        fresh.pop("amount", None)  # computed from the percent
    elif "amount" in tax:
        fresh["amount"] = str(round_money(Decimal(tax["amount"]) * ratio))  # fixed amount
    if "taxable_amount" in tax:
        fresh["taxable_amount"] = str(round_money(Decimal(tax["taxable_amount"]) * ratio))
    return fresh


def _fresh_charge(charge: dict[str, Any], ratio: Decimal) -> dict[str, Any]:
    fresh = dict(charge)
    if "percent" in charge:
        fresh.pop("amount", None)
        fresh.pop("base_amount", None)
    elif "amount" in charge:
        fresh["amount"] = str(round_money(Decimal(charge["amount"]) * ratio))
    return fresh
