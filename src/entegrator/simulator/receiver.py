"""Merkez's side of the EFatura service: the receiver port the gib server calls.

``sendDocument`` (the server already checked ``fileName`` → 2006 and the MD5 → 2000) stores
the zip, the envelope row with status 1000 and the processing job in ONE transaction, then
answers; a repeated envelope UUID is fault 2001. Nothing about the zip's content is looked at
here: bad zips, names and documents are reported asynchronously (1110…1181). Fault injection
may answer 2002/2003/2005/2007 instead (storing nothing), drop the envelope (stored, never
processed) or delay its processing.

``getApplicationResponse`` answers the current status of an envelope the caller sent, as a
Merkez SYSTEMENVELOPE (:func:`entegrator.simulator.responses.status_envelope`); any other
UUID is fault 2004.

One :class:`BoundReceiver` exists per integrator: the routing layer resolves the caller first
(:mod:`entegrator.simulator.routing`) and hands the request to that integrator's receiver.
"""

from __future__ import annotations

import logging

from entegrator.gib import (
    AlreadyReceived,
    ArchiveFailure,
    Caller,
    GibFault,
    QueueFailure,
    ReceiveResult,
    Suspended,
    SystemFault,
    UnknownEnvelope,
)
from entegrator.simulator import records
from entegrator.simulator.faults import FaultFacts, FaultKind
from entegrator.simulator.responses import answered_header, status_envelope
from entegrator.simulator.runtime import PROCESS, Runtime

__all__ = ["BoundReceiver", "store_incoming"]

log = logging.getLogger("entegrator.simulator")

_SEND_FAULTS: dict[int, type[GibFault]] = {
    2002: ArchiveFailure, 2003: QueueFailure, 2005: SystemFault, 2007: Suspended,
}
ACCEPTED = "ZARF KUYRUGA EKLENDI"


def store_incoming(rt: Runtime, file_name: str, data: bytes, *, origin: str,
                   note: str | None = None) -> int | None:
    """Store an envelope at 1000 with its processing job (one transaction); return its row id.

    Returns None when the envelope was dropped by fault injection (stored, never processed).
    Raises :class:`~entegrator.gib.AlreadyReceived` for a known envelope UUID.
    """
    facts = FaultFacts(origin, file_name[: -len(".zip")].lower())
    with rt.db.transaction() as conn:
        try:
            pk = records.insert_envelope(conn, file_name, data, origin=origin, now=rt.now(),
                                         status=1000, note=note)
        except records.EnvelopeExists as exc:
            raise AlreadyReceived() from exc
        dropped = rt.faults.take(FaultKind.DROP, facts) is not None
        delay = None if dropped else rt.faults.take(FaultKind.DELAY, facts)
        if not dropped:
            at = rt.later(delay.seconds or 0) if delay is not None else None
            rt.enqueue(conn, PROCESS, {"envelope": pk}, at=at, dedupe_key=f"process:{pk}")
    if dropped:
        log.info("zarf %s alındı ve hata kuralıyla işlenmeden bırakıldı", facts.envelope_id)
        return None
    rt.kick()
    return pk


class BoundReceiver:
    """The :class:`~entegrator.gib.DocumentReceiver` of Merkez for one calling integrator."""

    def __init__(self, rt: Runtime, integrator_id: str) -> None:
        self._rt = rt
        self._integrator = integrator_id

    def receive(self, file_name: str, data: bytes, hash: str, *, caller: Caller) -> ReceiveResult:
        """Store the envelope durably (row, zip, job) before answering; see the module doc."""
        rule = self._rt.faults.take(
            FaultKind.SEND_FAULT, FaultFacts(self._integrator, file_name[:-4].lower()))
        if rule is not None and rule.code is not None:
            log.info("sendDocument %s: hata kuralı %s döndürüyor", file_name, rule.code)
            raise _SEND_FAULTS[rule.code]()
        store_incoming(self._rt, file_name, data, origin=self._integrator)
        log.info("sendDocument %s alındı (%s, %s, %d bayt)", file_name, self._integrator,
                 caller.address, len(data))
        return ReceiveResult(message=ACCEPTED)

    def application_response(self, instance_id: str, *, caller: Caller) -> bytes:
        """The current status of an envelope this integrator sent; 2004 for any other."""
        with self._rt.db.transaction(read_only=True) as conn:
            record = records.by_envelope_id(conn, instance_id)
        if record is None or record.direction != "in" or record.origin != self._integrator \
                or record.status is None:
            raise UnknownEnvelope()
        vkn = self._rt.directory.get(self._integrator).vkn
        return status_envelope(answered_header(record, vkn), record.status, now=self._rt.now(),
                               detail=record.detail)
