"""Sending failed invoices again: automatically, or when the user asks after fixing the cause.

GİB allows the same invoices (same number, same ETTN) to travel again in a **new** envelope
after a final failure — any 11xx code except 1163/1164, or 1215, or 1230 — and never while an
envelope is alive (1000–1220) or after success (Ek-2 §4.1, gib-protocol.md §3,
:attr:`entegrator.ubl.status_codes.StatusCode.resend_allowed`).

* ``outbound.resend`` (scheduled by :mod:`.status` for 1120, 1190, 1195, 1215 — failures on
  GİB's side that the documents did not cause — at most ``max_auto_resends`` times) packs the
  failed invoices of one envelope into a new one.
* :func:`resend` lets a user send one invoice again: a SEND_FAILED invoice whose code allows
  it (optionally to another postbox alias, e.g. after 1181/1172), or a SIGN_FAILED /
  PACKAGE_FAILED invoice, which goes back to the queue (numbered and signed again by
  ``outbound.prepare``, keeping the number it already has).

The signed bytes come from the archive: a resent invoice is the very document first signed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from entegrator.core.context import Caller
from entegrator.core.errors import InvalidState, ProfileRuleViolation
from entegrator.core.outbound import history
from entegrator.core.outbound.envelopes import load_envelope, store_sender_envelopes
from entegrator.core.outbound.routing import Route, resolve
from entegrator.core.outbound.submit import SubmitResult, enqueue_prepare, taxpayer_row
from entegrator.core.permissions import Permission
from entegrator.core.states import DocumentState
from entegrator.envelope import EnvelopeType, Outgoing, Party, pack
from entegrator.store import audit
from entegrator.store.audit import Actor
from entegrator.store.domain import documents
from entegrator.store.jobs import JobContext
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import status_codes
from entegrator.ubl.identifiers import alias as alias_id

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["repack", "resend", "run_resend"]

_d = documents.c
_ACTOR = Actor.system("outbound")


def run_resend(integrator: Integrator, ctx: JobContext) -> None:
    """Handler of ``outbound.resend``: the failed invoices of one envelope, in a new one."""
    envelope_id = int(ctx.payload["envelope_id"])
    with ctx.transaction() as conn:
        envelope = load_envelope(conn, envelope_id=envelope_id)
        if envelope is None or envelope.tenant_id is None:
            return
        scope = TenantScope(conn, envelope.tenant_id)
        ids = list(scope.execute(
            scope.select(documents, _d.id).where(
                _d.envelope_uuid == envelope.envelope_uuid,
                _d.state == DocumentState.SEND_FAILED.value,
            ).order_by(_d.id)
        ).scalars())
        if ids:
            repack(conn, integrator, scope, ids,
                   message=f"{envelope.gib_status_code} sonrası otomatik yeniden gönderim")
            audit.record(conn, _ACTOR, "invoice.resend", tenant_id=envelope.tenant_id,
                         object_type="envelope", object_id=envelope.envelope_uuid,
                         details={"documents": ids, "automatic": True},
                         clock=integrator.clock)


def resend(
    integrator: Integrator, caller: Caller, document_id: int, *,
    receiver_alias: str | None = None,
) -> SubmitResult:
    """Send the failed invoice ``document_id`` again (see the module docstring).

    Raises :class:`~entegrator.core.errors.InvalidState` when its state or GİB code does not
    allow it, :class:`~entegrator.errors.NotFound` for another taxpayer's document.
    """
    caller.require(Permission.SEND)
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        row = scope.execute(
            scope.select(documents).where(_d.id == document_id, _d.direction == "OUT")
            .with_for_update()
        ).first()
        if row is None:
            from entegrator.errors import NotFound

            raise NotFound(f"belge bulunamadı: {document_id}")
        state = DocumentState(row.state)
        now = integrator.clock.now()
        if state in (DocumentState.SIGN_FAILED, DocumentState.PACKAGE_FAILED):
            history.move(scope, [row.id], DocumentState.QUEUED, at=now,
                         events=integrator.events, message="yeniden sıraya alındı",
                         values={"claim_token": None, "claim_until": None})
            enqueue_prepare(conn, integrator, caller.tenant_id)
            new_state = DocumentState.QUEUED
        else:
            _check_resendable(row.state, row.gib_status_code)
            if receiver_alias is not None:
                chosen = resolve(conn, [Route(row.profile, row.counterpart_vkn_tckn,
                                              alias_id.validate(receiver_alias))])[0]
                scope.execute(scope.update(documents).where(_d.id == row.id)
                              .values(receiver_alias=chosen))
            repack(conn, integrator, scope, [row.id], message="kullanıcı yeniden gönderdi")
            new_state = DocumentState.SENDING
        audit.record(conn, caller.actor, "invoice.resend", tenant_id=caller.tenant_id,
                     object_type="document", object_id=row.id,
                     details={"from": state.value, "receiver_alias": receiver_alias},
                     clock=integrator.clock)
    return SubmitResult(row.id, row.ettn, row.number, new_state)


def _check_resendable(state: str, code: int | None) -> None:
    if state != DocumentState.SEND_FAILED.value:
        raise InvalidState(
            f"Yalnız gönderimi başarısız olmuş faturalar yeniden gönderilebilir; durum: "
            f"{DocumentState(state).label}",
            state=state,
        )
    if code is not None and not status_codes.status(code).resend_allowed:
        raise ProfileRuleViolation(
            f"GİB {code} ({status_codes.status(code).label}) sonrası aynı fatura yeniden "
            "gönderilemez: fatura Merkez'de zaten kayıtlı ya da hâlâ işlemde"
        )


def repack(
    conn: Connection, integrator: Integrator, scope: TenantScope, ids: Sequence[int], *,
    message: str,
) -> list[int]:
    """Pack the signed invoices ``ids`` (SEND_FAILED) into new envelopes; they become SENDING."""
    now: datetime = integrator.clock.now()
    taxpayer = taxpayer_row(conn, scope.tenant_id)
    rows = scope.execute(
        scope.select(documents, _d.id, _d.archive_ref, _d.sender_alias, _d.receiver_alias,
                     _d.counterpart_vkn_tckn, _d.counterpart_name, _d.state)
        .where(_d.id.in_(list(ids))).order_by(_d.id)
    ).all()
    rows = [r for r in rows if r.state == DocumentState.SEND_FAILED.value]
    if not rows:
        return []
    outgoing = [
        Outgoing(
            integrator.archive.get(conn, row.archive_ref),
            Party(row.sender_alias, taxpayer.vkn_tckn, taxpayer.title),
            Party(row.receiver_alias, row.counterpart_vkn_tckn, row.counterpart_name or None),
        )
        for row in rows
    ]
    packed = pack(outgoing, envelope_type=EnvelopeType.SENDER,
                  new_id=lambda: str(uuid.uuid4()), now=integrator.clock.now)
    doc_ids = [row.id for row in rows]
    store_sender_envelopes(conn, integrator, scope.tenant_id, packed, doc_ids, now=now)
    moved_to: dict[int, str] = {}
    for envelope in packed:
        uuid_ = envelope.envelope.header.envelope_id.lower()
        moved = history.move(
            scope, [doc_ids[i] for i in envelope.items], DocumentState.SENDING, at=now,
            events=integrator.events, message=message, envelope_uuid=uuid_,
            values={"gib_status_code": None, "gib_status_description": None,
                    "envelope_uuid": uuid_},
        )
        moved_to.update((i, uuid_) for i, _ in moved)
    return list(moved_to)
