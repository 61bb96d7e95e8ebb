"""Invoices of a SENDERENVELOPE into the taxpayer's mailbox (posta kutusu), all or nothing.

After the database-free checks (:mod:`.examine`) passed: the envelope must be addressed to
an active PK alias of one of our taxpayers (:mod:`.addressing`, 1172/1181), every invoice's
customer must be that taxpayer (schematron ``DocumentReceiverCheck``, 1150), and no invoice
may conflict with one already in the mailbox (1163, Ek-2 §4: same supplier and ETTN, or same
supplier and number, with different content; also twice in one envelope). The first failure
fails the whole envelope and nothing of it reaches the mailbox (Ek-2 §1).

An invoice that is *already* in the mailbox with exactly the same bytes is a redelivery — the
sender resent after losing our answer (1215 lets it) — and is answered 1200 without storing
a second copy; refusing it with 1163 would tell the supplier that a delivered invoice failed.

Each invoice is archived, gets a ``documents`` row (RECEIVED; TICARIFATURA:
RECEIVE_WAIT_APPLICATION_RESPONSE with ``response_deadline`` = arrival + 8 days, Entegrasyon
Kılavuzu §3.2), a history row, its envelope link and, for TICARIFATURA, the deadline job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection, or_

from entegrator.core import events
from entegrator.core.inbound.addressing import Owner, owner_of
from entegrator.core.inbound.examine import Failure, Received
from entegrator.core.responses import RESPONSE_WINDOW, schedule_deadlines
from entegrator.core.states import DocumentState
from entegrator.envelope import EnvelopeHeader
from entegrator.store.archive.model import ArchiveKind, ArchiveMeta
from entegrator.store.domain import document_events, documents, envelope_items
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import InvoiceSummary

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["Delivered", "deliver_invoices"]

#: The scenario whose invoices wait for the buyer's KABUL/RED (gib-protocol.md §4.3).
_ANSWERED_PROFILE: Final = "TICARIFATURA"


@dataclass(frozen=True, slots=True)
class Delivered:
    """The outcome of a successful delivery: the owner and the mailbox documents, in order."""

    owner: Owner
    document_ids: tuple[int, ...]
    new: int


def deliver_invoices(
    conn: Connection,
    integrator: Integrator,
    header: EnvelopeHeader,
    received: Sequence[Received],
    *,
    envelope_row_id: int,
    received_at: datetime,
) -> Delivered | Failure:
    """Put ``received`` into the mailbox of the envelope's owner, or return why not."""
    owner = owner_of(conn, header.receiver, "PK")
    if isinstance(owner, Failure):
        return owner
    invoices = [(item, _invoice(item)) for item in received]
    for item, invoice in invoices:
        if invoice.customer.id != owner.vkn_tckn:
            return Failure(1150, f"{item.index + 1}. faturanın alıcısı ({invoice.customer.id}) "
                                 f"zarfın alıcısı ({owner.vkn_tckn}) değil")
    scope = TenantScope(conn, owner.tenant_id)
    existing = _existing(scope, [invoice for _, invoice in invoices])
    seen: set[tuple[str, str]] = set()
    plan: list[int | tuple[Received, InvoiceSummary]] = []
    for item, invoice in invoices:
        keys = _keys(invoice)
        if keys & seen:
            return Failure(1163, f"{invoice.number} ({invoice.ettn}) zarfta iki kez var")
        seen |= keys
        match = _match(existing, invoice)
        if match is None:
            plan.append((item, invoice))
        elif match.archive_ref == hashlib.sha256(item.data).hexdigest():
            plan.append(int(match.id))  # the same invoice delivered again
        else:
            return Failure(1163, f"{invoice.number} ({invoice.ettn}) numaralı/ETTN'li fatura "
                                 "daha önce farklı içerikle alındı")
    # Every check passed: only now does anything reach the mailbox (Ek-2 §1).
    new = iter(_store(scope, integrator, header,
                      [step for step in plan if not isinstance(step, int)], received_at))
    final = tuple(step if isinstance(step, int) else next(new) for step in plan)
    conn.execute(envelope_items.insert(), [
        {"envelope_id": envelope_row_id, "position": position, "document_id": doc_id}
        for position, doc_id in enumerate(final)
    ])
    return Delivered(owner, final, sum(not isinstance(step, int) for step in plan))


def _invoice(item: Received) -> InvoiceSummary:
    if item.invoice is None:  # examine() fills it for every SENDERENVELOPE document
        raise ValueError("SENDERENVELOPE belgesinin özeti yok")
    return item.invoice


def _keys(invoice: InvoiceSummary) -> set[tuple[str, str]]:
    supplier = invoice.supplier.id or ""
    keys = {("ettn:" + supplier, (invoice.ettn or "").lower())}
    if invoice.number:
        keys.add(("number:" + supplier, invoice.number))
    return keys


def _existing(scope: TenantScope, invoices: Sequence[InvoiceSummary]) -> list[Any]:
    """IN documents of these suppliers that share an ETTN or a number with ``invoices``."""
    ettns = {(i.ettn or "").lower() for i in invoices}
    numbers = {i.number for i in invoices if i.number}
    suppliers = {i.supplier.id for i in invoices}
    stmt = scope.select(
        documents, documents.c.id, documents.c.ettn, documents.c.number,
        documents.c.counterpart_vkn_tckn, documents.c.archive_ref,
    ).where(
        documents.c.direction == "IN",
        documents.c.counterpart_vkn_tckn.in_(suppliers),
        or_(documents.c.ettn.in_(ettns), documents.c.number.in_(numbers)),
    )
    return list(scope.conn.execute(stmt).all())


def _match(existing: Sequence[Any], invoice: InvoiceSummary) -> Any | None:
    ettn = (invoice.ettn or "").lower()
    for row in existing:
        if row.counterpart_vkn_tckn != invoice.supplier.id:
            continue
        if row.ettn == ettn or (invoice.number and row.number == invoice.number):
            return row
    return None


def _store(
    scope: TenantScope,
    integrator: Integrator,
    header: EnvelopeHeader,
    items: Sequence[tuple[Received, InvoiceSummary]],
    received_at: datetime,
) -> list[int]:
    """Archive and insert ``items`` in a few statements; return their ids in order."""
    if not items:
        return []
    conn, now = scope.conn, integrator.clock.now()
    envelope_uuid = header.envelope_id.lower()
    rows: list[dict[str, Any]] = []
    for item, invoice in items:
        answered = invoice.profile == _ANSWERED_PROFILE
        state = (DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE if answered
                 else DocumentState.RECEIVED)
        ref = integrator.archive.put(
            conn, item.data, kind=ArchiveKind.INVOICE, direction="IN",
            tenant_id=scope.tenant_id, meta=_facts(invoice, envelope_uuid, received_at, state),
        )
        rows.append({
            "direction": "IN", "ettn": (invoice.ettn or "").lower(), "number": invoice.number,
            "profile": invoice.profile, "invoice_type": invoice.invoice_type,
            "issue_date": invoice.issue_date, "currency": invoice.currency,
            "payable_amount": invoice.payable_amount,
            "tax_exclusive_amount": invoice.tax_exclusive_amount,
            "tax_inclusive_amount": invoice.tax_inclusive_amount,
            "counterpart_vkn_tckn": invoice.supplier.id,
            "counterpart_name": (invoice.supplier.name or "")[:300] or None,
            "sender_alias": header.sender.alias, "receiver_alias": header.receiver.alias,
            "state": state.value, "state_changed_at": now, "envelope_uuid": envelope_uuid,
            "response_deadline": received_at + RESPONSE_WINDOW if answered else None,
            "archive_ref": ref.sha256, "channel": "gib", "created_at": now,
            "updated_at": now, "received_at": received_at,
        })
    ids = [int(row.id) for row in scope.execute(
        scope.insert(documents).returning(documents.c.id, sort_by_parameter_order=True), rows)]
    scope.execute(scope.insert(document_events), [
        {"document_id": doc_id, "at": now, "state": row["state"],
         "envelope_uuid": envelope_uuid, "message": "Fatura alındı"}
        for doc_id, row in zip(ids, rows, strict=True)
    ])
    schedule_deadlines(conn, integrator, [
        (scope.tenant_id, doc_id, row["response_deadline"])
        for doc_id, row in zip(ids, rows, strict=True) if row["response_deadline"] is not None
    ])
    for doc_id, row in zip(ids, rows, strict=True):
        integrator.events.publish(conn, events.InvoiceReceived(
            tenant_id=scope.tenant_id, document_id=doc_id, ettn=row["ettn"],
            number=row["number"], profile=row["profile"] or "",
            supplier_vkn_tckn=row["counterpart_vkn_tckn"] or "",
            response_deadline=row["response_deadline"],
        ))
    return ids


def _facts(invoice: InvoiceSummary, envelope_uuid: str, received_at: datetime,
           state: DocumentState) -> ArchiveMeta:
    return ArchiveMeta(
        ettn=(invoice.ettn or "").lower(), number=invoice.number, envelope_uuid=envelope_uuid,
        issue_date=invoice.issue_date, received_at=received_at,
        counterpart_vkn_tckn=invoice.supplier.id, counterpart_name=invoice.supplier.name,
        profile=invoice.profile, invoice_type=invoice.invoice_type, status=state.status,
        payable_amount=invoice.payable_amount, currency=invoice.currency,
    )
