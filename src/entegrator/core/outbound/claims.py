"""Taking a batch of queued invoices for one prepare run, and numbering it.

A prepare run works in three steps so that signing (CPU) happens outside any write
transaction — on SQLite the write transaction is the whole database's lock:

1. **claim** (this module, one short transaction): the oldest queued invoices of the taxpayer
   that nobody holds (``claim_until`` empty or past) are stamped with the run's token and a
   lease, and every one without a number gets the next numbers of its series counter
   (:func:`entegrator.core.numbering.next_numbers`, which locks the counter row). The numbers
   commit *with their documents*: no number exists without its invoice, none is given twice.
2. **sign and pack** (:mod:`.prepare`, no transaction);
3. **commit** (:mod:`.prepare`): only documents still queued and still held by the token move
   to SENDING.

A run that dies after step 1 leaves numbered, queued invoices whose lease runs out; the next
run takes them and signs them with the numbers they already have. Two runs never hold the
same invoice (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: one writer at a time), and the
series counter serialises numbering, so concurrent runs for one taxpayer stay gapless; within
a batch numbers follow the queue order (document id).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, or_

from entegrator.core.numbering import next_numbers
from entegrator.store.domain import document_contents, documents
from entegrator.store.tenancy import TenantScope

__all__ = ["Claimed", "claim_batch", "earliest_lease", "eligible", "release"]

_d = documents.c
_c = document_contents.c


@dataclass(frozen=True, slots=True)
class Claimed:
    """A queued invoice held by a prepare run, with the number it will carry."""

    id: int
    ettn: str
    number: str
    profile: str
    issue_date: date
    receiver_alias: str | None
    counterpart_vkn_tckn: str
    counterpart_name: str | None
    content: bytes


def eligible(now: datetime) -> Any:
    """Queued outgoing invoices no prepare run holds at ``now``."""
    return and_(
        _d.direction == "OUT",
        _d.state == "queued",
        or_(_d.claim_until.is_(None), _d.claim_until < now),
    )


def claim_batch(
    conn: Connection, scope: TenantScope, *, token: str, now: datetime, lease: float,
    limit: int,
) -> list[Claimed]:
    """Claim and number up to ``limit`` of the tenant's queued invoices (see module doc)."""
    candidates = scope.execute(
        scope.select(documents, _d.id, _d.number, _d.series, _d.issue_date)
        .where(eligible(now))
        .order_by(_d.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not candidates:
        return []
    ids = [row.id for row in candidates]
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for row in candidates:
        if row.number is None:
            if row.series is None:
                raise ValueError(f"queued document {row.id} has neither number nor series")
            groups[(row.series, row.issue_date.year)].append(row.id)
    numbers: dict[int, str] = {}
    for (prefix, year) in sorted(groups):
        members = groups[(prefix, year)]
        numbers.update(zip(members, next_numbers(conn, scope, prefix, year, len(members)),
                           strict=True))
    # One row version per document: claim and number together (executemany: pipelined by
    # psycopg, a C loop in sqlite3).
    scope.execute(
        scope.update(documents)
        .where(_d.id == bindparam("doc_id"))
        .values(claim_token=token, claim_until=now + timedelta(seconds=lease),
                number=func.coalesce(bindparam("new_number", type_=_d.number.type), _d.number),
                updated_at=now),
        [{"doc_id": doc_id, "new_number": numbers.get(doc_id)} for doc_id in ids],
    )
    rows = scope.execute(
        scope.select(documents, _d.id, _d.ettn, _d.number, _d.profile, _d.issue_date,
                     _d.receiver_alias, _d.counterpart_vkn_tckn, _d.counterpart_name)
        .where(_d.id.in_(ids))
        .order_by(_d.id)
    ).all()
    contents = dict(
        scope.execute(
            scope.select(document_contents, _c.document_id, _c.content)
            .where(_c.document_id.in_(ids))
        ).all()
    )
    return [Claimed(*row, content=contents[row.id]) for row in rows]


def release(conn: Connection, scope: TenantScope, token: str) -> None:
    """Give back whatever ``token`` still holds (after a failed run); numbers stay."""
    scope.execute(
        scope.update(documents)
        .where(_d.claim_token == token, _d.state == "queued")
        .values(claim_token=None, claim_until=None)
    )


def earliest_lease(scope: TenantScope, now: datetime) -> datetime | None:
    """When the first claim held by another run on a queued invoice runs out (None: none)."""
    value = scope.execute(
        scope.select(documents, func.min(_d.claim_until)).where(
            _d.direction == "OUT", _d.state == "queued", _d.claim_until >= now
        )
    ).scalar_one_or_none()
    return value
