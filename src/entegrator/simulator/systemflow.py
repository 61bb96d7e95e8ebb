"""SYSTEMENVELOPEs from receivers: update the answered envelope and forward the response.

The receiving integrator answers the envelope Merkez delivered with a system response that it
sends to Merkez by ``sendDocument`` (or that Merkez fetches by polling). Ek-2 §4.1: 1200 from
the receiver moves the answered envelope from 1220 to 1300, any other code to 1230; Merkez
forwards the response *unchanged* to the original sender (Ek-2 §1). A response to a response
is never sent (Ek-2 §4.3), so a SYSTEMENVELOPE that fails a check only records its own code
(visible through ``getApplicationResponse``); one that names an envelope this caller was not
given gets 1181.

A response can arrive before Merkez has recorded the delivery (the receiver is fast); the
job then waits briefly (rescheduled) so the history stays in order: … 1220 → 1300.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Final

from entegrator.envelope import Envelope, EnvelopeError, read_system_response
from entegrator.simulator import records
from entegrator.simulator.checks import Rejected, validate_content
from entegrator.simulator.outbox import queue_forward
from entegrator.simulator.records import EnvelopeRecord
from entegrator.simulator.runtime import Runtime
from entegrator.store.jobs import JobContext

__all__ = ["process"]

log = logging.getLogger("entegrator.simulator")

_IN_FLIGHT: Final = (1200, 1210)
_WAITING: Final = (1200, 1210, 1220)
_NOT_FINAL: Final = frozenset({"1000", "1100"})
_MAX_WAIT: Final = timedelta(seconds=30)


def _answered_id(rt: Runtime, record: EnvelopeRecord, envelope: Envelope) -> tuple[str, str]:
    """Check the system response; return (answered envelope id, its code)."""
    validate_content(envelope, rt.check_context(record.origin))
    try:
        response = read_system_response(envelope)
    except EnvelopeError as exc:
        raise Rejected(exc.gib_code or 1150, exc.message) from exc
    return response.envelope.id.strip().lower(), (response.status or "").strip()


def process(rt: Runtime, ctx: JobContext, record: EnvelopeRecord, envelope: Envelope) -> None:
    """Route one SYSTEMENVELOPE (the rest of a ``sim.process`` job)."""
    try:
        answered_id, code = _answered_id(rt, record, envelope)
    except Rejected as exc:
        with ctx.transaction() as conn:
            records.set_header(conn, record.id, envelope, now=rt.now())
            records.set_status(conn, record.id, exc.code, now=rt.now(), only_from=(1100,),
                               detail=exc.detail)
        return
    with rt.db.transaction(read_only=True) as conn:
        answered = records.by_envelope_id(conn, answered_id)
    if answered is not None and answered.target == record.origin and \
            answered.status in _IN_FLIGHT and rt.now() - record.received_at < _MAX_WAIT:
        ctx.reschedule(delay=0.2)  # the delivery is being recorded; keep the order
        return
    with ctx.transaction() as conn:
        now = rt.now()
        records.set_header(conn, record.id, envelope, now=now)
        if answered is None or answered.target != record.origin:
            records.set_status(conn, record.id, 1181, now=now, only_from=(1100,),
                               detail=f"yanıtlanan zarf ({answered_id}) bu entegratöre iletilmedi",
                               answers=answered_id)
            return
        records.set_status(conn, record.id, 1200, now=now, only_from=(1100,), answers=answered_id)
        if code in _NOT_FINAL:
            return
        final = 1300 if code == "1200" else 1230
        note = f"alıcının sistem yanıtı {code or '?'} ({record.envelope_id})"
        if records.set_status(conn, answered.id, final, now=now, note=note, only_from=_WAITING,
                              detail=None if final == 1300 else f"alıcı {code} döndü"):
            if final == 1230:
                records.unregister_invoices(conn, answered.id)
            queue_forward(rt, conn, record.id, to=answered.origin)
    log.info("sistem yanıtı %s: zarf %s → %s", record.envelope_id, answered_id, code)
    rt.kick()
