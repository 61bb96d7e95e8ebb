"""Content-addressed storage: each distinct byte string once, read back verified.

:meth:`ContentStore.store` files a document under its SHA-256 in ``archive_contents``: the
embedded binary objects are cut out and stored as parts of their own (once each, whoever
uses them), the skeleton is compressed with the kind's zstd dictionary, and the encoded
bytes go to the configured back end — all on the caller's connection, so they commit with
the caller's transaction. :meth:`ContentStore.load` reverses it and refuses to return
anything whose SHA-256 is not the recorded one.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from entegrator.store.archive.backends import BlobKey, BlobStore
from entegrator.store.archive.codec import Codec, join, pack_skeleton, split, unpack_skeleton
from entegrator.store.archive.dictionaries import Dictionaries
from entegrator.store.archive.errors import ArchiveError, ContentCorrupted
from entegrator.store.archive.tables import archive_content_parts, archive_contents
from entegrator.store.dialect import insert_for

__all__ = ["ContentStore", "PartCache"]

_NO_DICTIONARY_KINDS = frozenset({"envelope", "part"})


class PartCache:
    """Verified part bytes by SHA-256, least recently used out past ``max_bytes``.

    Parts are immutable and checked against their hash before they enter, so one cache per
    process serves every transaction (documented per-process cache).
    """

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self._max = max_bytes
        self._size = 0
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, sha256: str) -> bytes | None:
        """The cached bytes, or None."""
        with self._lock:
            data = self._items.get(sha256)
            if data is not None:
                self._items.move_to_end(sha256)
            return data

    def put(self, sha256: str, data: bytes) -> None:
        """Remember verified bytes."""
        with self._lock:
            if sha256 in self._items or len(data) > self._max:
                return
            self._items[sha256] = data
            self._size += len(data)
            while self._size > self._max:
                _, dropped = self._items.popitem(last=False)
                self._size -= len(dropped)


class ContentStore:
    """Stores and loads contents; ``blobs`` maps a catalog location to its back end."""

    def __init__(
        self,
        blobs: Mapping[str, BlobStore],
        write_location: str,
        codec: Codec,
        dictionaries: Dictionaries,
        part_min_bytes: int,
    ) -> None:
        self.blobs = blobs
        self.write_location = write_location
        self.codec = codec
        self.dictionaries = dictionaries
        self.part_min_bytes = part_min_bytes
        self.parts = PartCache()

    # -- writing ---------------------------------------------------------------------------

    def store(
        self, conn: Connection, content: bytes, sha256: str, kind: str, *, now: datetime,
        month: int,
    ) -> int:
        """The catalog id of ``content``, storing it first when it is new."""
        existing = self.find(conn, sha256)
        if existing is not None:
            return existing
        pieces = split(content, self.part_min_bytes) if kind != "part" else None
        part_ids: list[int] = []
        if pieces is not None and pieces.parts:
            refs = []
            for offset, data in pieces.parts:
                digest = hashlib.sha256(data).digest()
                part_ids.append(
                    self.store(conn, data, digest.hex(), "part", now=now, month=month)
                )
                refs.append((offset, digest))
            payload, layout = pack_skeleton(pieces.skeleton, refs), "split"
        else:
            payload, layout = content, "whole"
        dictionary = None if kind in _NO_DICTIONARY_KINDS else self.dictionaries.current(conn, kind)
        encoded = self.codec.compress(payload, dictionary)
        codec = "zstd"
        if len(encoded) >= len(payload):  # already compressed (a zip): keep it as it is
            encoded, codec, dictionary = payload, "raw", None
        values: dict[str, Any] = {
            "sha256": sha256,
            "size": len(content),
            "stored_size": len(encoded),
            "layout": layout,
            "codec": codec,
            "dictionary_id": dictionary[0] if dictionary else None,
            "location": self.write_location,
            "month": month,
            "created_at": now,
        }
        stmt = (
            insert_for(conn, archive_contents)
            .values(values)
            .on_conflict_do_nothing(index_elements=["sha256"])
            .returning(archive_contents.c.id)
        )
        content_id = conn.execute(stmt).scalar_one_or_none()
        if content_id is None:  # stored meanwhile by a concurrent transaction (now committed)
            found = self.find(conn, sha256)
            if found is None:
                raise ArchiveError(f"arşiv içeriği kaydedilemedi: {sha256}")
            return found
        self.blobs[self.write_location].write(conn, BlobKey(content_id, month, sha256), encoded)
        if part_ids:
            conn.execute(
                insert(archive_content_parts),
                [{"content_id": content_id, "part_id": p} for p in sorted(set(part_ids))],
            )
        return int(content_id)

    def find(self, conn: Connection, sha256: str) -> int | None:
        """The catalog id of a content, or None."""
        stmt = select(archive_contents.c.id).where(archive_contents.c.sha256 == sha256)
        found = conn.execute(stmt).scalar_one_or_none()
        return None if found is None else int(found)

    # -- reading ---------------------------------------------------------------------------

    def load(self, conn: Connection, sha256: str) -> bytes:
        """The exact bytes stored under ``sha256``; ContentCorrupted unless they hash to it."""
        row, payload = self._fetch(conn, sha256)
        try:
            if row.layout == "whole":
                content = payload
            else:
                refs, skeleton = unpack_skeleton(payload)
                content = join(skeleton, refs, lambda digest: self._part(conn, digest.hex()))
        except ArchiveError as exc:
            if isinstance(exc, ContentCorrupted):
                raise
            raise ContentCorrupted(f"arşiv içeriği bozuk: {sha256}: {exc}", sha256=sha256) from exc
        if len(content) != row.size or hashlib.sha256(content).hexdigest() != sha256:
            raise ContentCorrupted(
                f"arşiv içeriği bozuk: {sha256} (SHA-256 tutmuyor)", sha256=sha256
            )
        return content

    def payload(self, conn: Connection, sha256: str) -> bytes:
        """The decompressed stored form (a skeleton for split contents): dictionary samples."""
        return self._fetch(conn, sha256)[1]

    def _fetch(self, conn: Connection, sha256: str) -> tuple[Any, bytes]:
        row = conn.execute(
            select(archive_contents).where(archive_contents.c.sha256 == sha256)
        ).one_or_none()
        if row is None:
            raise ContentCorrupted(
                f"arşiv içeriği kayıtta yok: {sha256}", sha256=sha256, vanished=True
            )
        backend = self.blobs.get(row.location)
        if backend is None:
            raise ArchiveError(
                f"arşiv içeriği {sha256} '{row.location}' deposunda; bu depo yapılandırılmamış"
            )
        encoded = backend.read(conn, BlobKey(row.id, row.month, sha256))
        if encoded is None:
            raise ContentCorrupted(
                f"arşiv içeriği kayıp: {sha256}", sha256=sha256, vanished=True
            )
        if row.codec == "raw":
            return row, encoded
        try:
            dictionary = None
            if row.dictionary_id is not None:
                dictionary = (row.dictionary_id, self.dictionaries.get(conn, row.dictionary_id))
            return row, self.codec.decompress(encoded, row.size + 64, dictionary)
        except ContentCorrupted:
            raise
        except ArchiveError as exc:
            raise ContentCorrupted(f"arşiv içeriği bozuk: {sha256}: {exc}", sha256=sha256) from exc

    def _part(self, conn: Connection, sha256: str) -> bytes:
        cached = self.parts.get(sha256)
        if cached is not None:
            return cached
        data = self.load(conn, sha256)
        self.parts.put(sha256, data)
        return data
