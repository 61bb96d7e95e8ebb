"""The daily hash chain: deletion, insertion or reordering of archive entries is detectable.

Once a day is over (plus a grace period for transactions still committing), :func:`seal`
takes every entry not yet chained and archived before the day's end, in id order, numbers
them (``chain_day``, ``chain_seq``) and computes the day's root::

    root(D) = SHA-256( root(D-1) ‖ "D" ‖ leaf_1 ‖ … ‖ leaf_n ‖ n )
    leaf    = SHA-256( "id|sha256|kind|direction|archived_at" )

The root goes to ``archive_chain`` and, as ``archive.day_sealed``, to the append-only audit
log (GİB Saklama Kılavuzu Ek 1: logs kept unchangeable, "günlük arşiv imzalı"). Every day is
sealed, also days without entries, so the chain has no gaps. The leaf covers only facts
that never change (the search facts and the taxpayer may be updated); a purge after
retention keeps the entry as a tombstone, so purged days still verify.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, func, insert, select, update

from entegrator.store import audit
from entegrator.store.archive.tables import archive_chain
from entegrator.store.archive.tables import archive_documents as docs
from entegrator.store.audit import Actor
from entegrator.store.clock import Clock
from entegrator.store.tenancy import all_tenants

__all__ = [
    "GENESIS",
    "SEALED_ACTION",
    "DayDigest",
    "DaySeal",
    "day_end",
    "leaf",
    "root_of",
    "seal",
]

#: The root before the first sealed day.
GENESIS = "0" * 64
#: Audit action carrying each day's root.
SEALED_ACTION = "archive.day_sealed"
_BATCH = 5000


@dataclass(frozen=True, slots=True)
class DaySeal:
    """One sealed day: how many entries, which ids, the previous and the new root."""

    day: date
    count: int
    first_id: int | None
    last_id: int | None
    previous_root: str
    root: str


def leaf(entry_id: int, sha256: str, kind: str, direction: str, archived_at: datetime) -> bytes:
    """The hash of one entry's unchangeable facts."""
    stamp = archived_at.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return hashlib.sha256(f"{entry_id}|{sha256}|{kind}|{direction}|{stamp}".encode()).digest()


class DayDigest:
    """The running root of one day: feed leaves in order, then :meth:`finish`."""

    def __init__(self, previous_root: str, day: date) -> None:
        self._hash = hashlib.sha256(bytes.fromhex(previous_root))
        self._hash.update(day.isoformat().encode())
        self.count = 0

    def add(self, item: bytes) -> None:
        """Add the next leaf."""
        self._hash.update(item)
        self.count += 1

    def finish(self) -> str:
        """The day's root (the count is hashed last)."""
        self._hash.update(str(self.count).encode())
        return self._hash.hexdigest()


def root_of(previous_root: str, day: date, leaves: Iterable[bytes]) -> tuple[str, int]:
    """``(root, count)`` of a day from the previous root and the day's leaves in order."""
    digest = DayDigest(previous_root, day)
    for item in leaves:
        digest.add(item)
    return digest.finish(), digest.count


def day_end(day: date, zone: ZoneInfo) -> datetime:
    """The first instant after ``day`` in the archive's time zone."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def seal(
    conn: Connection,
    *,
    clock: Clock,
    zone: ZoneInfo,
    grace: timedelta,
    actor: Actor | None = None,
    until: date | None = None,
) -> list[DaySeal]:
    """Seal every finished day not sealed yet (up to ``until``); return what was sealed.

    Run it daily (job ``archive.seal``); it is idempotent. On PostgreSQL the last chain row
    is locked, so two sealers queue instead of forking the chain.
    """
    now = clock.now()
    last = _last_sealed(conn)
    if last is None:
        first_unsealed = conn.execute(
            all_tenants(select(func.min(docs.c.archived_at)).where(docs.c.chain_day.is_(None)))
        ).scalar_one_or_none()
        if first_unsealed is None:
            return []
        day, previous_root = first_unsealed.astimezone(zone).date(), GENESIS
    else:
        day, previous_root = last.day + timedelta(days=1), last.root
    sealed: list[DaySeal] = []
    who = actor or Actor.system("archive")
    while day_end(day, zone) + grace <= now and (until is None or day <= until):
        day_seal = _seal_day(conn, day, previous_root, day_end(day, zone), now)
        audit.record(
            conn,
            who,
            SEALED_ACTION,
            object_type="archive_day",
            object_id=day.isoformat(),
            details={
                "day": day.isoformat(),
                "count": day_seal.count,
                "first_id": day_seal.first_id,
                "last_id": day_seal.last_id,
                "previous_root": day_seal.previous_root,
                "root": day_seal.root,
            },
            clock=clock,
        )
        sealed.append(day_seal)
        previous_root = day_seal.root
        day += timedelta(days=1)
    return sealed


def _last_sealed(conn: Connection) -> Any:
    stmt = select(archive_chain).order_by(archive_chain.c.day.desc()).limit(1)
    return conn.execute(stmt.with_for_update()).one_or_none()


def _seal_day(
    conn: Connection, day: date, previous_root: str, end: datetime, now: datetime
) -> DaySeal:
    digest = DayDigest(previous_root, day)
    first: int | None = None
    last: int | None = None
    numbering = (
        update(docs)
        .where(docs.c.id == bindparam("entry_id"))
        .values(chain_day=day, chain_seq=bindparam("seq"))
    )
    for rows in _unchained(conn, end):  # batch by batch: a busy day is never held in memory
        params = []
        for row in rows:
            digest.add(leaf(row.id, row.sha256, row.kind, row.direction, row.archived_at))
            params.append({"entry_id": row.id, "seq": digest.count})
        conn.execute(all_tenants(numbering), params)
        first = rows[0].id if first is None else first
        last = rows[-1].id
    result = DaySeal(day, digest.count, first, last, previous_root, digest.finish())
    conn.execute(
        insert(archive_chain).values(
            day=day,
            count=result.count,
            first_id=first,
            last_id=last,
            previous_root=previous_root,
            root=result.root,
            sealed_at=now,
        )
    )
    return result


def _unchained(conn: Connection, end: datetime) -> Iterator[list[Any]]:
    after = 0
    while True:
        stmt = all_tenants(
            select(docs.c.id, docs.c.sha256, docs.c.kind, docs.c.direction, docs.c.archived_at)
            .where(docs.c.chain_day.is_(None), docs.c.archived_at < end, docs.c.id > after)
            .order_by(docs.c.id)
            .limit(_BATCH)
        )
        rows = list(conn.execute(stmt))
        if not rows:
            return
        yield rows
        after = rows[-1].id
