"""Merkez talking to integrators: delivery (1220 / 1210 → 1215), pushes, and polling (1220).

* ``sim.deliver`` sends an envelope that passed the checks to the receiver's integrator with
  its ``sendDocument``. Success (or 2001, already there) → 1220 and the first poll is
  scheduled. Failure → 1210 and a retry every ``retry_interval`` of GİB time, ``retries``
  times (Ek-2 §4.1: four tries, two hours apart), then 1215 — its invoices may be sent again.
  GİB portal users are delivered to locally (:mod:`.portal`).
* ``sim.push`` sends a stored SYSTEMENVELOPE (Merkez's own, or a receiver's being forwarded)
  to an integrator; failures are retried by the job runner with backoff, and a push never
  blocks a delivery (Ek-2 §4.1).
* ``sim.poll`` asks a receiver that stays silent in 1220 for its system response with
  ``getApplicationResponse`` (Ek-3 §7.2.2) every ``poll_interval`` of GİB time, up to
  ``max_polls`` times; a final answer is handled as if the receiver had sent it.

Network calls happen outside transactions; each outcome is written together with the job's
completion (``JobContext.transaction``). Outage windows of :mod:`.faults` count as failures.
"""

from __future__ import annotations

import logging

from entegrator.envelope import (
    EnvelopeError,
    read_envelope,
    read_system_response,
    zip_envelope,
)
from entegrator.errors import EntegratorError, TransportError
from entegrator.gib import AlreadyReceived
from entegrator.simulator import records
from entegrator.simulator.config import PORTAL_OWNER
from entegrator.simulator.portal import accept_delivery
from entegrator.simulator.runtime import POLL, PROCESS, Runtime
from entegrator.store.jobs import JobContext

__all__ = ["deliver", "poll", "push"]

log = logging.getLogger("entegrator.simulator")


def _outage(rt: Runtime, integrator: str) -> None:
    if rt.faults.outage(integrator, rt.now()):
        raise TransportError(f"{integrator} uç noktası kesintide (hata kuralı)")


def _send(rt: Runtime, target: str, file_name: str, data: bytes) -> str | None:
    """Send to ``target``; return None on success, else why it failed."""
    try:
        _outage(rt, target)
        rt.client(target).send_document(file_name, data)
    except AlreadyReceived:
        return None
    except EntegratorError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


def deliver(rt: Runtime, ctx: JobContext) -> None:
    """Handle one ``sim.deliver`` job (payload ``{"envelope": <row id>}``)."""
    pk = int(ctx.payload["envelope"])
    with rt.db.transaction(read_only=True) as conn:
        record = records.get(conn, pk)
        if record.status not in (1200, 1210) or record.target is None:
            return
        data = records.load_zip(conn, pk)
    if record.target == PORTAL_OWNER:
        _deliver_locally(rt, ctx, record, data)
        return
    error = _send(rt, record.target, record.file_name, data)
    schedule = rt.config.schedule
    with ctx.transaction() as conn:
        now = rt.now()
        if error is None:
            if records.set_status(conn, pk, 1220, now=now, only_from=(1200, 1210), polls=0):
                rt.enqueue(conn, POLL, {"envelope": pk}, at=now + rt.poll_delay(),
                           dedupe_key=f"poll:{pk}")
            log.info("zarf %s %s entegratörüne iletildi", record.envelope_id, record.target)
            return
        attempts = record.attempts + 1
        note = f"deneme {attempts}: {error}"
        if attempts <= schedule.retries:
            records.set_status(conn, pk, 1210, now=now, only_from=(1200, 1210), note=note,
                               attempts=attempts, detail=error)
            ctx.reschedule(at=rt.later(schedule.retry_interval))
        elif records.set_status(conn, pk, 1215, now=now, only_from=(1210,), note=note,
                                attempts=attempts, detail=error):
            records.unregister_invoices(conn, pk)
    log.warning("zarf %s iletilemedi (%s)", record.envelope_id, error)


def _deliver_locally(rt: Runtime, ctx: JobContext, record: records.EnvelopeRecord,
                     data: bytes) -> None:
    answer = accept_delivery(rt, record, data)
    with ctx.transaction() as conn:
        now = rt.now()
        if not records.set_status(conn, record.id, 1220, now=now, only_from=(1200, 1210)):
            return
        answer.store(conn, rt)
        pk = records.insert_envelope(conn, answer.file_name, answer.data, origin=PORTAL_OWNER,
                                     now=now, status=1000, note="portal kullanıcısının yanıtı")
        rt.enqueue(conn, PROCESS, {"envelope": pk}, dedupe_key=f"process:{pk}")
    rt.kick()


def push(rt: Runtime, ctx: JobContext) -> None:
    """Handle one ``sim.push`` job (payload ``{"envelope": <row id>, "to": <integrator>}``).

    Failures raise, so the job runner retries with backoff (and parks the job in the end).
    """
    pk, target = int(ctx.payload["envelope"]), str(ctx.payload["to"])
    with rt.db.transaction(read_only=True) as conn:
        record = records.get(conn, pk)
        data = records.load_zip(conn, pk)
    _outage(rt, target)
    try:
        rt.client(target).send_document(record.file_name, data)
    except AlreadyReceived:
        log.info("sistem yanıtı %s %s tarafında zaten var", record.envelope_id, target)


def poll(rt: Runtime, ctx: JobContext) -> None:
    """Handle one ``sim.poll`` job (payload ``{"envelope": <row id>}``)."""
    pk = int(ctx.payload["envelope"])
    with rt.db.transaction(read_only=True) as conn:
        record = records.get(conn, pk)
    if record.status != 1220 or record.target is None or record.target == PORTAL_OWNER:
        return
    answer: tuple[str, bytes] | None = None
    try:
        _outage(rt, record.target)
        xml = rt.client(record.target).get_application_response(record.envelope_id)
        answer = _final_answer(record.envelope_id, xml)
    except EntegratorError as exc:
        log.info("zarf %s: alıcı yoklanamadı (%s)", record.envelope_id, exc)
    with ctx.transaction() as conn:
        if answer is None:
            polls = record.polls + 1
            records.update_fields(conn, pk, now=rt.now(), polls=polls)
            if polls < rt.config.schedule.max_polls:
                ctx.reschedule(at=rt.now() + rt.poll_delay())
            return
        file_name, data = answer
        try:
            new = records.insert_envelope(conn, file_name, data, origin=record.target,
                                          now=rt.now(), status=1000,
                                          note="getApplicationResponse ile alındı")
        except records.EnvelopeExists:
            return  # the receiver sent it meanwhile
        rt.enqueue(conn, PROCESS, {"envelope": new}, dedupe_key=f"process:{new}")
    rt.kick()


def _final_answer(envelope_id: str, xml: bytes) -> tuple[str, bytes] | None:
    """The receiver's system response for ``envelope_id`` as a zip, if it is final."""
    try:
        envelope = read_envelope(xml)
        response = read_system_response(envelope)
    except EnvelopeError as exc:
        log.info("zarf %s: alıcının yanıtı okunamadı (%s)", envelope_id, exc)
        return None
    if response.envelope.id.strip().lower() != envelope_id or \
            (response.status or "").strip() in ("", "1000", "1100"):
        return None
    zipped = zip_envelope(envelope.xml, envelope.envelope_id,
                          modified=envelope.header.created_at)
    return zipped.file_name, zipped.data
