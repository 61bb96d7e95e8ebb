"""The ``inbound.process`` job: read, check, route, store and answer one received envelope.

1. Outside any write transaction (CPU work, nothing locked): the zip comes back from the
   archive and goes through :func:`.examine.examine` (zip, names, XSD, schematron, seals).
2. In ONE transaction, which also completes the job (``JobContext.transaction``):

   * SENDERENVELOPE → :func:`.mailbox.deliver_invoices` (addressing, duplicates, mailbox);
   * POSTBOXENVELOPE → :func:`.postbox.receive_answers` (KABUL/RED for our invoices);
   * SYSTEMENVELOPE → :func:`.system.route_system_response` (status of one of our envelopes;
     GİB's periodic system responses that answer nothing are kept and ignored);
   * then our system response — 1200 or the first failure's code — is built and queued
     (:func:`.answer.answer_envelope`) for SENDER- and POSTBOXENVELOPEs only (Ek-2 §4.3),
     and the received envelope's row records the outcome.

A failure anywhere in step 2 rolls everything back and the job is retried: nothing of a
half-processed envelope is ever visible. The row's ``state`` goes ``received`` →
``processed`` with a conditional update, so a second run of the same job changes nothing.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection, select, update

from entegrator.core.inbound.answer import SUCCESS, answer_envelope, describe
from entegrator.core.inbound.examine import Examination, Failure, examine
from entegrator.core.inbound.mailbox import deliver_invoices
from entegrator.core.inbound.postbox import receive_answers
from entegrator.core.inbound.receiver import PROCESS_JOB
from entegrator.core.inbound.system import route_system_response
from entegrator.core.responses import inbound_settings
from entegrator.envelope import EnvelopeType
from entegrator.signing import VerificationPolicy
from entegrator.store import audit
from entegrator.store.archive import ArchiveKind, ArchiveRef
from entegrator.store.archive.entries import find_entry
from entegrator.store.audit import Actor
from entegrator.store.domain import envelopes
from entegrator.store.jobs import HandlerRegistry, JobContext

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["process_envelope", "register"]

log = logging.getLogger("entegrator.core.inbound")
_ACTOR: Final = Actor.system("gib")


def register(registry: HandlerRegistry, integrator: Integrator) -> None:
    """Register the ``inbound.process`` job."""
    registry.register(PROCESS_JOB, lambda ctx: process_envelope(ctx, integrator))


def process_envelope(ctx: JobContext, integrator: Integrator) -> None:
    """Run the ``inbound.process`` job for envelope row ``ctx.payload["envelope_id"]``."""
    envelope_id = int(ctx.payload["envelope_id"])
    with integrator.db.transaction(read_only=True) as conn:
        row = _row(conn, envelope_id)
        data = None if row is None or row.state != "received" else integrator.archive.get(
            conn, row.archive_ref)
    if row is None or data is None:
        with ctx.transaction():
            return  # processed already (or gone): nothing to do
    settings = inbound_settings(integrator)
    policy = VerificationPolicy(trust=integrator.trust,
                                authorised_delegates=settings.authorised_delegates)
    examination = examine(data, f"{row.envelope_uuid}.zip", policy=policy,
                          engine=integrator.validator, now=integrator.clock.now())
    with ctx.transaction() as conn:
        claimed = conn.execute(
            update(envelopes).where(envelopes.c.id == envelope_id,
                                    envelopes.c.state == "received")
            .values(state="processing")
        ).rowcount
        if claimed != 1:
            return
        _route(conn, integrator, row, examination)


def _row(conn: Connection, envelope_id: int) -> Any | None:
    return conn.execute(select(envelopes).where(envelopes.c.id == envelope_id,
                                                envelopes.c.direction == "IN")).first()


def _route(conn: Connection, integrator: Integrator, row: Any, exam: Examination) -> None:
    header, failure = exam.header, exam.failure
    tenant_id: int | None = None
    counts: dict[str, int] = {}
    if header is not None and failure is None:
        if header.type is EnvelopeType.SENDER:
            delivered = deliver_invoices(conn, integrator, header, exam.documents,
                                         envelope_row_id=row.id, received_at=row.created_at)
            if isinstance(delivered, Failure):
                failure = delivered
            else:
                tenant_id = delivered.owner.tenant_id
                counts = {"documents": len(delivered.document_ids), "new": delivered.new}
        elif header.type is EnvelopeType.POSTBOX:
            answered = receive_answers(conn, integrator, header, exam.documents,
                                       envelope_row_id=row.id, received_at=row.created_at)
            if isinstance(answered, Failure):
                failure = answered
            else:
                tenant_id = answered.owner.tenant_id
                counts = {"counted": answered.counted, "ignored": answered.ignored}
        elif exam.system_response is not None:
            tenant_id = route_system_response(conn, integrator, header, exam.system_response)
    code = SUCCESS if failure is None else failure.code
    detail = None if failure is None else failure.message
    answer = None
    if header is not None:
        answer = answer_envelope(conn, integrator, header, code, detail=detail,
                                 tenant_id=tenant_id)
    _finish(conn, integrator, row, exam, code=code, detail=detail, tenant_id=tenant_id,
            answer=answer)
    if tenant_id is not None:
        audit.record(conn, _ACTOR, "envelope.receive", tenant_id=tenant_id,
                     object_type="envelope", object_id=row.envelope_uuid,
                     details={"type": header.type.value if header else None, "code": code,
                              **counts}, clock=integrator.clock)
    log.info("zarf %s işlendi: %s %s%s", row.envelope_uuid,
             header.type.value if header else "okunamadı", code,
             f" ({detail})" if detail else "")


def _finish(conn: Connection, integrator: Integrator, row: Any, exam: Examination, *,
            code: int, detail: str | None, tenant_id: int | None, answer: str | None) -> None:
    header = exam.header
    now = integrator.clock.now()
    values: dict[str, Any] = {
        "state": "processed", "tenant_id": tenant_id, "gib_status_code": code,
        "gib_status_description": describe(code, detail)[:300], "last_error": detail,
        "response_envelope_uuid": answer, "processed_at": now, "updated_at": now,
        "document_count": len(exam.documents),
    }
    if header is not None:
        values.update(
            type=header.type.value,
            sender_alias=header.sender.alias[:250], sender_vkn_tckn=header.sender.vkn_tckn[:11],
            receiver_alias=header.receiver.alias[:250],
            receiver_vkn_tckn=header.receiver.vkn_tckn[:11],
        )
        if exam.system_response is not None:
            values["answers_envelope_uuid"] = exam.system_response.envelope.id.lower()[:36]
    conn.execute(update(envelopes).where(envelopes.c.id == row.id).values(values))
    if tenant_id is not None:
        _file_under(conn, integrator, row.archive_ref, tenant_id)


def _file_under(conn: Connection, integrator: Integrator, sha256: str, tenant_id: int) -> None:
    """Give the received zip's archive entry (stored before anyone knew) its taxpayer."""
    entry = find_entry(conn, None, ArchiveKind.ENVELOPE, "IN", sha256)
    if entry is not None:
        integrator.archive.assign_tenant(conn, ArchiveRef(sha256, entry), tenant_id)
