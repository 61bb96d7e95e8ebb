"""Archiving many documents of one taxpayer at once (imports, migrations, benchmarks).

Same result as calling :meth:`Archive.put` for each document, with a few statements per
batch instead of several per document: hashes and encodings are computed first, existing
entries and contents are looked up with one ``IN`` query each, and the new rows go in with
multi-row INSERTs (``RETURNING`` ids). Runs on the caller's connection, so the batch
commits or rolls back as a whole. Facts of an entry that already exists are left as they
are (``put`` would fill the missing ones).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select

from entegrator.store.archive.backends import BlobKey, DatabaseBlobs
from entegrator.store.archive.codec import pack_skeleton, split
from entegrator.store.archive.entries import (
    fact_values,
    retain_until,
    scoped_select,
    words_of,
)
from entegrator.store.archive.model import ArchiveKind, ArchiveMeta, ArchiveRef, Direction
from entegrator.store.archive.service import Archive, _check
from entegrator.store.archive.tables import (
    archive_content_parts,
    archive_contents,
)
from entegrator.store.archive.tables import (
    archive_documents as docs,
)
from entegrator.store.dialect import insert_for
from entegrator.store.tenancy import TenantScope, all_tenants

__all__ = ["BulkItem", "put_many"]


@dataclass(frozen=True, slots=True)
class BulkItem:
    """One document for :func:`put_many`."""

    content: bytes
    kind: ArchiveKind
    direction: Direction
    meta: ArchiveMeta


def put_many(
    conn: Connection,
    archive: Archive,
    items: Sequence[BulkItem],
    *,
    tenant_id: int | None,
    source: str = "live",
) -> list[ArchiveRef]:
    """Archive ``items`` for ``tenant_id``; their references, in order."""
    if not items:
        return []
    for item in items:
        _check(item.content, item.kind, item.direction, tenant_id)
    shas = [hashlib.sha256(item.content).hexdigest() for item in items]
    now = archive.now()
    local = now.astimezone(archive.config.zone)
    month = local.year * 100 + local.month
    content_ids = _content_ids(conn, archive, items, shas, now=now, month=month)
    existing = {
        (row.kind, row.direction, row.sha256): int(row.id)
        for row in conn.execute(
            scoped_select(conn, tenant_id, docs.c.id, docs.c.kind, docs.c.direction, docs.c.sha256)
            .where(docs.c.sha256.in_(set(shas)))
        )
    }
    new_rows: list[dict[str, Any]] = []
    new_keys: list[tuple[str, str, str]] = []
    for item, sha in zip(items, shas, strict=True):
        key = (item.kind.value, item.direction, sha)
        if key in existing or key in new_keys:
            continue
        values = fact_values(item.meta, conn.dialect.name)
        issue_date = values.setdefault("issue_date", local.date())
        values.update(
            content_id=content_ids[sha],
            sha256=sha,
            kind=item.kind.value,
            direction=item.direction,
            size=len(item.content),
            archived_at=now,
            source=source,
            retain_until=retain_until(issue_date, archive.config.retention_years),
            tenant_id=tenant_id,
        )
        new_rows.append(values)
        new_keys.append(key)
    if new_rows:
        _insert_entries(conn, tenant_id, new_rows, new_keys, existing)
    return [
        ArchiveRef(sha, existing[(item.kind.value, item.direction, sha)])
        for item, sha in zip(items, shas, strict=True)
    ]


def _insert_entries(
    conn: Connection,
    tenant_id: int | None,
    rows: list[dict[str, Any]],
    keys: list[tuple[str, str, str]],
    into: dict[tuple[str, str, str], int],
) -> None:
    # Rows differ in which facts they carry: give every row every column.
    columns = sorted({name for row in rows for name in row} - {"tenant_id", "counterpart_words"})
    params = [{name: row.get(name) for name in columns} for row in rows]
    if tenant_id is None:
        stmt = all_tenants(insert(docs).values(tenant_id=None))
    else:
        stmt = TenantScope(conn, tenant_id).insert(docs)
    if conn.dialect.name == "postgresql":  # the title's words, computed in SQL per row
        for param in params:
            param["words_key"] = param.get("counterpart_key")
        stmt = stmt.values(counterpart_words=words_of(bindparam("words_key")))
    returning = stmt.returning(docs.c.id, sort_by_parameter_order=True)
    ids = conn.execute(returning, params).scalars().all()
    for key, entry_id in zip(keys, ids, strict=True):
        into[key] = int(entry_id)


def _content_ids(
    conn: Connection,
    archive: Archive,
    items: Sequence[BulkItem],
    shas: list[str],
    *,
    now: Any,
    month: int,
) -> dict[str, int]:
    """Catalog ids of every content in the batch, storing the new ones."""
    found = {
        row.sha256: int(row.id)
        for row in conn.execute(
            select(archive_contents.c.id, archive_contents.c.sha256).where(
                archive_contents.c.sha256.in_(set(shas))
            )
        )
    }
    store = archive.contents
    rows: list[dict[str, Any]] = []
    blobs: list[bytes] = []
    parts_of: list[list[int]] = []
    pending: set[str] = set()
    part_ids_by_digest: dict[bytes, int] = {}
    for item, sha in zip(items, shas, strict=True):
        if sha in found or sha in pending:
            continue
        pending.add(sha)
        pieces = split(item.content, store.part_min_bytes)
        part_ids: list[int] = []
        if pieces.parts:
            refs = []
            for offset, data in pieces.parts:
                digest = hashlib.sha256(data).digest()
                part_id = part_ids_by_digest.get(digest)
                if part_id is None:
                    part_id = store.store(conn, data, digest.hex(), "part", now=now, month=month)
                    part_ids_by_digest[digest] = part_id
                part_ids.append(part_id)
                refs.append((offset, digest))
            payload, layout = pack_skeleton(pieces.skeleton, refs), "split"
        else:
            payload, layout = item.content, "whole"
        dictionary = None
        if item.kind is not ArchiveKind.ENVELOPE:
            dictionary = store.dictionaries.current(conn, item.kind.value)
        encoded, codec = store.codec.compress(payload, dictionary), "zstd"
        if len(encoded) >= len(payload):
            encoded, codec, dictionary = payload, "raw", None
        rows.append(
            {
                "sha256": sha,
                "size": len(item.content),
                "stored_size": len(encoded),
                "layout": layout,
                "codec": codec,
                "dictionary_id": dictionary[0] if dictionary else None,
                "location": store.write_location,
                "month": month,
                "created_at": now,
            }
        )
        blobs.append(encoded)
        parts_of.append(part_ids)
    if not rows:
        return found
    stmt = (
        insert_for(conn, archive_contents)
        .on_conflict_do_nothing(index_elements=["sha256"])
        .returning(archive_contents.c.id, archive_contents.c.sha256, sort_by_parameter_order=True)
    )
    inserted = {row.sha256: int(row.id) for row in conn.execute(stmt, rows)}
    backend = store.blobs[store.write_location]
    blob_rows = []
    part_rows = []
    for row, encoded, part_ids in zip(rows, blobs, parts_of, strict=True):
        content_id = inserted.get(row["sha256"])
        if content_id is None:  # stored meanwhile by a concurrent transaction
            continue
        key = BlobKey(content_id, month, row["sha256"])
        if isinstance(backend, DatabaseBlobs):
            blob_rows.append((key, encoded))
        else:
            backend.write(conn, key, encoded)
        part_rows.extend({"content_id": content_id, "part_id": p} for p in sorted(set(part_ids)))
    if isinstance(backend, DatabaseBlobs):
        backend.write_many(conn, blob_rows)
    if part_rows:
        conn.execute(insert(archive_content_parts), part_rows)
    found.update(inserted)
    missing = [sha for sha in shas if sha not in found]
    if missing:
        found.update(
            (row.sha256, int(row.id))
            for row in conn.execute(
                select(archive_contents.c.id, archive_contents.c.sha256).where(
                    archive_contents.c.sha256.in_(missing)
                )
            )
        )
    return found
