"""``entegrator archive verify``: re-hash documents, re-compute the daily hash chain.

Two independent checks, both read-only:

* **contents** — every entry archived since the given day (all by default) is read back
  through the codec and re-hashed; a content whose bytes are gone is *vanished*, one whose
  bytes no longer hash to the recorded SHA-256 is *changed*. Shared contents are checked
  once per run.
* **chain** — every sealed day is re-computed from its entries in chain order and compared
  with ``archive_chain`` and with the root the audit log recorded when the day was sealed; a
  deleted, added or reordered entry, a rewritten chain row or a missing day is reported.

Work runs in short read transactions of a few hundred entries, so a verification of
millions of documents holds no long snapshot.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Connection, select

from entegrator.store.archive.chain import GENESIS, SEALED_ACTION, leaf, root_of
from entegrator.store.archive.errors import ArchiveError, ContentCorrupted
from entegrator.store.archive.service import Archive
from entegrator.store.archive.tables import archive_chain
from entegrator.store.archive.tables import archive_documents as docs
from entegrator.store.audit import audit_log
from entegrator.store.db import Database
from entegrator.store.tenancy import all_tenants

__all__ = ["Finding", "VerifyReport", "check_chain", "verify"]

_BATCH = 500
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: ``problem`` is ``changed``, ``vanished`` or ``chain``; ``detail`` says what."""

    problem: str
    detail: str
    entry_id: int | None = None
    sha256: str | None = None
    day: date | None = None


@dataclass(slots=True)
class VerifyReport:
    """What a verification checked and found."""

    documents: int = 0
    contents: int = 0
    days: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Nothing was found."""
        return not self.findings


def verify(
    db: Database,
    archive: Archive,
    *,
    since: date | None = None,
    progress: Progress | None = None,
) -> VerifyReport:
    """Check contents archived since ``since`` (all when None) and the chain from that day."""
    report = VerifyReport()
    start = None
    if since is not None:
        start = datetime.combine(since, time(0), tzinfo=archive.config.zone)
    checked: dict[str, Finding | None] = {}
    for rows in _entries(db, start):
        with db.transaction(read_only=True) as conn:
            for row in rows:
                report.documents += 1
                finding = _check_entry(conn, archive, row, checked)
                if finding is not None:
                    report.findings.append(finding)
        if progress is not None:
            progress(report.documents)
    report.contents = len(checked)
    with db.transaction(read_only=True) as conn:
        days, findings = check_chain(conn, since)
    report.days = days
    report.findings.extend(findings)
    return report


def _entries(db: Database, start: datetime | None) -> Iterator[list[Any]]:
    after = 0
    while True:
        stmt = (
            select(docs.c.id, docs.c.sha256, docs.c.content_id)
            .where(docs.c.id > after, docs.c.purged_at.is_(None))
            .order_by(docs.c.id)
            .limit(_BATCH)
        )
        if start is not None:
            stmt = stmt.where(docs.c.archived_at >= start)
        with db.transaction(read_only=True) as conn:
            rows = list(conn.execute(all_tenants(stmt)))
        if not rows:
            return
        yield rows
        after = rows[-1].id


def _check_entry(
    conn: Connection, archive: Archive, row: Any, checked: dict[str, Finding | None]
) -> Finding | None:
    if row.sha256 in checked:
        previous = checked[row.sha256]
        if previous is None:
            return None
        return Finding(previous.problem, previous.detail, row.id, row.sha256)
    finding: Finding | None = None
    if row.content_id is None:
        finding = Finding("vanished", "kaydın içeriği yok", row.id, row.sha256)
    else:
        try:
            archive.contents.load(conn, row.sha256)
        except ContentCorrupted as exc:
            problem = "vanished" if exc.vanished else "changed"
            finding = Finding(problem, exc.message, row.id, row.sha256)
        except ArchiveError as exc:
            finding = Finding("changed", exc.message, row.id, row.sha256)
    checked[row.sha256] = finding
    return finding


def check_chain(conn: Connection, since: date | None = None) -> tuple[int, list[Finding]]:
    """Re-compute sealed days from ``since`` (all when None); ``(days checked, findings)``."""
    findings: list[Finding] = []
    stmt = select(archive_chain).order_by(archive_chain.c.day)
    previous_root = GENESIS
    if since is not None:
        before = conn.execute(
            select(archive_chain.c.root)
            .where(archive_chain.c.day < since)
            .order_by(archive_chain.c.day.desc())
            .limit(1)
        ).scalar_one_or_none()
        previous_root = before or GENESIS
        stmt = stmt.where(archive_chain.c.day >= since)
    recorded = _audited_roots(conn)
    expected_day: date | None = None
    days = 0
    for row in conn.execute(stmt).all():
        days += 1
        day = row.day
        if expected_day is not None and day != expected_day:
            gap = f"{expected_day} – {day - timedelta(days=1)}"
            findings.append(Finding("chain", f"zincirde gün eksik: {gap}", day=expected_day))
        if row.previous_root != previous_root:
            findings.append(Finding("chain", f"{day}: önceki kök tutmuyor (zincir kopuk)", day=day))
        findings.extend(_check_day(conn, row))
        audited = recorded.pop(day, [])
        if not audited:
            findings.append(Finding("chain", f"{day}: denetim kaydında bu günün kökü yok", day=day))
        elif audited[0] != row.root:
            findings.append(
                Finding("chain", f"{day}: zincir kökü denetim kaydındakinden farklı", day=day)
            )
        if len(set(audited)) > 1:
            findings.append(
                Finding("chain", f"{day}: gün denetim kaydında birden çok kez mühürlenmiş", day=day)
            )
        previous_root = row.root
        expected_day = day + timedelta(days=1)
    for day in sorted(recorded):
        if since is None or day >= since:
            findings.append(
                Finding("chain", f"{day}: denetim kaydında mühürlü gün zincirde yok", day=day)
            )
    return days, findings


def _check_day(conn: Connection, row: Any) -> list[Finding]:
    entries = conn.execute(
        all_tenants(
            select(
                docs.c.id,
                docs.c.sha256,
                docs.c.kind,
                docs.c.direction,
                docs.c.archived_at,
                docs.c.chain_seq,
            )
            .where(docs.c.chain_day == row.day)
            .order_by(docs.c.chain_seq, docs.c.id)
        ).execution_options(yield_per=5000)  # a busy day streams, it is not loaded at once
    )
    gaps: list[int] = []

    def leaves() -> Iterator[bytes]:
        for position, e in enumerate(entries, start=1):
            if e.chain_seq != position and not gaps:
                gaps.append(position)
            yield leaf(e.id, e.sha256, e.kind, e.direction, e.archived_at)

    root, count = root_of(row.previous_root, row.day, leaves())
    findings: list[Finding] = []
    if gaps:
        findings.append(Finding("chain", f"{row.day}: sıra numaraları kesintili", day=row.day))
    if count != row.count:
        findings.append(
            Finding(
                "chain",
                f"{row.day}: kayıt sayısı {row.count} olmalıyken {count} (silinmiş/eklenmiş kayıt)",
                day=row.day,
            )
        )
    elif root != row.root:
        findings.append(
            Finding(
                "chain",
                f"{row.day}: kök tutmuyor (kayıtlar değişmiş ya da sırası bozulmuş)",
                day=row.day,
            )
        )
    return findings


def _audited_roots(conn: Connection) -> dict[date, list[str]]:
    """Roots the audit log recorded, per day, oldest first."""
    stmt = all_tenants(
        select(audit_log.c.details)
        .where(audit_log.c.action == SEALED_ACTION, audit_log.c.tenant_id.is_(None))
        .order_by(audit_log.c.id)
    )
    roots: dict[date, list[str]] = {}
    for (details,) in conn.execute(stmt):
        if isinstance(details, dict) and "day" in details and "root" in details:
            roots.setdefault(date.fromisoformat(details["day"]), []).append(str(details["root"]))
    return roots
