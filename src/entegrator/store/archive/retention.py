"""Retention and legal holds: nothing goes before its time, and only when an operator says so.

A document is kept at least until the end of the ``retention_years``-th year after its
issue year (VUK 253: ten years; configurable upward only). It is *expired* when that date
has passed — checked against both the date recorded when it was archived and today's
configuration, so raising the setting later protects old documents too — and no active
legal hold covers it. A hold names a taxpayer (or every taxpayer) and optionally an
issue-date range; placing and releasing holds is audited.

:func:`purge` removes expired documents only with ``confirm=True``: the entry stays as a
tombstone (id, hash, kind, direction, times — what the hash chain covers) with its
searchable facts cleared, the content is deleted once no other entry uses it, and each run is
audited. Directory files are deleted only after the transaction committed; a crash in between
leaves orphans that :func:`~entegrator.store.archive.maintenance.collect_orphans` removes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, delete, exists, insert, or_, select, update

from entegrator.store import audit
from entegrator.store.archive.backends import BlobKey
from entegrator.store.archive.entries import entry_from_row
from entegrator.store.archive.errors import ArchiveError, RetentionViolation
from entegrator.store.archive.model import ArchiveEntry
from entegrator.store.archive.service import Archive
from entegrator.store.archive.tables import (
    archive_content_parts as content_parts,
)
from entegrator.store.archive.tables import (
    archive_contents as contents,
)
from entegrator.store.archive.tables import (
    archive_documents as docs,
)
from entegrator.store.archive.tables import (
    archive_holds as holds,
)
from entegrator.store.audit import Actor
from entegrator.store.db import Database
from entegrator.store.tenancy import all_tenants

__all__ = [
    "Hold",
    "PurgeReport",
    "expired",
    "list_holds",
    "place_hold",
    "purge",
    "release_hold",
]

_BATCH = 500
#: What a purge clears: every search fact (and the content link); the hash chain's facts stay.
_CLEARED = dict.fromkeys(
    (
        "ettn",
        "number",
        "envelope_uuid",
        "received_at",
        "counterpart_vkn_tckn",
        "counterpart_name",
        "counterpart_key",
        "counterpart_words",
        "profile",
        "invoice_type",
        "status",
        "payable_amount",
        "currency",
        "content_id",
    )
)


@dataclass(frozen=True, slots=True)
class Hold:
    """A legal hold: keeps a taxpayer's (or everyone's) documents past retention."""

    id: int
    tenant_id: int | None
    reason: str
    issued_from: date | None
    issued_to: date | None
    placed_by: str | None
    active: bool


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge removed."""

    entries: int
    contents: int
    bytes_freed: int


def place_hold(
    conn: Connection,
    archive: Archive,
    *,
    actor: Actor,
    reason: str,
    tenant_id: int | None = None,
    issued_from: date | None = None,
    issued_to: date | None = None,
) -> int:
    """Place a legal hold (audited); return its id."""
    if not reason.strip():
        raise ArchiveError("yasal saklama kararı için bir gerekçe yazılmalı")
    if issued_from and issued_to and issued_from > issued_to:
        raise ArchiveError("yasal saklama tarih aralığı ters")
    values = {
        "tenant_id": tenant_id,
        "reason": reason.strip(),
        "issued_from": issued_from,
        "issued_to": issued_to,
        "placed_at": archive.now(),
        "placed_by": actor.id,
    }
    hold_id = int(
        conn.execute(all_tenants(insert(holds).values(values).returning(holds.c.id))).scalar_one()
    )
    audit.record(
        conn,
        actor,
        "archive.hold_placed",
        tenant_id=tenant_id,
        object_type="archive_hold",
        object_id=hold_id,
        details={
            "reason": reason.strip(),
            "issued_from": issued_from.isoformat() if issued_from else None,
            "issued_to": issued_to.isoformat() if issued_to else None,
        },
        clock=archive.clock,
    )
    return hold_id


def release_hold(conn: Connection, archive: Archive, hold_id: int, *, actor: Actor) -> None:
    """Release an active hold (audited)."""
    stmt = all_tenants(
        update(holds)
        .where(holds.c.id == hold_id, holds.c.released_at.is_(None))
        .values(released_at=archive.now(), released_by=actor.id)
        .returning(holds.c.tenant_id)
    )
    row = conn.execute(stmt).one_or_none()
    if row is None:
        raise ArchiveError(f"etkin yasal saklama kararı bulunamadı: {hold_id}")
    audit.record(
        conn,
        actor,
        "archive.hold_released",
        tenant_id=row.tenant_id,
        object_type="archive_hold",
        object_id=hold_id,
        clock=archive.clock,
    )


def list_holds(conn: Connection, *, active_only: bool = True) -> list[Hold]:
    """Legal holds, oldest first."""
    stmt = select(holds).order_by(holds.c.id)
    if active_only:
        stmt = stmt.where(holds.c.released_at.is_(None))
    return [
        Hold(r.id, r.tenant_id, r.reason, r.issued_from, r.issued_to, r.placed_by,
             r.released_at is None)
        for r in conn.execute(all_tenants(stmt))
    ]


def _expired_select(archive: Archive, tenant_id: int | None) -> Select[Any]:
    today = archive.now().astimezone(archive.config.zone).date()
    horizon = date(today.year - archive.config.retention_years, 1, 1)
    held = exists().where(
        holds.c.released_at.is_(None),
        or_(holds.c.tenant_id.is_(None), holds.c.tenant_id == docs.c.tenant_id),
        or_(holds.c.issued_from.is_(None), docs.c.issue_date >= holds.c.issued_from),
        or_(holds.c.issued_to.is_(None), docs.c.issue_date <= holds.c.issued_to),
    )
    stmt = select(docs).where(
        docs.c.purged_at.is_(None),
        docs.c.retain_until < today,
        docs.c.issue_date < horizon,
        ~held,
    )
    if tenant_id is not None:
        stmt = stmt.where(docs.c.tenant_id == tenant_id)
    return all_tenants(stmt)


def expired(
    conn: Connection, archive: Archive, *, tenant_id: int | None = None
) -> Iterator[ArchiveEntry]:
    """Entries past retention and under no hold, oldest id first (operator report)."""
    after = 0
    while True:
        stmt = (
            _expired_select(archive, tenant_id)
            .where(docs.c.id > after)
            .order_by(docs.c.id)
            .limit(_BATCH)
        )
        rows = conn.execute(stmt).all()
        if not rows:
            return
        yield from (entry_from_row(row) for row in rows)
        after = rows[-1].id


def purge(
    db: Database,
    archive: Archive,
    *,
    actor: Actor,
    confirm: bool,
    tenant_id: int | None = None,
) -> PurgeReport:
    """Delete every expired document (``confirm=True`` required); audited per batch."""
    if not confirm:
        raise RetentionViolation("silme onaylanmadı: saklama süresi dolan belgeler silinmedi")
    total_entries = total_contents = total_bytes = 0
    while True:
        files: list[tuple[str, BlobKey]] = []
        with db.transaction() as conn:
            rows = conn.execute(
                _expired_select(archive, tenant_id).order_by(docs.c.id).limit(_BATCH)
            ).all()
            if not rows:
                break
            freed = _purge_batch(conn, archive, rows, files)
            total_entries += len(rows)
            total_contents += freed[0]
            total_bytes += freed[1]
            audit.record(
                conn,
                actor,
                "archive.purged",
                object_type="archive",
                details={
                    "entries": len(rows),
                    "first_id": rows[0].id,
                    "last_id": rows[-1].id,
                    "contents": freed[0],
                    "bytes": freed[1],
                },
                clock=archive.clock,
            )
        for location, key in files:  # committed: now the files may go
            archive.backends[location].delete(conn, key)
    return PurgeReport(total_entries, total_contents, total_bytes)


def _purge_batch(
    conn: Connection, archive: Archive, rows: list[Any], files: list[tuple[str, BlobKey]]
) -> tuple[int, int]:
    ids = [row.id for row in rows]
    content_ids = {row.content_id for row in rows if row.content_id is not None}
    cleared = dict(_CLEARED)
    if conn.dialect.name != "postgresql":
        cleared.pop("counterpart_words")
    conn.execute(
        all_tenants(
            update(docs).where(docs.c.id.in_(ids)).values(purged_at=archive.now(), **cleared)
        )
    )
    count = size = 0
    candidates = set(content_ids)
    while candidates:
        unused = _unused(conn, candidates)
        if not unused:
            break
        parts = set(
            conn.execute(
                select(content_parts.c.part_id).where(content_parts.c.content_id.in_(unused))
            ).scalars()
        )
        conn.execute(delete(content_parts).where(content_parts.c.content_id.in_(unused)))
        for row in conn.execute(select(contents).where(contents.c.id.in_(unused))).all():
            key = BlobKey(row.id, row.month, row.sha256)
            if row.location == "db":
                archive.backends["db"].delete(conn, key)
            else:
                files.append((row.location, key))
            count += 1
            size += int(row.stored_size)
        conn.execute(delete(contents).where(contents.c.id.in_(unused)))
        candidates = parts - unused
    return count, size


def _unused(conn: Connection, candidates: set[int]) -> set[int]:
    """The candidate contents no entry and no other content refers to any more."""
    by_entry = exists().where(docs.c.content_id == contents.c.id)
    by_content = exists().where(content_parts.c.part_id == contents.c.id)
    stmt = select(contents.c.id).where(
        contents.c.id.in_(candidates), and_(~by_entry, ~by_content)
    )
    return set(conn.execute(all_tenants(stmt)).scalars())
