"""The ``sim.process`` job: Merkez works through one received envelope.

1000 → 1100 (committed on its own, so polling sees it), then the checks of
:mod:`.checks` (outside any transaction), then ONE transaction with the job's completion:
the header facts, the result code (duplicate invoices turn 1200 into 1163 here, race-free),
Merkez's system response queued for the sender, and for 1200 the delivery job (Ek-2 §4.1:
"1200 is pushed to the sender; delivery proceeds even if that push fails"). SYSTEMENVELOPEs
and USERENVELOPEs continue in :mod:`.systemflow` and :mod:`.userflow`.

A bug in a check becomes 1195 SISTEM HATASI for that envelope (answered, except a
SYSTEMENVELOPE); database errors propagate, so the job runner retries the job (the 1100 step
is idempotent).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from sqlalchemy.exc import SQLAlchemyError

from entegrator.envelope import GIB, Envelope, EnvelopeType
from entegrator.simulator import records, systemflow, userflow
from entegrator.simulator.checks import Rejected, Verdict, check_business, read
from entegrator.simulator.config import GIB_OWNER
from entegrator.simulator.faults import FaultFacts, FaultKind
from entegrator.simulator.outbox import LOCAL_OWNERS, prepare_response, queue_response
from entegrator.simulator.records import EnvelopeRecord
from entegrator.simulator.responses import answered_header
from entegrator.simulator.runtime import DELIVER, Runtime
from entegrator.store.jobs import JobContext

__all__ = ["origin_vkn", "process"]

log = logging.getLogger("entegrator.simulator")
_DUPLICATE = "Zarftaki bir fatura (aynı ETTN ya da aynı fatura numarası) sistemde kayıtlı"
_SYSTEM_ERROR = "Merkez denetimi sırasında sistem hatası"


def origin_vkn(rt: Runtime, origin: str) -> str:
    """The VKN an answer to ``origin`` is addressed to when the envelope named none."""
    if origin in LOCAL_OWNERS:
        return GIB.vkn_tckn
    return rt.directory.get(origin).vkn


def _start(rt: Runtime, pk: int) -> tuple[EnvelopeRecord, bytes] | None:
    with rt.db.transaction() as conn:
        record = records.get(conn, pk)
        if record.status == 1000:
            records.set_status(conn, pk, 1100, now=rt.now(), only_from=(1000,))
        elif record.status != 1100:
            return None  # finished by an earlier run of this job
        data = records.load_zip(conn, pk)
    return replace(record, status=1100), data


def process(rt: Runtime, ctx: JobContext) -> None:
    """Handle one ``sim.process`` job (payload ``{"envelope": <row id>}``)."""
    started = _start(rt, int(ctx.payload["envelope"]))
    if started is None:
        return
    record, data = started
    envelope: Envelope | None = None
    try:
        envelope = read(data, record.file_name, rt.check_context(record.origin).limits)
        if envelope.header.type is EnvelopeType.SYSTEM:
            systemflow.process(rt, ctx, record, envelope)
        elif envelope.header.type is EnvelopeType.USER:
            userflow.process(rt, ctx, record, envelope)
        else:
            finish(rt, ctx, record, envelope, _checked(rt, record, envelope))
    except Rejected as exc:
        finish(rt, ctx, record, None, Verdict(exc.code, exc.detail))
    except SQLAlchemyError:
        raise  # the job runner retries; the 1100 step is idempotent
    except Exception:
        log.exception("zarf %s işlenirken beklenmeyen hata", record.envelope_id)
        if not ctx.finished:
            _system_error(rt, ctx, record, envelope)


def _system_error(rt: Runtime, ctx: JobContext, record: EnvelopeRecord,
                  envelope: Envelope | None) -> None:
    """1195 SISTEM HATASI for an envelope a check failed on (no answer to an answer)."""
    if envelope is not None and envelope.header.type is EnvelopeType.SYSTEM:
        with ctx.transaction() as conn:
            records.set_status(conn, record.id, 1195, now=rt.now(), only_from=(1100,),
                               detail=_SYSTEM_ERROR)
        return
    finish(rt, ctx, record, envelope, Verdict(1195, _SYSTEM_ERROR, envelope))


def _checked(rt: Runtime, record: EnvelopeRecord, envelope: Envelope) -> Verdict:
    verdict = check_business(envelope, rt.check_context(record.origin))
    header = envelope.header
    forced = rt.faults.take(FaultKind.FORCE_CODE, FaultFacts(
        record.origin, record.envelope_id, header.type.value, header.sender.vkn_tckn,
        header.receiver.vkn_tckn))
    if forced is not None and forced.code is not None:
        return Verdict(forced.code, "hata kuralı ile verilen durum kodu", envelope)
    return verdict


def finish(rt: Runtime, ctx: JobContext, record: EnvelopeRecord, envelope: Envelope | None,
           verdict: Verdict) -> None:
    """Write the result of a SENDER/POSTBOX envelope (or an unreadable one) and queue
    Merkez's answer and, for 1200, the delivery."""
    fallback = origin_vkn(rt, record.origin)
    answered = envelope.header if envelope is not None else answered_header(record, fallback)
    # Built before the transaction: on SQLite the write lock is held only for the writes.
    response = prepare_response(rt, answered, verdict.code, fallback_vkn=fallback,
                                detail=verdict.detail)
    with ctx.transaction() as conn:
        now = rt.now()
        code, detail = verdict.code, verdict.detail
        if envelope is not None:
            records.set_header(conn, record.id, envelope, now=now)
        if code == 1200 and not records.register_invoices(conn, record.id, verdict.invoices):
            code, detail = 1163, _DUPLICATE
            response = prepare_response(rt, answered, code, fallback_vkn=fallback, detail=detail)
        target = verdict.target if code == 1200 else None
        if not records.set_status(conn, record.id, code, now=now, only_from=(1100,),
                                  detail=detail, target=target):
            return
        if record.origin != GIB_OWNER:
            queue_response(rt, conn, response, to=record.origin)
        if code == 1200:
            rt.enqueue(conn, DELIVER, {"envelope": record.id}, dedupe_key=f"deliver:{record.id}")
    log.info("zarf %s: %d", record.envelope_id, code)
    rt.kick()
