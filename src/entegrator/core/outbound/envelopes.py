"""Storing the SENDERENVELOPEs outbound builds, and reading back the ones it sends.

:func:`store_sender_envelopes` runs in the transaction that moves invoices to SENDING: each
envelope's zip goes to the archive, an ``envelopes`` row (OUT, state ``built``) and its
``envelope_items`` are inserted, and one ``outbound.send`` job per envelope is enqueued
(destination ``gib``, deduplicated by row id) — the same shape
:func:`entegrator.core.inbound.outgoing.store_outgoing` gives system responses and KABUL/RED
answers, so one sender job serves every OUT envelope.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert, select

from entegrator.core.outbound.jobkinds import SEND
from entegrator.envelope import Packed
from entegrator.store import jobs
from entegrator.store.archive.bulk import BulkItem, put_many
from entegrator.store.archive.model import ArchiveKind, ArchiveMeta, ArchiveRef
from entegrator.store.domain import envelope_items, envelopes

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = [
    "EnvelopeRow",
    "envelope_item",
    "load_envelope",
    "send_job",
    "store_sender_envelopes",
]

_e = envelopes.c


@dataclass(frozen=True, slots=True)
class EnvelopeRow:
    """One OUT envelope as the sender and status code see it."""

    id: int
    envelope_uuid: str
    type: str
    tenant_id: int | None
    state: str
    gib_status_code: int | None
    archive_ref: str | None
    sent_at: datetime | None
    created_at: datetime
    answers_envelope_uuid: str | None


def load_envelope(
    conn: Connection, *, envelope_id: int | None = None, envelope_uuid: str | None = None,
    for_update: bool = False,
) -> EnvelopeRow | None:
    """The OUT envelope with that row id or UUID, or None."""
    stmt = select(
        _e.id, _e.envelope_uuid, _e.type, _e.tenant_id, _e.state, _e.gib_status_code,
        _e.archive_ref, _e.sent_at, _e.created_at, _e.answers_envelope_uuid,
    ).where(_e.direction == "OUT")
    if envelope_id is not None:
        stmt = stmt.where(_e.id == envelope_id)
    elif envelope_uuid is not None:
        stmt = stmt.where(_e.envelope_uuid == envelope_uuid.lower())
    else:
        raise ValueError("give envelope_id or envelope_uuid")
    if for_update:
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).first()
    return None if row is None else EnvelopeRow(*row)


def send_job(integrator: Integrator, envelope_id: int) -> jobs.NewJob:
    """The ``outbound.send`` job of envelope row ``envelope_id``."""
    return jobs.NewJob(
        SEND, {"envelope_id": envelope_id}, destination=integrator.config.outbound.destination,
        dedupe_key=f"{SEND}:{envelope_id}",
    )


def store_sender_envelopes(
    conn: Connection,
    integrator: Integrator,
    tenant_id: int,
    packed: Sequence[Packed],
    document_ids: Sequence[int],
    *,
    now: datetime,
    archived: Sequence[ArchiveRef] | None = None,
) -> list[int]:
    """Archive, insert and queue ``packed`` (items index ``document_ids``); return row ids.

    ``archived`` are the zips' archive references when the caller archived them already
    (together with other documents, in one batch).
    """
    if not packed:
        return []
    refs = list(archived) if archived is not None else put_many(
        conn, integrator.archive, [envelope_item(envelope, now) for envelope in packed],
        tenant_id=tenant_id,
    )
    rows: list[dict[str, Any]] = []
    for envelope, ref in zip(packed, refs, strict=True):
        header, zipped = envelope.envelope.header, envelope.zipped
        rows.append({
            "envelope_uuid": header.envelope_id.lower(),
            "direction": "OUT",
            "type": header.type.value,
            "tenant_id": tenant_id,
            "sender_alias": header.sender.alias,
            "sender_vkn_tckn": header.sender.vkn_tckn,
            "receiver_alias": header.receiver.alias,
            "receiver_vkn_tckn": header.receiver.vkn_tckn,
            "document_count": len(envelope.items),
            "state": "built",
            "md5": zipped.md5,
            "size": len(zipped.data),
            "archive_ref": ref.sha256,
            "created_at": now,
            "updated_at": now,
        })
    ids = [
        row.id
        for row in conn.execute(
            insert(envelopes).returning(_e.id, sort_by_parameter_order=True), rows
        )
    ]
    conn.execute(
        insert(envelope_items),
        [
            {"envelope_id": envelope_id, "position": position,
             "document_id": document_ids[index]}
            for envelope_id, envelope in zip(ids, packed, strict=True)
            for position, index in enumerate(envelope.items)
        ],
    )
    jobs.enqueue_many(conn, [send_job(integrator, i) for i in ids], clock=integrator.clock)
    return ids


def envelope_item(envelope: Packed, now: datetime) -> BulkItem:
    """The archive item of a packed envelope's zip (as it will cross the wire)."""
    header = envelope.envelope.header
    return BulkItem(
        envelope.zipped.data, ArchiveKind.ENVELOPE, "OUT",
        ArchiveMeta(envelope_uuid=header.envelope_id.lower(), issue_date=now.date(),
                    counterpart_vkn_tckn=header.receiver.vkn_tckn,
                    counterpart_name=header.receiver.title),
    )
