"""The ``outbound.prepare`` job: number, sign, archive and pack a taxpayer's queued invoices.

One run drains the taxpayer's queue batch by batch (``OutboundConfig.batch_size``, at most
GİB's 100 invoices per envelope). Per batch: claim and number (:mod:`.claims`, a short
transaction), then — outside any transaction — stamp each number into its document, sign it
with the taxpayer's seal (:func:`entegrator.signing.sign_element`, on the parsed tree, no
re-parse) and pack the signed documents into SENDERENVELOPEs (:func:`entegrator.envelope.pack`:
sender = the taxpayer's default GB alias, receiver = each invoice's PK alias), then ONE
transaction archives the signed invoices and the zips, inserts the envelopes, moves the
invoices to SENDING and enqueues one ``outbound.send`` job per envelope. A crash anywhere
loses nothing and doubles nothing (see :mod:`.claims`).

Before numbering, the seal is checked (it must exist and be valid now) and the taxpayer must
have a default GB alias: if not, the batch goes to SIGN_FAILED / PACKAGE_FAILED with the
reason and consumes no number. A token failure (retryable) gives the batch back and fails the
run, which the job queue retries with backoff; the numbers already given stay with their
invoices. A document the caller signed itself is packed as it is.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import bindparam

from entegrator.core.outbound import claims, history
from entegrator.core.outbound.claims import Claimed
from entegrator.core.outbound.envelopes import envelope_item, store_sender_envelopes
from entegrator.core.outbound.packing import pack_invoices
from entegrator.core.outbound.stamp import stamp_number
from entegrator.core.outbound.submit import TaxpayerFacts, taxpayer_row
from entegrator.core.states import DocumentState
from entegrator.envelope import Packed, Party, Payload, prepare
from entegrator.errors import EntegratorError
from entegrator.signing import Seal, SigningError, sign_element
from entegrator.store import audit
from entegrator.store.archive.bulk import BulkItem, put_many
from entegrator.store.archive.model import ArchiveKind, ArchiveMeta
from entegrator.store.audit import Actor
from entegrator.store.domain import document_contents, documents, taxpayer_aliases
from entegrator.store.jobs import JobContext
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import ns
from entegrator.ubl.extension import has_signature
from entegrator.ubl.xml import parse

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["PreparedBatch", "prepare_once", "run_prepare"]

log = logging.getLogger(__name__)
_d = documents.c
_ACTOR = Actor.system("outbound")
#: A run stops taking new batches after this share of the worker's job lease (at most 15 s)
#: and reschedules itself, so it never outlives its lease.
_RUN_SHARE, _RUN_BUDGET = 0.25, 15.0
#: What lxml writes before the root (``ubl.xml.to_bytes``): the archive keeps it.
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8'?>\n"


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    """A claimed batch after signing and packing, ready to commit."""

    documents: Sequence[Claimed]
    signed: Sequence[bytes]
    packed: Sequence[Packed]


def run_prepare(integrator: Integrator, ctx: JobContext) -> None:
    """Handler of ``outbound.prepare``: drain the taxpayer's queue (see the module doc)."""
    tenant_id = int(ctx.payload["tenant_id"])
    budget = min(_RUN_BUDGET, integrator.config.worker.runner.lease * _RUN_SHARE)
    started = time.monotonic()
    while True:
        done = prepare_once(integrator, tenant_id, token=f"{ctx.id}:{uuid.uuid4().hex[:16]}")
        if done is None:
            break
        if time.monotonic() - started > budget:
            ctx.reschedule(delay=0)
            return
    # Nothing left that we could take; invoices held by a run that may have died come back
    # when their lease ends: look again then.
    with integrator.db.transaction(read_only=True) as conn:
        until = claims.earliest_lease(TenantScope(conn, tenant_id), integrator.clock.now())
    if until is not None:
        ctx.reschedule(at=until)


def prepare_once(integrator: Integrator, tenant_id: int, *, token: str) -> int | None:
    """Prepare one batch; return how many invoices it took (None: nothing left to take)."""
    config = integrator.config.outbound
    with integrator.db.transaction() as conn:
        scope = TenantScope(conn, tenant_id)
        taxpayer = taxpayer_row(conn, tenant_id)
        now = integrator.clock.now()
        problem = _blocked(integrator, scope, taxpayer, now)
        if problem is not None:
            return _fail_queue(integrator, scope, *problem, limit=config.batch_size)
        batch = claims.claim_batch(
            conn, scope, token=token, now=now, lease=config.claim_lease,
            limit=config.batch_size,
        )
        sender = _sender(scope, taxpayer)
    if not batch:
        return None
    try:
        prepared = sign_and_pack(integrator, taxpayer, sender, batch)
    except EntegratorError as exc:
        failed = {} if exc.retryable else _culprits(integrator, taxpayer, sender, batch, exc)
        with integrator.db.transaction() as conn:
            scope = TenantScope(conn, tenant_id)
            for state in (DocumentState.SIGN_FAILED, DocumentState.PACKAGE_FAILED):
                for reason in {r for s, r in failed.values() if s is state}:
                    ids = [i for i, (s, r) in failed.items() if s is state and r == reason]
                    _move_failed(integrator, scope, ids, state, reason)
            claims.release(conn, scope, token)
        if exc.retryable:
            raise
        return len(batch)
    try:
        with integrator.db.transaction() as conn:
            commit_batch(integrator, TenantScope(conn, tenant_id), prepared, token=token)
    except _ClaimLost:
        log.warning("prepare run %s lost its batch to another run; its work is dropped", token)
    return len(batch)


def _culprits(
    integrator: Integrator, taxpayer: TaxpayerFacts, sender: Party, batch: Sequence[Claimed],
    error: EntegratorError,
) -> dict[int, tuple[DocumentState, str]]:
    """Which invoices of a failed batch fail on their own, and why (the others go again)."""
    failed: dict[int, tuple[DocumentState, str]] = {}
    for document in batch:
        try:
            sign_and_pack(integrator, taxpayer, sender, [document])
        except EntegratorError as exc:
            if exc.retryable:
                raise
            failed[document.id] = _failure(exc)
    if not failed:
        failed = {document.id: _failure(error) for document in batch}
    return failed


def _failure(error: EntegratorError) -> tuple[DocumentState, str]:
    if isinstance(error, SigningError):
        return DocumentState.SIGN_FAILED, f"imzalanamadı: {error}"
    return DocumentState.PACKAGE_FAILED, f"zarflanamadı: {error}"


class _ClaimLost(Exception):
    """The batch was taken over by another run (our lease ran out): roll back, drop it."""


def sign_and_pack(
    integrator: Integrator, taxpayer: TaxpayerFacts, sender: Party, batch: Sequence[Claimed]
) -> PreparedBatch:
    """Stamp, sign and pack a claimed batch (no database access).

    Each document is parsed once and serialised once: the envelope carries that
    serialisation and the archive keeps the same bytes with an XML declaration. A document
    the caller signed is archived exactly as received.
    """
    now = integrator.clock.now()
    seal: Seal | None = None
    payloads: list[Payload] = []
    signed: list[bytes] = []
    for document in batch:
        root = parse(document.content)
        if has_signature(root):
            payload = prepare(root)
            signed.append(document.content)
        else:
            if (root.findtext(ns.cbc("ID")) or "").strip() != document.number:
                stamp_number(root, document.number)
            if seal is None:
                seal = integrator.seals.seal_for(taxpayer.vkn_tckn, now=now)
            sign_element(root, seal, signing_time=now)
            payload = prepare(root)
            signed.append(_DECLARATION + payload.data)
        payloads.append(payload)
    parties = [
        (sender, Party(d.receiver_alias or "", d.counterpart_vkn_tckn, d.counterpart_name or None))
        for d in batch
    ]
    packed = pack_invoices(payloads, parties, new_id=lambda: str(uuid.uuid4()),
                           now=integrator.clock.now)
    return PreparedBatch(batch, signed, packed)


def commit_batch(
    integrator: Integrator, scope: TenantScope, prepared: PreparedBatch, *, token: str
) -> None:
    """Archive, store envelopes, move the batch to SENDING (the token must still hold it)."""
    now = integrator.clock.now()
    ids = [d.id for d in prepared.documents]
    envelope_of: dict[int, str] = {}
    for envelope in prepared.packed:
        for index in envelope.items:
            envelope_of[index] = envelope.envelope.header.envelope_id.lower()
    items = [
        BulkItem(data, ArchiveKind.INVOICE, "OUT", ArchiveMeta(
            ettn=document.ettn, number=document.number, envelope_uuid=envelope_of[index],
            issue_date=document.issue_date, counterpart_vkn_tckn=document.counterpart_vkn_tckn,
            counterpart_name=document.counterpart_name, profile=document.profile,
            status=DocumentState.SENDING.status,
        ))
        for index, (document, data) in enumerate(
            zip(prepared.documents, prepared.signed, strict=True))
    ]
    items.extend(envelope_item(envelope, now) for envelope in prepared.packed)
    archived = put_many(scope.conn, integrator.archive, items, tenant_id=scope.tenant_id)
    refs = [ref.sha256 for ref in archived[: len(ids)]]
    store_sender_envelopes(scope.conn, integrator, scope.tenant_id, prepared.packed, ids,
                           now=now, archived=archived[len(ids):])
    sender_alias = prepared.packed[0].envelope.header.sender.alias
    moved = scope.execute(  # executemany (pipelined by psycopg), only rows the token holds
        scope.update(documents)
        .where(_d.id == bindparam("doc_id"), _d.claim_token == token, _d.state == "queued")
        .values(
            state=DocumentState.SENDING.value, state_changed_at=now, updated_at=now,
            envelope_uuid=bindparam("env"), archive_ref=bindparam("ref"),
            sender_alias=sender_alias, claim_token=None, claim_until=None,
        ),
        [
            {"doc_id": doc_id, "env": envelope_of[index], "ref": refs[index]}
            for index, doc_id in enumerate(ids)
        ],
    ).rowcount
    if moved != len(ids):
        raise _ClaimLost(token)  # rolls back the archive writes and envelopes above
    scope.execute(
        scope.delete(document_contents).where(document_contents.c.document_id.in_(ids))
    )
    for envelope in prepared.packed:
        history.record_events(
            scope, [(ids[i], DocumentState.QUEUED) for i in envelope.items],
            DocumentState.SENDING, at=now, events=integrator.events,
            message="numaralandı, imzalandı, zarflandı",
            envelope_uuid=envelope.envelope.header.envelope_id.lower(),
        )
    audit.record(
        scope.conn, _ACTOR, "invoice.prepare", tenant_id=scope.tenant_id,
        object_type="envelope",
        details={"documents": len(ids),
                 "envelopes": [p.envelope.header.envelope_id.lower() for p in prepared.packed]},
        clock=integrator.clock,
    )


def _blocked(
    integrator: Integrator, scope: TenantScope, taxpayer: TaxpayerFacts, now: datetime
) -> tuple[DocumentState, str] | None:
    """Why nothing of this taxpayer can be signed or packed now (None: all is well)."""
    try:
        integrator.seals.seal_for(taxpayer.vkn_tckn, now=now).check_valid(now)
    except EntegratorError as exc:
        if exc.retryable:
            raise
        return DocumentState.SIGN_FAILED, f"mali mühür kullanılamıyor: {exc}"
    if _default_gb(scope) is None:
        return (DocumentState.PACKAGE_FAILED,
                "mükellefin varsayılan gönderici birim (GB) etiketi yok")
    return None


def _default_gb(scope: TenantScope) -> str | None:
    a = taxpayer_aliases.c
    return scope.execute(
        scope.select(taxpayer_aliases, a.alias)
        .where(a.role == "GB", a.is_default.is_(True), a.deleted_at.is_(None),
               a.gib_state.not_in(["cancelled", "failed"]))
        .limit(1)
    ).scalar_one_or_none()


def _sender(scope: TenantScope, taxpayer: TaxpayerFacts) -> Party:
    alias = _default_gb(scope)
    if alias is None:  # pragma: no cover - checked by _blocked in the same transaction
        raise RuntimeError("default GB alias vanished")
    return Party(alias, taxpayer.vkn_tckn, taxpayer.title)


def _fail_queue(
    integrator: Integrator, scope: TenantScope, state: DocumentState, reason: str, *,
    limit: int,
) -> int | None:
    now = integrator.clock.now()
    ids = list(
        scope.execute(
            scope.select(documents, _d.id)
            .where(claims.eligible(now))
            .order_by(_d.id)
            .limit(limit)
        ).scalars()
    )
    if not ids:
        return None
    _move_failed(integrator, scope, ids, state, reason)
    return len(ids)


def _move_failed(
    integrator: Integrator, scope: TenantScope, ids: Sequence[int], state: DocumentState,
    reason: str,
) -> None:
    history.move(
        scope, ids, state, at=integrator.clock.now(), events=integrator.events,
        message=reason[:2000], values={"claim_token": None, "claim_until": None,
                                       "gib_status_description": reason[:300]},
    )
