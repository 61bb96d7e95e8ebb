"""Byte-identical round trips: every file of ../shared/samples (zips too) and 10,000 invoices."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from entegrator.store import Database
from entegrator.store.archive import Archive, ArchiveKind, ArchiveMeta
from entegrator.store.archive.bulk import BulkItem, put_many
from entegrator.store.archive.verify import verify

KINDS = {
    "ZARF": ArchiveKind.ENVELOPE,
    "SISTEM_YANITI": ArchiveKind.SYSTEM_RESPONSE,
    "UYGULAMA": ArchiveKind.APPLICATION_RESPONSE,
    "Yaniti": ArchiveKind.APPLICATION_RESPONSE,
}


def _kind(path: Path) -> ArchiveKind:
    if path.suffix == ".zip":
        return ArchiveKind.ENVELOPE
    for marker, kind in KINDS.items():
        if marker in path.name:
            return kind
    return ArchiveKind.INVOICE


def _samples(root: Path) -> list[tuple[str, bytes, ArchiveKind]]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found.append((path.relative_to(root).as_posix(), data, _kind(path)))
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for info in zf.infolist():
                    found.append((f"{path.name}!{info.filename}", zf.read(info),
                                  ArchiveKind.ENVELOPE))
    return found


def test_every_shared_sample_round_trips_byte_for_byte(
    db: Database, archive: Archive, samples_dir: Path
) -> None:
    samples = _samples(samples_dir)
    assert len(samples) > 80
    with db.transaction() as conn:
        refs = [
            (name, data, archive.put(conn, data, kind=kind, direction="IN", tenant_id=1))
            for name, data, kind in samples
        ]
    with db.transaction(read_only=True) as conn:
        for name, data, ref in refs:
            assert ref.sha256 == hashlib.sha256(data).hexdigest(), name
            assert archive.get(conn, ref) == data, name


@pytest.mark.slow
def test_ten_thousand_generated_invoices_round_trip(
    db: Database, archive: Archive, invoice: Callable[..., bytes]
) -> None:
    template = invoice()
    documents = [
        template.replace(b"ENT2025000000001", f"ENT2025{n:09d}".encode()).replace(
            b"78000.00</cbc:PayableAmount>", f"{n}.00</cbc:PayableAmount>".encode()
        )
        for n in range(10_000)
    ]
    refs = []
    for start in range(0, len(documents), 1000):
        with db.transaction() as conn:
            refs.extend(put_many(
                conn,
                archive,
                [BulkItem(d, ArchiveKind.INVOICE, "OUT", ArchiveMeta()) for d in
                 documents[start:start + 1000]],
                tenant_id=1,
            ))
    with db.transaction(read_only=True) as conn:
        for data, ref in zip(documents, refs, strict=True):
            assert archive.get(conn, ref) == data
    assert len({r.sha256 for r in refs}) == 10_000
    assert verify(db, archive).ok
