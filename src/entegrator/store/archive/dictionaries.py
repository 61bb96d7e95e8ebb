"""zstd dictionaries trained on archived documents, one line of them per document kind.

Invoices of one integrator share most of their markup (namespaces, element names, the
supplier's own blocks). A dictionary trained on a few thousand earlier skeletons lets zstd
store a new invoice's skeleton in a few hundred bytes. Dictionaries are rows of
``archive_dictionaries``, written once and never changed: every content compressed with one
names it, so it must outlive them all (the foreign key keeps a used dictionary from being
deleted). New content uses the kind's newest dictionary; old content keeps its own.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable

import zstandard
from sqlalchemy import Connection, func, insert, select

from entegrator.store.archive.errors import ContentCorrupted
from entegrator.store.archive.tables import archive_dictionaries
from entegrator.store.clock import Clock

__all__ = ["Dictionaries"]


class Dictionaries:
    """Cache of dictionaries by id (immutable) and of each kind's newest dictionary.

    The newest-per-kind lookup is refreshed at most every ``refresh_seconds``: a put that
    uses a dictionary a few seconds older than the newest is just as correct.
    """

    def __init__(self, clock: Clock, refresh_seconds: float = 60.0) -> None:
        self._clock = clock
        self._refresh = refresh_seconds
        self._lock = threading.Lock()
        self._by_id: dict[int, bytes] = {}
        self._current: dict[str, tuple[float, int | None]] = {}

    def current(self, conn: Connection, kind: str) -> tuple[int, bytes] | None:
        """``(id, data)`` of the newest dictionary for ``kind``, or None."""
        now = time.monotonic()
        with self._lock:
            cached = self._current.get(kind)
        if cached is None or now - cached[0] > self._refresh:
            stmt = select(func.max(archive_dictionaries.c.id)).where(
                archive_dictionaries.c.kind == kind
            )
            newest = conn.execute(stmt).scalar_one_or_none()
            with self._lock:
                self._current[kind] = (now, newest)
            cached = (now, newest)
        return None if cached[1] is None else (cached[1], self.get(conn, cached[1]))

    def get(self, conn: Connection, dictionary_id: int) -> bytes:
        """The dictionary ``dictionary_id`` (checked against its SHA-256 on first load)."""
        with self._lock:
            found = self._by_id.get(dictionary_id)
        if found is not None:
            return found
        row = conn.execute(
            select(archive_dictionaries.c.data, archive_dictionaries.c.sha256).where(
                archive_dictionaries.c.id == dictionary_id
            )
        ).one_or_none()
        if row is None:
            raise ContentCorrupted(f"arşiv sözlüğü {dictionary_id} bulunamadı", sha256="")
        data = bytes(row.data)
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise ContentCorrupted(f"arşiv sözlüğü {dictionary_id} bozulmuş", sha256=row.sha256)
        with self._lock:
            self._by_id[dictionary_id] = data
        return data

    def train(
        self, conn: Connection, kind: str, samples: Iterable[bytes], size: int, min_samples: int
    ) -> int | None:
        """Train a dictionary for ``kind`` from ``samples`` and store it; its id, or None.

        None when there are fewer than ``min_samples`` samples or zstd cannot train on them.
        """
        material = [s for s in samples if s]
        if len(material) < min_samples:
            return None
        try:
            trained = zstandard.train_dictionary(size, material)
        except zstandard.ZstdError:
            return None
        data = trained.as_bytes()
        digest = hashlib.sha256(data).hexdigest()
        same = conn.execute(
            select(archive_dictionaries.c.id).where(archive_dictionaries.c.sha256 == digest)
        ).scalar_one_or_none()
        if same is not None:  # the same samples again: nothing new to store
            return int(same)
        new_id: int = conn.execute(
            insert(archive_dictionaries)
            .values(
                kind=kind,
                sha256=digest,
                data=data,
                sample_count=len(material),
                created_at=self._clock.now(),
            )
            .returning(archive_dictionaries.c.id)
        ).scalar_one()
        self.forget(kind)
        return new_id

    def forget(self, kind: str | None = None) -> None:
        """Drop the newest-per-kind cache (after training, or in tests)."""
        with self._lock:
            if kind is None:
                self._current.clear()
            else:
                self._current.pop(kind, None)
