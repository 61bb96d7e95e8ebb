"""The integrator's side of GİB's EFatura service: :class:`Receiver` implements the
:class:`entegrator.gib.ports.DocumentReceiver` port that :func:`entegrator.gib.efatura_routes`
serves to Merkez.

``receive`` is GİB's ``sendDocument`` towards us (Ek-3 §7.2.2: Merkez pushes SENDER-, POSTBOX-
and SYSTEMENVELOPEs to the integrator). It stores the zip in the archive, an ``envelopes``
row (direction IN, state ``received``) and the ``inbound.process`` job in ONE transaction,
and only then returns — the SOAP answer that tells Merkez "received" goes out after the
commit (gib/ports.py contract). Nothing about the bytes is judged here: a zip that is not a
zip is stored like any other and answered asynchronously with its status code (1110…), as
GİB does. The same envelope UUID twice → fault 2001 (:class:`~entegrator.gib.AlreadyReceived`)
and nothing is doubled (the unique ``(envelope_uuid, direction)`` constraint settles races).

``application_response`` is Merkez polling us with ``getApplicationResponse`` for an envelope
it delivered and still waits on (status 1220, Ek-3 §7.2.2): it returns the SYSTEMENVELOPE we
produced for that envelope. While the envelope is not processed yet it answers fault 2005
(retry later) rather than inventing a status; see docs/decisions/core-inbound.md.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from entegrator.envelope import envelope_id_from_file_name, unzip
from entegrator.gib import (
    AlreadyReceived,
    ArchiveFailure,
    Caller,
    ReceiveResult,
    SystemFault,
    UnknownEnvelope,
)
from entegrator.store import jobs
from entegrator.store.archive.errors import ArchiveError
from entegrator.store.archive.model import ArchiveKind, ArchiveMeta
from entegrator.store.domain import envelopes

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["PROCESS_JOB", "UNREAD_TYPE", "Receiver", "find_envelope"]

log = logging.getLogger("entegrator.core.inbound")

#: Job kind that reads, checks, routes and answers one received envelope.
PROCESS_JOB: Final = "inbound.process"
#: ``envelopes.type`` of a received envelope that has not been read yet.
UNREAD_TYPE: Final = "UNKNOWN"


def find_envelope(conn: Connection, envelope_uuid: str, direction: str) -> Any | None:
    """The ``envelopes`` row of ``envelope_uuid`` (any letter case) in ``direction``."""
    return conn.execute(
        select(envelopes).where(
            envelopes.c.envelope_uuid == envelope_uuid.lower(),
            envelopes.c.direction == direction,
        )
    ).first()


class Receiver:
    """Stores what Merkez delivers and answers Merkez's status polls (module docstring)."""

    def __init__(self, integrator: Integrator) -> None:
        self._integrator = integrator

    def receive(self, file_name: str, data: bytes, hash: str, *, caller: Caller) -> ReceiveResult:
        """Store the zipped envelope durably with its processing job, then return."""
        envelope_uuid = envelope_id_from_file_name(file_name).lower()
        try:
            row_id = self._store(envelope_uuid, data, hash, caller)
        except IntegrityError as exc:
            # Two deliveries of one envelope raced; the loser sees the winner's row.
            with self._integrator.db.transaction(read_only=True) as conn:
                if find_envelope(conn, envelope_uuid, "IN") is not None:
                    raise AlreadyReceived() from exc
            raise
        log.info("zarf alındı: %s (%d bayt, kayıt %d, %s)", envelope_uuid, len(data), row_id,
                 caller.address)
        return ReceiveResult()

    def _store(self, envelope_uuid: str, data: bytes, md5: str, caller: Caller) -> int:
        integrator = self._integrator
        now = integrator.clock.now()
        with integrator.db.transaction() as conn:
            if find_envelope(conn, envelope_uuid, "IN") is not None:
                raise AlreadyReceived()
            try:
                ref = integrator.archive.put(
                    conn, data, kind=ArchiveKind.ENVELOPE, direction="IN", tenant_id=None,
                    meta=ArchiveMeta(envelope_uuid=envelope_uuid, received_at=now),
                )
            except ArchiveError as exc:
                raise ArchiveFailure(f"zarf arşive eklenemedi: {exc}") from exc
            row_id: int = conn.execute(
                envelopes.insert()
                .values(
                    envelope_uuid=envelope_uuid, direction="IN", type=UNREAD_TYPE,
                    state="received", md5=md5.lower(), size=len(data),
                    archive_ref=ref.sha256, caller=caller.address[:64],
                    created_at=now, updated_at=now,
                )
                .returning(envelopes.c.id)
            ).scalar_one()
            jobs.enqueue(conn, PROCESS_JOB, {"envelope_id": row_id},
                         dedupe_key=f"{PROCESS_JOB}:{row_id}", clock=integrator.clock)
        return row_id

    def application_response(self, instance_id: str, *, caller: Caller) -> bytes:
        """The SYSTEMENVELOPE XML we produced for envelope ``instance_id``."""
        integrator = self._integrator
        with integrator.db.transaction(read_only=True) as conn:
            received = find_envelope(conn, instance_id, "IN")
            if received is None:
                raise UnknownEnvelope()
            if received.state == "received":
                # Not processed yet: ask again later rather than report a status we don't know.
                raise SystemFault(f"zarf {instance_id} henüz işlenmedi")
            answer_uuid = received.response_envelope_uuid
            answer = None if answer_uuid is None else find_envelope(conn, answer_uuid, "OUT")
            if answer is None or answer.archive_ref is None:
                # System and user envelopes are never answered (Ek-2 §4.3); an envelope we
                # could not even read has no sender to answer (its code is on the row).
                log.warning("getApplicationResponse %s: yanıtlanmamış zarf (%s, kod %s)",
                            instance_id, received.type, received.gib_status_code)
                raise UnknownEnvelope()
            data = integrator.archive.get(conn, answer.archive_ref)
        return unzip(data).data
