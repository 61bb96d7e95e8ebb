"""The archive's daily upkeep: partitions ahead, day seals, dictionaries, orphan files.

Run by the job ``archive.maintain`` (core) and by ``entegrator archive maintain``. Each step
runs in its own short transaction and is idempotent, so a crash half-way is repaired by the
next run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection, func, select

from entegrator.store.archive.backends import DirectoryBlobs
from entegrator.store.archive.chain import DaySeal, seal
from entegrator.store.archive.model import ArchiveKind
from entegrator.store.archive.partitions import ensure_partitions, month_of
from entegrator.store.archive.service import Archive
from entegrator.store.archive.tables import (
    archive_contents,
    archive_dictionaries,
)
from entegrator.store.archive.tables import (
    archive_documents as docs,
)
from entegrator.store.audit import Actor
from entegrator.store.db import Database
from entegrator.store.tenancy import all_tenants

__all__ = ["MaintenanceReport", "collect_orphans", "maintain", "train_due"]

_TRAINED_KINDS = (
    ArchiveKind.INVOICE,
    ArchiveKind.APPLICATION_RESPONSE,
    ArchiveKind.SYSTEM_RESPONSE,
)


@dataclass(slots=True)
class MaintenanceReport:
    """What one maintenance run did."""

    partitions: list[int] = field(default_factory=list)
    sealed: list[DaySeal] = field(default_factory=list)
    dictionaries: dict[str, int] = field(default_factory=dict)
    orphans_removed: int = 0


def maintain(
    db: Database, archive: Archive, *, actor: Actor | None = None, until: date | None = None
) -> MaintenanceReport:
    """Run every upkeep step once."""
    report = MaintenanceReport()
    config = archive.config
    local = archive.now().astimezone(config.zone)
    with db.transaction() as conn:
        report.partitions = ensure_partitions(
            conn, month_of(local.year, local.month), config.partitions_ahead + 1
        )
    with db.transaction() as conn:
        report.sealed = seal(
            conn,
            clock=archive.clock,
            zone=config.zone,
            grace=config.seal_grace,
            actor=actor,
            until=until,
        )
    with db.transaction() as conn:
        report.dictionaries = train_due(conn, archive)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA optimize")  # planner statistics (PostgreSQL: autovacuum)
    report.orphans_removed = collect_orphans(db, archive)
    return report


def train_due(conn: Connection, archive: Archive) -> dict[str, int]:
    """Train a dictionary for each kind that has none, or an old one; ``{kind: id}``.

    Old means older than ``dictionary_retrain_after`` with at least ``dictionary_min_samples``
    contents stored since (documents change slowly; a retrain on the same data is useless).
    """
    config = archive.config
    now = archive.now()
    trained: dict[str, int] = {}
    for kind in _TRAINED_KINDS:
        newest = conn.execute(
            select(func.max(archive_dictionaries.c.created_at)).where(
                archive_dictionaries.c.kind == kind.value
            )
        ).scalar_one_or_none()
        if newest is not None and (
            now - newest < config.dictionary_retrain_after
            or _new_contents(conn, kind.value, newest) < config.dictionary_min_samples
        ):
            continue
        samples = _samples(conn, archive, kind.value, config.dictionary_max_samples)
        new_id = archive.dictionaries.train(
            conn, kind.value, samples, config.dictionary_size, config.dictionary_min_samples
        )
        if new_id is not None:
            trained[kind.value] = new_id
    return trained


def _new_contents(conn: Connection, kind: str, since: datetime) -> int:
    """How many contents of ``kind`` were stored since ``since`` (worth a new dictionary?)."""
    stmt = all_tenants(
        select(func.count(func.distinct(archive_contents.c.id)))
        .join(docs, docs.c.content_id == archive_contents.c.id)
        .where(docs.c.kind == kind, archive_contents.c.created_at > since)
    )
    return int(conn.execute(stmt).scalar_one())


def _samples(conn: Connection, archive: Archive, kind: str, limit: int) -> list[bytes]:
    """Stored forms (skeletons) of the newest contents archived as ``kind``."""
    stmt = all_tenants(
        select(archive_contents.c.id, archive_contents.c.sha256)
        .join(docs, docs.c.content_id == archive_contents.c.id)
        .where(docs.c.kind == kind)
        .order_by(archive_contents.c.id.desc())
        .distinct()
        .limit(limit)
    )
    return [archive.contents.payload(conn, row.sha256) for row in conn.execute(stmt)]


def collect_orphans(db: Database, archive: Archive) -> int:
    """Remove files of the directory back end that no committed content owns (after grace)."""
    backend = archive.backends.get("dir")
    if not isinstance(backend, DirectoryBlobs):
        return 0

    def known(shas: list[str]) -> set[str]:
        with db.transaction(read_only=True) as conn:
            stmt = select(archive_contents.c.sha256).where(archive_contents.c.sha256.in_(shas))
            return set(conn.execute(stmt).scalars())

    return backend.collect(known, archive.config.orphan_grace.total_seconds())

