"""Envelope records: what Merkez keeps about every envelope, and its status history.

Every status change goes through :func:`set_status`, which writes the new code and an event
row in the caller's transaction, optionally only when the current code is one of
``only_from`` (so a late worker cannot move an envelope backwards). Codes follow Ek-2 §4.1:
1000 queued → 1100 processing → 11xx failure | 1200 → 1210 … 1215 | 1220 → 1300 | 1230.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from entegrator.envelope import Envelope, envelope_id_from_file_name, md5_hex
from entegrator.errors import NotFound
from entegrator.simulator.tables import envelope_data, envelopes, events, invoices
from entegrator.store.dialect import insert_for

__all__ = [
    "EnvelopeRecord",
    "Event",
    "InvoiceKey",
    "by_envelope_id",
    "envelope_events",
    "get",
    "insert_envelope",
    "load_zip",
    "register_invoices",
    "set_header",
    "set_status",
    "unregister_invoices",
    "update_fields",
]

_e = envelopes.c


@dataclass(frozen=True, slots=True)
class EnvelopeRecord:
    """One row of ``sim_envelopes``."""

    id: int
    envelope_id: str
    file_name: str
    direction: str
    origin: str
    type: str | None
    element_type: str | None
    element_count: int | None
    sender_alias: str | None
    sender_vkn: str | None
    receiver_alias: str | None
    receiver_vkn: str | None
    header_created: str | None
    status: int | None
    detail: str | None
    target: str | None
    answers: str | None
    attempts: int
    polls: int
    md5: str
    size: int
    received_at: datetime
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for key in ("received_at", "updated_at"):
            data[key] = data[key].isoformat()
        return data


@dataclass(frozen=True, slots=True)
class Event:
    """One status change of an envelope."""

    code: int
    at: datetime
    note: str | None


@dataclass(frozen=True, slots=True)
class InvoiceKey:
    """What makes an invoice unique at Merkez: its ETTN, and its number per supplier."""

    ettn: str
    sender_vkn: str
    number: str


class EnvelopeExists(Exception):
    """An envelope with this UUID is already stored (internal; becomes fault 2001)."""


def insert_envelope(conn: Connection, file_name: str, data: bytes, *, origin: str, now: datetime,
                    status: int | None, direction: str = "in", note: str | None = None,
                    **fields: Any) -> int:
    """Store a zipped envelope and its row (and a first event when ``status`` is given).

    Raises :class:`EnvelopeExists` when the envelope UUID is already stored.
    """
    envelope_id = envelope_id_from_file_name(file_name).lower()
    values = {"envelope_id": envelope_id, "file_name": file_name, "direction": direction,
              "origin": origin, "status": status, "attempts": 0, "polls": 0,
              "md5": md5_hex(data), "size": len(data), "received_at": now, "updated_at": now,
              **fields}
    try:
        with conn.begin_nested():
            pk = conn.execute(insert(envelopes).values(values).returning(_e.id)).scalar_one()
    except IntegrityError as exc:
        raise EnvelopeExists(envelope_id) from exc
    conn.execute(insert(envelope_data).values(envelope=pk, data=data))
    if status is not None:
        conn.execute(insert(events).values(envelope=pk, code=status, note=note, at=now))
    return int(pk)


def _record(row: Any) -> EnvelopeRecord:
    return EnvelopeRecord(**row._asdict())


def get(conn: Connection, pk: int) -> EnvelopeRecord:
    """The envelope with primary key ``pk``."""
    row = conn.execute(select(envelopes).where(_e.id == pk)).first()
    if row is None:
        raise NotFound(f"zarf kaydı yok: {pk}")
    return _record(row)


def by_envelope_id(conn: Connection, envelope_id: str) -> EnvelopeRecord | None:
    """The envelope with this UUID (any letter case), or None."""
    row = conn.execute(select(envelopes).where(_e.envelope_id == envelope_id.lower())).first()
    return None if row is None else _record(row)


def load_zip(conn: Connection, pk: int) -> bytes:
    """The zip bytes exactly as received (or made)."""
    return bytes(conn.execute(
        select(envelope_data.c.data).where(envelope_data.c.envelope == pk)).scalar_one())


def set_header(conn: Connection, pk: int, envelope: Envelope, *, now: datetime) -> None:
    """Record the facts read from the envelope's SBDH header."""
    header = envelope.header
    conn.execute(update(envelopes).where(_e.id == pk).values(
        type=header.type.value, element_type=envelope.element_type.value,
        element_count=len(envelope.elements),
        sender_alias=header.sender.alias[:250], sender_vkn=header.sender.vkn_tckn[:11],
        receiver_alias=header.receiver.alias[:250], receiver_vkn=header.receiver.vkn_tckn[:11],
        header_created=header.created_at.isoformat()[:40], updated_at=now))


def set_status(conn: Connection, pk: int, code: int, *, now: datetime, note: str | None = None,
               only_from: Collection[int] | None = None, **fields: Any) -> bool:
    """Move envelope ``pk`` to ``code`` (with an event); False if ``only_from`` did not match."""
    stmt = update(envelopes).where(_e.id == pk)
    if only_from is not None:
        stmt = stmt.where(_e.status.in_(list(only_from)))
    result = conn.execute(stmt.values(status=code, updated_at=now, **fields))
    if result.rowcount != 1:
        return False
    conn.execute(insert(events).values(envelope=pk, code=code, note=note, at=now))
    return True


def update_fields(conn: Connection, pk: int, *, now: datetime, **fields: Any) -> None:
    """Change bookkeeping columns (attempts, polls …) without a status event."""
    conn.execute(update(envelopes).where(_e.id == pk).values(updated_at=now, **fields))


def envelope_events(conn: Connection, pk: int) -> list[Event]:
    """The status history of envelope ``pk``, oldest first."""
    rows = conn.execute(select(events.c.code, events.c.at, events.c.note)
                        .where(events.c.envelope == pk).order_by(events.c.id))
    return [Event(code, at, note) for code, at, note in rows]


def register_invoices(conn: Connection, pk: int, keys: Sequence[InvoiceKey]) -> bool:
    """Register the invoices of envelope ``pk``; False (nothing kept) if one is registered.

    Runs in a savepoint, so a duplicate (same ETTN, or same number of the same supplier, in an
    envelope that is alive or done) leaves nothing behind: that envelope gets 1163.
    """
    if not keys:
        return True
    rows = [{"envelope": pk, "ettn": k.ettn.lower(), "sender_vkn": k.sender_vkn,
             "number": k.number} for k in keys]
    savepoint = conn.begin_nested()
    try:
        stmt = insert_for(conn, invoices).on_conflict_do_nothing()
        inserted = len(conn.execute(stmt.returning(invoices.c.id), rows).all())
    except IntegrityError:
        savepoint.rollback()
        return False
    if inserted != len(rows):
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def unregister_invoices(conn: Connection, pk: int) -> None:
    """Free the invoices of envelope ``pk`` (after 1215 or 1230 they may be sent again)."""
    conn.execute(delete(invoices).where(invoices.c.envelope == pk))
