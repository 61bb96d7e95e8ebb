"""Hand an envelope that core built outside the invoice queue to the sender job.

Our system responses (SYSTEMENVELOPE, Ek-2) and our KABUL/RED answers (POSTBOXENVELOPE,
Entegrasyon Kılavuzu §3.2) travel like invoices: the zip goes to the archive, an ``envelopes``
row (direction OUT, state ``built``) and an ``outbound.send`` job are written in the caller's
transaction — the same one as the state change that causes them — and outbound's sender job
delivers the zip to Merkez with ``sendDocument`` (retries, circuit breaker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection

from entegrator.core.outbound.envelopes import send_job
from entegrator.envelope import BuiltEnvelope
from entegrator.store import jobs
from entegrator.store.archive.model import ArchiveKind, ArchiveMeta
from entegrator.store.domain import envelopes

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["store_outgoing"]


def store_outgoing(
    conn: Connection,
    integrator: Integrator,
    built: BuiltEnvelope,
    *,
    tenant_id: int | None,
    answers: str | None = None,
) -> int:
    """Archive ``built``'s zip, insert its OUT row, enqueue its send job; return the row id.

    ``answers`` is the envelope a SYSTEMENVELOPE answers (``answers_envelope_uuid``).
    """
    zipped = built.zipped()
    header = built.header
    now = integrator.clock.now()
    ref = integrator.archive.put(
        conn, zipped.data, kind=ArchiveKind.ENVELOPE, direction="OUT", tenant_id=tenant_id,
        meta=ArchiveMeta(envelope_uuid=header.envelope_id.lower(), issue_date=now.date()),
    )
    row_id: int = conn.execute(
        envelopes.insert()
        .values(
            envelope_uuid=header.envelope_id.lower(),
            direction="OUT",
            type=header.type.value,
            tenant_id=tenant_id,
            sender_alias=header.sender.alias,
            sender_vkn_tckn=header.sender.vkn_tckn,
            receiver_alias=header.receiver.alias,
            receiver_vkn_tckn=header.receiver.vkn_tckn,
            document_count=len(built.document_uuids),
            state="built",
            answers_envelope_uuid=None if answers is None else answers.lower(),
            md5=zipped.md5,
            size=len(zipped.data),
            archive_ref=ref.sha256,
            created_at=now,
            updated_at=now,
        )
        .returning(envelopes.c.id)
    ).scalar_one()
    jobs.enqueue_many(conn, [send_job(integrator, row_id)], clock=integrator.clock)
    return row_id
