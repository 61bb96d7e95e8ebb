"""Where encoded content bytes live: one small interface, two back ends.

* :class:`DatabaseBlobs` (default) — rows of ``archive_blobs`` written on the caller's
  connection, so they commit or roll back with the caller's transaction. On PostgreSQL the
  table is partitioned by month.
* :class:`DirectoryBlobs` — a content-addressed file tree (``ab/cd/<sha256>``). A file is
  written to a temporary name, fsync'd, renamed into place and its directory fsync'd before
  ``write`` returns, i.e. before the caller commits the catalog row that points to it. A
  rollback leaves an orphan file: harmless, and removed by :meth:`DirectoryBlobs.collect`
  once older than a grace period and unknown to the catalog.

The catalog (``archive_contents``) says for each content which back end holds it
(``location``), so a deployment can switch back ends without moving old content.
S3-compatible storage is left for when a real server can run in the tests.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, delete, insert, select

from entegrator.store.archive.errors import ArchiveError
from entegrator.store.archive.model import is_sha256
from entegrator.store.archive.tables import archive_blobs

__all__ = ["BlobKey", "BlobStore", "DatabaseBlobs", "DirectoryBlobs"]


class BlobKey(tuple[int, int, str]):
    """``(content_id, month, sha256)`` — enough for either back end to find a blob."""

    __slots__ = ()

    def __new__(cls, content_id: int, month: int, sha256: str) -> BlobKey:
        return super().__new__(cls, (content_id, month, sha256))

    @property
    def content_id(self) -> int:
        """The catalog id of the content."""
        return self[0]

    @property
    def month(self) -> int:
        """``yyyymm`` of the partition holding the blob (database back end)."""
        return self[1]

    @property
    def sha256(self) -> str:
        """SHA-256 of the document the blob encodes."""
        return self[2]


class BlobStore(Protocol):
    """Writes, reads and deletes encoded content."""

    location: str  # the catalog's ``location`` value for this back end

    def write(self, conn: Connection, key: BlobKey, data: bytes) -> None:
        """Store ``data`` durably before the caller's transaction commits."""

    def read(self, conn: Connection, key: BlobKey) -> bytes | None:
        """The stored bytes, or None when they are gone."""

    def delete(self, conn: Connection, key: BlobKey) -> None:
        """Remove the bytes (purge after retention only)."""


class DatabaseBlobs:
    """Blobs as rows of ``archive_blobs`` in the caller's transaction."""

    location = "db"

    def write(self, conn: Connection, key: BlobKey, data: bytes) -> None:
        """Insert the blob row."""
        conn.execute(
            insert(archive_blobs).values(month=key.month, content_id=key.content_id, data=data)
        )

    def write_many(self, conn: Connection, rows: list[tuple[BlobKey, bytes]]) -> None:
        """Insert many blob rows in one statement (bulk loads)."""
        if rows:
            conn.execute(
                insert(archive_blobs),
                [{"month": k.month, "content_id": k.content_id, "data": d} for k, d in rows],
            )

    def read(self, conn: Connection, key: BlobKey) -> bytes | None:
        """Select the blob row."""
        stmt = select(archive_blobs.c.data).where(
            archive_blobs.c.month == key.month, archive_blobs.c.content_id == key.content_id
        )
        data = conn.execute(stmt).scalar_one_or_none()
        return None if data is None else bytes(data)

    def delete(self, conn: Connection, key: BlobKey) -> None:
        """Delete the blob row."""
        conn.execute(
            delete(archive_blobs).where(
                archive_blobs.c.month == key.month,
                archive_blobs.c.content_id == key.content_id,
            )
        )


class DirectoryBlobs:
    """Blobs as content-addressed files under ``root``, fsync'd before acknowledgement."""

    location = "dir"

    def __init__(self, root: Path, *, fsync: bool = True) -> None:
        self.root = root
        self.fsync = fsync

    def path(self, sha256: str) -> Path:
        """The file of a content: ``root/ab/cd/abcd…``."""
        if not is_sha256(sha256):
            raise ArchiveError(f"geçersiz içerik özeti: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def write(self, conn: Connection, key: BlobKey, data: bytes) -> None:
        """Write to a temporary file, fsync, rename into place, fsync the directory."""
        target = self.path(key.sha256)
        self._make_directories(target.parent)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            with temporary.open("wb") as handle:
                handle.write(data)
                handle.flush()
                if self.fsync:
                    os.fsync(handle.fileno())
            temporary.replace(target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            raise ArchiveError(f"arşiv dosyası yazılamadı: {target}: {exc}") from exc
        if self.fsync:
            _fsync_directory(target.parent)

    def _make_directories(self, directory: Path) -> None:
        # A new directory's own entry must reach the disk too: fsync each parent we extend.
        if directory.is_dir():
            return
        self._make_directories(directory.parent)
        try:
            directory.mkdir()
        except FileExistsError:
            return
        if self.fsync:
            _fsync_directory(directory.parent)

    def read(self, conn: Connection, key: BlobKey) -> bytes | None:
        """Read the file; None when it is missing."""
        try:
            return self.path(key.sha256).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, conn: Connection, key: BlobKey) -> None:
        """Remove the file (and fsync its directory)."""
        target = self.path(key.sha256)
        target.unlink(missing_ok=True)
        if self.fsync and target.parent.exists():
            _fsync_directory(target.parent)

    def files(self) -> Iterator[Path]:
        """Every content file under the root (temporary files excluded)."""
        if self.root.is_dir():
            for path in self.root.glob("??/??/*"):
                if path.is_file() and is_sha256(path.name):
                    yield path

    def collect(self, known: Callable[[list[str]], set[str]], grace_seconds: float) -> int:
        """Delete files the catalog does not know and older than ``grace_seconds``.

        ``known(shas)`` returns the subset of ``shas`` present in the catalog. Leftover
        temporary files older than the grace period go too. Returns the number removed.
        """
        cutoff = time.time() - grace_seconds
        removed = 0
        batch: list[Path] = []

        def flush() -> int:
            present = known([p.name for p in batch])
            gone = 0
            for path in batch:
                if path.name not in present:
                    path.unlink(missing_ok=True)
                    gone += 1
            batch.clear()
            return gone

        for path in self.files():
            if path.stat().st_mtime < cutoff:
                batch.append(path)
                if len(batch) >= 500:
                    removed += flush()
        removed += flush() if batch else 0
        if self.root.is_dir():
            for temporary in self.root.glob("??/??/.*.tmp"):
                if temporary.stat().st_mtime < cutoff:
                    temporary.unlink(missing_ok=True)
                    removed += 1
        return removed


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
