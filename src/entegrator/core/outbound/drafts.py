"""Drafts: invoices kept editable, sent later or cancelled (İzibiz LoadInvoice, CancelDraft…).

A draft is stored by :func:`~entegrator.core.outbound.submit.submit` with ``draft=True``: its
content (the JSON model or the unsigned XML) in ``document_contents``, its ETTN assigned at
once (the draft's identity), no number and no validation beyond the model's own rules — as
İzibiz does, GİB's checks run when it is sent. :func:`update_draft` replaces the content
(the ETTN stays), :func:`send_draft` validates, routes and queues it exactly like a fresh
submission, :func:`cancel_draft` ends it (CANCELLED; the content stays for the record).
Only DRAFT documents can be changed; anything else is :class:`~entegrator.core.errors.InvalidState`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from entegrator.core.context import Caller
from entegrator.core.errors import InvalidState, ProfileRuleViolation
from entegrator.core.outbound import history
from entegrator.core.outbound.routing import Route, resolve
from entegrator.core.outbound.source import Submission, materialize
from entegrator.core.outbound.submit import (
    Request,
    SubmitResult,
    check_duplicates,
    document_facts,
    enqueue_prepare,
    named_alias,
    resolve_series,
    taxpayer_row,
    validate,
)
from entegrator.core.permissions import Permission
from entegrator.core.states import DocumentState
from entegrator.errors import NotFound
from entegrator.store import audit
from entegrator.store.domain import document_contents, documents
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import Invoice, load_invoice

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["cancel_draft", "send_draft", "update_draft"]

_d = documents.c
_c = document_contents.c


def update_draft(
    integrator: Integrator, caller: Caller, document_id: int, source: Invoice | bytes, *,
    series: str | None = None, receiver_alias: str | None = None,
) -> SubmitResult:
    """Replace the content of draft ``document_id`` (its ETTN is kept)."""
    caller.require(Permission.SEND)
    with integrator.db.transaction(read_only=True) as conn:
        ettn = _draft(caller.scope(conn), document_id).ettn
    submission = materialize(source, numbered_by_series=series is not None, ettn=ettn)
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        row = _draft(scope, document_id, lock=True)
        if submission.ettn != row.ettn:
            raise ProfileRuleViolation(
                f"Taslağın ETTN'si değiştirilemez ({row.ettn}; yeni içerik {submission.ettn})"
            )
        request = Request(source, series, receiver_alias)
        chosen = resolve_series(scope, taxpayer_row(conn, caller.tenant_id), request,
                                submission, draft=True)
        check_duplicates(scope, [submission], exclude=row.id)
        now = integrator.clock.now()
        _store(scope, row.id, submission, now, {
            "series": chosen, "receiver_alias": named_alias(request, submission),
        })
        history.record_events(scope, [(row.id, DocumentState.DRAFT)], DocumentState.DRAFT,
                              at=now, events=integrator.events, message="taslak güncellendi")
        audit.record(conn, caller.actor, "invoice.draft.update", tenant_id=caller.tenant_id,
                     object_type="document", object_id=row.id, clock=integrator.clock)
    return SubmitResult(row.id, submission.ettn, submission.number, DocumentState.DRAFT)


def send_draft(
    integrator: Integrator, caller: Caller, document_id: int, *,
    series: str | None = None, receiver_alias: str | None = None,
) -> SubmitResult:
    """Validate, route and queue draft ``document_id`` for sending."""
    caller.require(Permission.SEND)
    with integrator.db.transaction(read_only=True) as conn:
        scope = caller.scope(conn)
        row = _draft(scope, document_id)
        kind, content = scope.execute(
            scope.select(document_contents, _c.kind, _c.content)
            .where(_c.document_id == row.id)
        ).one()
    source: Invoice | bytes = load_invoice(content) if kind == "model" else content
    submission = materialize(source, numbered_by_series=(series or row.series) is not None,
                             ettn=row.ettn)
    validate(integrator, submission)
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        row = _draft(scope, document_id, lock=True)
        request = Request(source, series or row.series,
                          receiver_alias or row.receiver_alias)
        chosen = resolve_series(scope, taxpayer_row(conn, caller.tenant_id), request,
                                submission, draft=False)
        check_duplicates(scope, [submission], exclude=row.id)
        alias = resolve(conn, [Route(submission.profile, submission.customer_vkn_tckn,
                                     named_alias(request, submission))])[0]
        now = integrator.clock.now()
        _store(scope, row.id, submission, now, {"series": chosen, "receiver_alias": alias},
               queued=True)
        history.move(scope, [row.id], DocumentState.QUEUED, at=now, events=integrator.events,
                     message="taslak gönderim için sıraya alındı")
        enqueue_prepare(conn, integrator, caller.tenant_id)
        audit.record(conn, caller.actor, "invoice.draft.send", tenant_id=caller.tenant_id,
                     object_type="document", object_id=row.id, clock=integrator.clock)
    return SubmitResult(row.id, submission.ettn, submission.number, DocumentState.QUEUED)


def cancel_draft(integrator: Integrator, caller: Caller, document_id: int) -> SubmitResult:
    """Cancel draft ``document_id`` (İzibiz CancelDraftInvoice): it will never be sent."""
    caller.require(Permission.SEND)
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        row = _draft(scope, document_id, lock=True)
        history.move(scope, [row.id], DocumentState.CANCELLED, at=integrator.clock.now(),
                     events=integrator.events, message="taslak iptal edildi")
        audit.record(conn, caller.actor, "invoice.draft.cancel", tenant_id=caller.tenant_id,
                     object_type="document", object_id=row.id, clock=integrator.clock)
    return SubmitResult(row.id, row.ettn, row.number, DocumentState.CANCELLED)


def _draft(scope: TenantScope, document_id: int, *, lock: bool = False) -> Any:
    stmt = scope.select(documents).where(_d.id == document_id, _d.direction == "OUT")
    row = scope.execute(stmt.with_for_update() if lock else stmt).first()
    if row is None:
        raise NotFound(f"belge bulunamadı: {document_id}")
    if row.state != DocumentState.DRAFT.value:
        raise InvalidState(
            f"Yalnız taslaklar değiştirilebilir, gönderilebilir ya da iptal edilebilir; "
            f"belgenin durumu: {DocumentState(row.state).label}",
            state=row.state,
        )
    return row


def _store(scope: TenantScope, document_id: int, submission: Submission, now: Any,
           extra: dict[str, Any], *, queued: bool = False) -> None:
    """Write the new facts and content; a queued invoice keeps its XML (signed later)."""
    kind, content = ("xml", submission.xml) if queued else (
        submission.content_kind, submission.content)
    scope.execute(
        scope.update(documents).where(_d.id == document_id)
        .values(**document_facts(submission), **extra, updated_at=now)
    )
    scope.execute(
        scope.update(document_contents).where(_c.document_id == document_id)
        .values(kind=kind, content=content, updated_at=now)
    )
