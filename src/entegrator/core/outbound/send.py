"""The ``outbound.send`` job: deliver one OUT envelope (any type) to Merkez with sendDocument.

The zip is read back from the archive and posted (:meth:`entegrator.gib.GibClient.send_document`,
one envelope per call). Outcomes:

* accepted, or fault 2001 "ZARF ID SISTEMDE MEVCUT" — Merkez has it already (an earlier run
  of this job got through but died before recording it): both are success. So is an
  envelope for which a status already came (a push overtook the recording): it is not sent
  again, only recorded. The envelope
  becomes ``sent``; its invoices move SENDING → SEND_WAIT_GIB_RESPONSE; an ``outbound.poll``
  job is scheduled (SENDER, POSTBOX and USER envelopes; a system response is never answered,
  Ek-2 §4.3, so there is nothing to poll). Effects and job completion commit together
  (``JobContext.transaction``), so they happen once.
* a retryable failure (network, 2000, 2002, 2003, 2005, and 2007 "temporarily suspended")
  fails the run: the queue retries with exponential backoff and the ``gib`` circuit breaker
  stops all sending while Merkez is down.
* any other fault (a request Merkez refuses as it is) — the envelope is ``failed`` and its
  invoices SEND_FAILED, with the reason; the user may resend them (:mod:`.resend`).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Connection, func, update

from entegrator.core.outbound import history
from entegrator.core.outbound.envelopes import EnvelopeRow, load_envelope
from entegrator.core.outbound.hooks import on_send_failed
from entegrator.core.outbound.jobkinds import POLL
from entegrator.core.states import DocumentState
from entegrator.errors import EntegratorError
from entegrator.gib import AlreadyReceived, GibError, Suspended
from entegrator.store import jobs
from entegrator.store.domain import documents, envelopes
from entegrator.store.jobs import JobContext
from entegrator.store.tenancy import TenantScope

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["SendSuspended", "mark_send_failed", "mark_sent", "run_send"]

log = logging.getLogger(__name__)
_e = envelopes.c
_d = documents.c
#: Envelope types whose status Merkez reports (and we poll).
POLLED = frozenset({"SENDERENVELOPE", "POSTBOXENVELOPE", "USERENVELOPE"})


class SendSuspended(EntegratorError):
    """Fault 2007: sending is temporarily suspended for us. Wait and try again."""

    retryable = True


def run_send(integrator: Integrator, ctx: JobContext) -> None:
    """Handler of ``outbound.send`` (see the module docstring)."""
    envelope_id = int(ctx.payload["envelope_id"])
    with integrator.db.transaction(read_only=True) as conn:
        envelope = load_envelope(conn, envelope_id=envelope_id)
        if envelope is None or envelope.state in ("done", "failed"):
            return  # unknown, or settled: nothing left to do
        if envelope.state not in ("built", "sending"):
            data = None  # Merkez has it (a status came): only what recording it causes
        elif envelope.archive_ref is None:
            raise RuntimeError(f"envelope {envelope_id} has no archived zip")
        else:
            data = integrator.archive.get(conn, envelope.archive_ref)
    if data is None:
        with ctx.transaction() as conn:
            mark_sent(conn, integrator, envelope, now=integrator.clock.now())
        return
    failure: GibError | None = None
    try:
        integrator.gib_client.send_document(f"{envelope.envelope_uuid}.zip", data)
    except AlreadyReceived:
        log.info("zarf %s Merkez'de zaten var (2001): gönderilmiş sayıldı", envelope.envelope_uuid)
    except Suspended as exc:
        raise SendSuspended(f"GİB gönderim yetkisini geçici olarak kaldırmış: {exc}",
                            gib_code=exc.code) from exc
    except GibError as exc:
        if exc.retryable:
            raise
        failure = exc
    with ctx.transaction() as conn:
        now = integrator.clock.now()
        if failure is None:
            mark_sent(conn, integrator, envelope, now=now)
        else:
            mark_send_failed(conn, integrator, envelope, failure, now=now)


def mark_sent(conn: Connection, integrator: Integrator, envelope: EnvelopeRow, *,
              now: datetime) -> None:
    """Record that Merkez accepted ``envelope`` (idempotent; never moves anything back)."""
    conn.execute(
        update(envelopes)
        .where(_e.id == envelope.id)
        .values(sent_at=now, updated_at=now, attempts=_e.attempts + 1,
                state="sent")
        .where(_e.state.in_(["built", "sending"]))
    )
    if envelope.type == "SENDERENVELOPE" and envelope.tenant_id is not None:
        scope = TenantScope(conn, envelope.tenant_id)
        ids = list(scope.execute(
            scope.select(documents, _d.id).where(_d.envelope_uuid == envelope.envelope_uuid)
        ).scalars())
        moved = history.move(
            scope, ids, DocumentState.SEND_WAIT_GIB_RESPONSE, at=now, events=integrator.events,
            message="GİB'e iletildi", envelope_uuid=envelope.envelope_uuid,
            only_envelope=envelope.envelope_uuid,
            values={"sent_at": func.coalesce(_d.sent_at, now)},
        )
        if len(moved) < len(ids):  # some were further along already (a status overtook us)
            scope.execute(
                scope.update(documents)
                .where(_d.envelope_uuid == envelope.envelope_uuid, _d.sent_at.is_(None))
                .values(sent_at=now)
            )
    if envelope.type in POLLED:
        config = integrator.config.outbound
        jobs.enqueue(
            conn, POLL, {"envelope_id": envelope.id},
            run_at=now + timedelta(seconds=config.poll_first_delay),
            destination=config.destination, dedupe_key=f"{POLL}:{envelope.id}",
            clock=integrator.clock,
        )


def mark_send_failed(conn: Connection, integrator: Integrator, envelope: EnvelopeRow,
                     error: EntegratorError, *, now: datetime) -> None:
    """Record that Merkez refused ``envelope`` outright; its invoices become SEND_FAILED."""
    reason = f"GİB zarfı kabul etmedi: {error}"
    conn.execute(
        update(envelopes)
        .where(_e.id == envelope.id, _e.state.in_(["built", "sending"]))
        .values(state="failed", last_error=reason[:4000], updated_at=now,
                attempts=_e.attempts + 1, gib_status_description=reason[:300])
    )
    if envelope.type == "SENDERENVELOPE" and envelope.tenant_id is not None:
        scope = TenantScope(conn, envelope.tenant_id)
        ids = list(scope.execute(
            scope.select(documents, _d.id).where(_d.envelope_uuid == envelope.envelope_uuid)
        ).scalars())
        history.move(
            scope, ids, DocumentState.SEND_FAILED, at=now, events=integrator.events,
            message=reason[:2000], envelope_uuid=envelope.envelope_uuid,
            values={"gib_status_description": reason[:300]},
            only_envelope=envelope.envelope_uuid,
        )
    else:
        on_send_failed(conn, integrator, envelope, reason)
