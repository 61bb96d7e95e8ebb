"""Tests of entegrator.core.userlist_load: full and incremental loads write exactly the
differences, the caller's rows join the transaction, and a failed load (a zip damaged in the
middle, an error in the caller's block) leaves the previous list intact."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from entegrator.core import userlist_load
from entegrator.core.userlist_stage import StagedCounts
from entegrator.gib.errors import UserListError
from entegrator.gib.userlist import INVOICE, Alias, DocumentAliases, User, UserListKind
from entegrator.store.db import Database
from entegrator.store.domain import gib_user_aliases, gib_userlist_syncs, gib_users
from tests.core.test_userlist_stage import write_lists

GB, PK = UserListKind.GB, UserListKind.PK
T0 = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
T1 = T0 + dt.timedelta(hours=1)


def _user(ident: str, title: str, *names: str, closed: tuple[str, ...] = ()) -> User:
    aliases = tuple(Alias((n,), "2021-03-09T15:36:56",
                          "2024-01-02T10:00:00" if n in closed else None) for n in names)
    return User(ident, title, "OZEL", "2021-03-09T15:36:56", "OZELENTEGRASYON",
                (DocumentAliases(INVOICE, aliases),))


def _load(db: Database, folder: Path, lists: dict[UserListKind, list[User]], *, full: bool,
          now: dt.datetime) -> StagedCounts:
    folder.mkdir(exist_ok=True)
    zips = write_lists(folder, lists)
    with userlist_load.load(db, zips, full=full, now=now,
                            scratch=folder / "scratch.sqlite") as loaded:
        return loaded.counts


def users_of(db: Database) -> dict[str, tuple[str, dt.datetime]]:
    """identifier → (title, updated_at)."""
    with db.transaction(read_only=True) as conn:
        return {row.identifier: (row.title, row.updated_at) for row in conn.execute(
            select(gib_users.c.identifier, gib_users.c.title, gib_users.c.updated_at))}


def aliases_of(db: Database) -> dict[tuple[str, str, str], tuple[int, bool]]:
    """(identifier, role, alias) → (row id, closed)."""
    with db.transaction(read_only=True) as conn:
        return {(r.identifier, r.role, r.alias): (r.id, r.deleted_at is not None)
                for r in conn.execute(select(gib_user_aliases))}


def snapshot(db: Database) -> tuple[list[Any], list[Any]]:
    """Every row of both tables."""
    with db.transaction(read_only=True) as conn:
        return (sorted(tuple(r) for r in conn.execute(select(gib_users))),
                sorted(tuple(r) for r in conn.execute(select(gib_user_aliases))))


BASE = {
    GB: [_user("1111111111", "BİR A.Ş.", "urn:mail:gb@bir.com"),
         _user("2222222222", "İKİ LTD.", "urn:mail:gb@iki.com")],
    PK: [_user("1111111111", "BİR A.Ş.", "urn:mail:pk@bir.com", "urn:mail:eski@bir.com",
               closed=("urn:mail:eski@bir.com",)),
         _user("2222222222", "İKİ LTD.", "urn:mail:pk@iki.com"),
         _user("3333333333", "ÜÇ", "urn:mail:pk@uc.com")],
}


def test_full_load_into_empty_tables(db: Database, tmp_path: Path) -> None:
    counts = _load(db, tmp_path / "a", BASE, full=True, now=T0)
    assert counts == StagedCounts(users=3, aliases=6)
    assert users_of(db) == {"1111111111": ("BİR A.Ş.", T0), "2222222222": ("İKİ LTD.", T0),
                            "3333333333": ("ÜÇ", T0)}
    assert {key: closed for key, (_, closed) in aliases_of(db).items()} == {
        ("1111111111", "GB", "urn:mail:gb@bir.com"): False,
        ("1111111111", "PK", "urn:mail:pk@bir.com"): False,
        ("1111111111", "PK", "urn:mail:eski@bir.com"): True,
        ("2222222222", "GB", "urn:mail:gb@iki.com"): False,
        ("2222222222", "PK", "urn:mail:pk@iki.com"): False,
        ("3333333333", "PK", "urn:mail:pk@uc.com"): False,
    }


def test_full_load_writes_only_the_differences(db: Database, tmp_path: Path) -> None:
    _load(db, tmp_path / "a", BASE, full=True, now=T0)
    before = aliases_of(db)
    changed = {
        GB: [_user("1111111111", "BİR HOLDİNG A.Ş.", "urn:mail:gb@bir.com")],
        PK: [_user("1111111111", "BİR HOLDİNG A.Ş.", "urn:mail:pk@bir.com",
                   closed=("urn:mail:pk@bir.com",)),
             _user("3333333333", "ÜÇ", "urn:mail:pk@uc.com", "urn:mail:yeni@uc.com")],
    }
    counts = _load(db, tmp_path / "b", changed, full=True, now=T1)
    assert counts == StagedCounts(users=2, aliases=4)
    # 2222222222 left the list; 1111111111 changed (new updated_at); 3333333333 did not
    assert users_of(db) == {"1111111111": ("BİR HOLDİNG A.Ş.", T1),
                            "3333333333": ("ÜÇ", T0)}
    after = aliases_of(db)
    assert set(after) == {("1111111111", "GB", "urn:mail:gb@bir.com"),
                          ("1111111111", "PK", "urn:mail:pk@bir.com"),
                          ("3333333333", "PK", "urn:mail:pk@uc.com"),
                          ("3333333333", "PK", "urn:mail:yeni@uc.com")}
    assert after[("1111111111", "PK", "urn:mail:pk@bir.com")][1] is True  # closed now
    for kept in (("1111111111", "GB", "urn:mail:gb@bir.com"),
                 ("1111111111", "PK", "urn:mail:pk@bir.com"),
                 ("3333333333", "PK", "urn:mail:pk@uc.com")):
        assert after[kept][0] == before[kept][0]  # updated in place, not re-inserted


def test_loading_the_same_list_again_changes_nothing(db: Database, tmp_path: Path) -> None:
    _load(db, tmp_path / "a", BASE, full=True, now=T0)
    before = snapshot(db)
    _load(db, tmp_path / "b", BASE, full=True, now=T1)
    _load(db, tmp_path / "c", BASE, full=False, now=T1)
    assert snapshot(db) == before  # same ids, same updated_at


def test_incremental_load_replaces_aliases_only_of_the_named_role(
    db: Database, tmp_path: Path
) -> None:
    _load(db, tmp_path / "a", BASE, full=True, now=T0)
    delta = {PK: [_user("1111111111", "BİR A.Ş.", "urn:mail:yeni@bir.com"),
                  _user("4444444444", "DÖRT", "urn:mail:pk@dort.com")],
             GB: [_user("4444444444", "DÖRT", "urn:mail:gb@dort.com")]}
    counts = _load(db, tmp_path / "b", delta, full=False, now=T1)
    assert counts == StagedCounts(users=2, aliases=3)
    assert set(aliases_of(db)) == {
        ("1111111111", "GB", "urn:mail:gb@bir.com"),  # GB list did not name it: kept
        ("1111111111", "PK", "urn:mail:yeni@bir.com"),  # its PK aliases replaced
        ("2222222222", "GB", "urn:mail:gb@iki.com"),  # not named at all: untouched
        ("2222222222", "PK", "urn:mail:pk@iki.com"),
        ("3333333333", "PK", "urn:mail:pk@uc.com"),
        ("4444444444", "GB", "urn:mail:gb@dort.com"),  # new
        ("4444444444", "PK", "urn:mail:pk@dort.com"),
    }
    assert set(users_of(db)) == {"1111111111", "2222222222", "3333333333", "4444444444"}
    assert users_of(db)["4444444444"] == ("DÖRT", T1)
    assert users_of(db)["1111111111"] == ("BİR A.Ş.", T0)  # unchanged record


def test_incremental_load_of_a_gb_only_delta_keeps_pk_aliases(
    db: Database, tmp_path: Path
) -> None:
    _load(db, tmp_path / "a", BASE, full=True, now=T0)
    counts = _load(db, tmp_path / "b", {GB: [_user("1111111111", "BİR A.Ş.")], PK: []},
                   full=False, now=T1)
    assert counts == StagedCounts(users=1, aliases=0)
    assert {k for k in aliases_of(db) if k[0] == "1111111111"} == {
        ("1111111111", "PK", "urn:mail:pk@bir.com"), ("1111111111", "PK", "urn:mail:eski@bir.com")}


def test_the_callers_rows_commit_with_the_load(db: Database, tmp_path: Path) -> None:
    zips = write_lists(tmp_path, BASE)
    with userlist_load.load(db, zips, full=True, now=T0,
                            scratch=tmp_path / "scratch.sqlite") as loaded:
        loaded.conn.execute(insert(gib_userlist_syncs).values(
            started_at=T0, finished_at=T0, kind="full", users=loaded.counts.users,
            aliases=loaded.counts.aliases))
        assert loaded.stage_seconds >= 0
    with db.transaction(read_only=True) as conn:
        assert conn.execute(select(gib_userlist_syncs.c.users)).scalars().all() == [3]


def test_an_error_in_the_callers_block_rolls_the_load_back(db: Database, tmp_path: Path) -> None:
    _load(db, tmp_path / "a", BASE, full=True, now=T0)
    before = snapshot(db)
    zips = write_lists(tmp_path, {GB: [], PK: [_user("9999999999", "YENİ", "urn:mail:x@y.com")]})
    with pytest.raises(RuntimeError), userlist_load.load(
            db, zips, full=True, now=T1, scratch=tmp_path / "scratch.sqlite"):
        raise RuntimeError("kayıt yazılamadı")
    assert snapshot(db) == before
    _load(db, tmp_path / "b", BASE, full=False, now=T1)  # the next load works (no leftovers)
    assert snapshot(db) == before


def _many(count: int, role: str) -> list[User]:
    return [_user(f"{5_000_000_000 + i:010d}", f"FİRMA {i}", f"urn:mail:{role}@f{i}.com")
            for i in range(count)]


def _damage_in_the_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.infolist()[0]
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle:middle + 8] = bytes(b ^ 0xFF for b in data[middle:middle + 8])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("full", [True, False])
def test_a_zip_damaged_in_the_middle_leaves_the_previous_list(
    db: Database, tmp_path: Path, full: bool
) -> None:
    _load(db, tmp_path / "a", BASE, full=True, now=T0)
    before = snapshot(db)
    folder = tmp_path / "b"
    folder.mkdir()
    # GB is whole, PK breaks after thousands of users were read and staged
    zips = write_lists(folder, {GB: _many(3_000, "gb"), PK: _many(6_000, "pk")})
    _damage_in_the_middle(zips[PK])
    with pytest.raises(UserListError), userlist_load.load(
            db, zips, full=full, now=T1, scratch=folder / "scratch.sqlite"):
        pytest.fail("the load must not reach its transaction")
    assert snapshot(db) == before
