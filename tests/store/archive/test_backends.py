"""Tests of entegrator.store.archive.backends: the directory back end beside the database."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from entegrator.store import Database, FakeClock
from entegrator.store.archive import Archive, ArchiveConfig, DocumentNotArchived
from entegrator.store.archive.maintenance import collect_orphans
from entegrator.store.archive.verify import verify


@pytest.fixture
def directory_archive(tmp_path: Path, clock: FakeClock) -> Archive:
    return Archive(ArchiveConfig(backend="directory", directory=tmp_path / "arsiv"), clock=clock)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_directory_back_end_round_trips(
    db: Database, directory_archive: Archive, invoice: Callable[..., bytes]
) -> None:
    with db.transaction() as conn:
        ref = directory_archive.put(conn, invoice(), kind="invoice", direction="OUT",
                                    tenant_id=None)
    with db.transaction(read_only=True) as conn:
        assert directory_archive.get(conn, ref) == invoice()
    names = [p.name for p in _files(directory_archive.config.directory or Path())]
    assert ref.sha256 in names and len(names) == 2  # the document and its shared XSLT


def test_the_file_exists_before_the_caller_commits(
    db: Database, directory_archive: Archive
) -> None:
    with db.transaction() as conn:
        ref = directory_archive.put(conn, b"<a>1</a>", kind="envelope", direction="IN",
                                    tenant_id=None)
        path = directory_archive.backends["dir"].path(ref.sha256)  # type: ignore[attr-defined]
        assert path.read_bytes()  # written (and fsync'd) already


def test_a_rollback_leaves_an_orphan_that_collection_removes_after_the_grace(
    db: Database, directory_archive: Archive
) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), db.transaction() as conn:
        directory_archive.put(conn, b"<a>1</a>", kind="envelope", direction="IN",
                              tenant_id=None)
        raise Boom
    with db.transaction() as conn:
        kept = directory_archive.put(conn, b"<a>2</a>", kind="envelope", direction="IN",
                                     tenant_id=None)
    root = directory_archive.config.directory or Path()
    assert len(_files(root)) == 2
    assert collect_orphans(db, directory_archive) == 0  # too young
    old = time.time() - 3 * 86400
    for path in _files(root):
        os.utime(path, (old, old))
    assert collect_orphans(db, directory_archive) == 1
    assert [p.name for p in _files(root)] == [kept.sha256]


def test_a_changed_file_is_reported_by_verify(
    db: Database, directory_archive: Archive
) -> None:
    with db.transaction() as conn:
        ref = directory_archive.put(conn, b"<a>hello</a>" * 20, kind="envelope",
                                    direction="IN", tenant_id=None)
    path: Path = directory_archive.backends["dir"].path(ref.sha256)  # type: ignore[attr-defined]
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x40
    path.write_bytes(bytes(data))
    assert [f.problem for f in verify(db, directory_archive).findings] == ["changed"]
    path.unlink()
    assert [f.problem for f in verify(db, directory_archive).findings] == ["vanished"]


def test_content_stored_in_the_database_is_still_read_after_switching(
    db: Database, archive: Archive, directory_archive: Archive
) -> None:
    with db.transaction() as conn:
        ref = archive.put(conn, b"<a>db</a>", kind="envelope", direction="IN", tenant_id=None)
    with db.transaction(read_only=True) as conn:
        assert directory_archive.get(conn, ref) == b"<a>db</a>"


def test_directory_content_without_a_configured_directory_is_an_error(
    db: Database, archive: Archive, directory_archive: Archive
) -> None:
    with db.transaction() as conn:
        ref = directory_archive.put(conn, b"<a>x</a>", kind="envelope", direction="IN",
                                    tenant_id=None)
    with db.transaction(read_only=True) as conn, pytest.raises(Exception, match="deposunda"):
        archive.get(conn, ref)
    with db.transaction(read_only=True) as conn, pytest.raises(DocumentNotArchived):
        archive.get(conn, "f" * 64)
