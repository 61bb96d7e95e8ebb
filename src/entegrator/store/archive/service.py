"""The :class:`Archive` object core holds (``integrator.archive``): put, get, update.

Writes happen on the caller's connection, inside the caller's transaction, before the
caller acknowledges anything: a document is archived exactly when the state change that
made us keep it commits. Content is stored once per distinct SHA-256 (:mod:`.content`);
the entry (:mod:`.entries`) records it for one taxpayer with its search facts. Reads are
verified against the SHA-256. The other services (search, export, verify, retention,
import) are modules of this package working with the same object.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, update

from entegrator.store.archive import facts
from entegrator.store.archive.backends import BlobStore, DatabaseBlobs, DirectoryBlobs
from entegrator.store.archive.codec import Codec
from entegrator.store.archive.config import ArchiveConfig
from entegrator.store.archive.content import ContentStore
from entegrator.store.archive.dictionaries import Dictionaries
from entegrator.store.archive.entries import (
    fact_values,
    find_entry,
    insert_entry,
    read_entry,
    retain_until,
    scoped_select,
)
from entegrator.store.archive.errors import ArchiveError, DocumentNotArchived
from entegrator.store.archive.model import (
    ArchiveEntry,
    ArchiveKind,
    ArchiveMeta,
    ArchiveRef,
    Direction,
    is_sha256,
)
from entegrator.store.archive.tables import archive_documents as docs
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.tenancy import all_tenants

__all__ = ["Archive"]


class Archive:
    """The archive: stores documents byte for byte and gives them back verified.

    One per process (``Integrator.archive``); thread-safe. ``config`` picks the back end
    and retention; ``clock`` dates entries.
    """

    def __init__(self, config: ArchiveConfig | None = None, *, clock: Clock = SYSTEM_CLOCK) -> None:
        self.config = config or ArchiveConfig()
        self.clock = clock
        backends: dict[str, BlobStore] = {"db": DatabaseBlobs()}
        if self.config.directory is not None:
            backends["dir"] = DirectoryBlobs(self.config.directory)
        location = "dir" if self.config.backend == "directory" else "db"
        self.dictionaries = Dictionaries(clock)
        self.contents = ContentStore(
            backends,
            location,
            Codec(self.config.zstd_level),
            self.dictionaries,
            self.config.part_min_bytes,
        )

    @property
    def backends(self) -> Mapping[str, BlobStore]:
        """The configured back ends by catalog location (``db``, ``dir``)."""
        return self.contents.blobs

    # -- writing ---------------------------------------------------------------------------

    def put(
        self,
        conn: Connection,
        content: bytes,
        *,
        kind: ArchiveKind | str,
        direction: Direction,
        tenant_id: int | None,
        meta: ArchiveMeta | None = None,
        source: str = "live",
    ) -> ArchiveRef:
        """Archive ``content`` in the caller's transaction; return its reference.

        ``meta`` gives the search facts; when None they are read from the document itself
        (best effort). Putting the same bytes again for the same taxpayer, kind and
        direction returns the first entry (its missing facts filled from ``meta``); the
        bytes themselves are stored once whoever puts them. ``source`` marks how the
        document came (``live``, ``import``).
        """
        kind, direction = _check(content, kind, direction, tenant_id)
        content = bytes(content)
        sha256 = hashlib.sha256(content).hexdigest()
        if meta is None:
            meta = facts.derive(content, kind, direction, self.config.zone)
        existing = find_entry(conn, tenant_id, kind, direction, sha256)
        if existing is not None:
            self._fill_missing(conn, existing, tenant_id, meta)
            return ArchiveRef(sha256, existing)
        now = self.clock.now()
        local = now.astimezone(self.config.zone)
        content_id = self.contents.store(
            conn, content, sha256, kind.value, now=now, month=local.year * 100 + local.month
        )
        values = fact_values(meta, conn.dialect.name)
        issue_date = values.setdefault("issue_date", local.date())
        values.update(
            content_id=content_id,
            sha256=sha256,
            kind=kind.value,
            direction=direction,
            size=len(content),
            archived_at=now,
            source=source,
            retain_until=retain_until(issue_date, self.config.retention_years),
        )
        return ArchiveRef(sha256, insert_entry(conn, tenant_id, values))

    def update(self, conn: Connection, ref: ArchiveRef, meta: ArchiveMeta) -> None:
        """Overwrite the entry's facts that ``meta`` gives (typically ``status``).

        The content never changes; only the index does. The issue date (and so the
        retention) is fixed at archiving and cannot be changed here.
        """
        values = fact_values(meta, conn.dialect.name)
        if "issue_date" in values:
            raise ArchiveError("arşiv kaydının düzenleme tarihi sonradan değiştirilemez")
        if not values:
            return
        stmt = all_tenants(
            update(docs)
            .where(docs.c.id == ref.id, docs.c.sha256 == ref.sha256, docs.c.purged_at.is_(None))
            .values(values)
        )
        if conn.execute(stmt).rowcount != 1:
            raise DocumentNotArchived(f"arşiv kaydı bulunamadı: {ref.id}")

    def assign_tenant(self, conn: Connection, ref: ArchiveRef, tenant_id: int) -> None:
        """Give an entry archived without a taxpayer (a received envelope) its taxpayer."""
        stmt = all_tenants(
            update(docs)
            .where(docs.c.id == ref.id, docs.c.sha256 == ref.sha256, docs.c.tenant_id.is_(None))
            .values(tenant_id=tenant_id)
        )
        if conn.execute(stmt).rowcount != 1:
            raise DocumentNotArchived(f"mükellefsiz arşiv kaydı bulunamadı: {ref.id}")

    def _fill_missing(
        self, conn: Connection, entry_id: int, tenant_id: int | None, meta: ArchiveMeta
    ) -> None:
        values = fact_values(meta, conn.dialect.name)
        values.pop("issue_date", None)
        if not values:
            return
        row = conn.execute(
            scoped_select(conn, tenant_id, *(docs.c[name] for name in values)).where(
                docs.c.id == entry_id
            )
        ).one()
        missing = {k: v for k, v in values.items() if getattr(row, k) is None}
        if missing:
            stmt = all_tenants(update(docs).where(docs.c.id == entry_id).values(missing))
            conn.execute(stmt)

    # -- reading ---------------------------------------------------------------------------

    def get(self, conn: Connection, ref: ArchiveRef | str) -> bytes:
        """The archived bytes, verified against their SHA-256 (ContentCorrupted if not).

        Takes a reference or a bare SHA-256. No tenant check happens here: services reach
        references through the caller's tenant-scoped entries.
        """
        sha256 = ref.sha256 if isinstance(ref, ArchiveRef) else ref
        if not is_sha256(sha256):
            raise DocumentNotArchived(f"geçersiz arşiv başvurusu: {sha256!r}")
        if self.contents.find(conn, sha256) is None:
            raise DocumentNotArchived(f"arşivde böyle bir belge yok: {sha256}")
        return self.contents.load(conn, sha256)

    def entry(self, conn: Connection, ref: ArchiveRef | int) -> ArchiveEntry:
        """The entry ``ref`` with its facts (system code; services read through a scope)."""
        return read_entry(conn, ref)

    def now(self) -> datetime:
        """The archive clock's current time."""
        return self.clock.now()


def _check(
    content: Any, kind: ArchiveKind | str, direction: str, tenant_id: Any
) -> tuple[ArchiveKind, Direction]:
    if not isinstance(content, bytes | bytearray | memoryview):
        raise TypeError(f"arşivlenecek içerik bayt olmalı, {type(content).__name__} verildi")
    if len(content) == 0:
        raise ArchiveError("boş içerik arşivlenemez")
    try:
        checked_kind = ArchiveKind(kind)
    except ValueError as exc:
        raise ArchiveError(f"bilinmeyen belge türü: {kind!r}") from exc
    if direction not in ("OUT", "IN"):
        raise ArchiveError(f"yön OUT ya da IN olmalı, {direction!r} verildi")
    if tenant_id is not None and (isinstance(tenant_id, bool) or not isinstance(tenant_id, int)):
        raise TypeError(f"tenant_id bir tam sayı ya da None olmalı, {tenant_id!r} verildi")
    return checked_kind, direction  # type: ignore[return-value]
