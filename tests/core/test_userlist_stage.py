"""Tests of entegrator.core.userlist_stage: values in the tables' form (with the per-load
caches), and what is staged from the GB and PK zips, on a scratch SQLite file and on
PostgreSQL temporary tables."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entegrator.core.turkish import fold
from entegrator.core.userlist_stage import (
    _TABLES,
    PgStage,
    SqliteStage,
    StagedCounts,
    _Values,
    stage,
)
from entegrator.gib.userlist import (
    DESPATCH_ADVICE,
    INVOICE,
    Alias,
    DocumentAliases,
    User,
    UserListKind,
    write_users_zip,
)
from entegrator.store.db import Database

GB, PK = UserListKind.GB, UserListKind.PK
ISTANBUL = ZoneInfo("Europe/Istanbul")


def reference_utc(local: str) -> str:
    """GİB's local time as stored UTC text, computed without the stage's caches."""
    moment = dt.datetime.fromisoformat(local)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ISTANBUL)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


# -- values --------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=40))
def test_word_by_word_fold_equals_fold(titles: list[str]) -> None:
    values = _Values()
    for title in titles + titles:  # the second round answers from the cache
        assert values.fold(title) == fold(title)


def test_fold_handles_compatibility_characters_that_become_spaces() -> None:
    values = _Values()
    for title in ("a\u00a8b", "\u00a8", "ŞİRKETİ  \u2003 A.Ş.", "ﬁrma ı I İ"):
        assert values.fold(title) == fold(title)


@settings(max_examples=500, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1)))
def test_utc_of_local_times_equals_the_zoneinfo_conversion(moment: dt.datetime) -> None:
    local = moment.strftime("%Y-%m-%dT%H:%M:%S")
    values = _Values()
    assert values.utc(local) == reference_utc(local)
    assert values.utc(local) == reference_utc(local)  # cached hour


@pytest.mark.parametrize("local", [
    "2015-03-29T02:59:59", "2015-03-29T03:30:00", "2015-03-29T04:00:00",  # spring forward
    "2015-11-08T03:30:00", "2015-11-08T04:30:00",  # fall back
    "2016-09-07T00:00:00", "2021-03-09T15:36:56", "2024-02-29T23:59:59",
    "1905-06-01T12:30:00",  # Istanbul mean time: +01:56:56, not whole hours
])
def test_utc_around_turkeys_offset_changes(local: str) -> None:
    values = _Values()
    for same_hour in (local, local[:14] + "00:00", local[:14] + "59:59", local):
        assert values.utc(same_hour) == reference_utc(same_hour)


@pytest.mark.parametrize(("given_", "expected"), [
    ("2021-03-09T15:36:56+03:00", "2021-03-09 12:36:56.000000"),
    ("2021-03-09T15:36+03", "2021-03-09 12:36:00.000000"),  # 19 characters, with an offset
    ("2021-03-09T15:36:56Z", "2021-03-09 15:36:56.000000"),
    ("2021-03-09T15:36:56.5", "2021-03-09 12:36:56.500000"),
    ("2021-03-09", "2021-03-08 21:00:00.000000"),
    ("", None),
    (None, None),
    ("2021-02-30T10:00:00", None),
    ("2021-03-09T25:00:00", None),
    ("yarın", None),
    ("0001-01-01T00:00:00", None),  # a placeholder: before UTC's year 1
    ("0001-01-01T05:00:00", "0001-01-01 03:04:08.000000"),  # LMT +01:55:52
    ("9999-12-31T23:59:59", "9999-12-31 20:59:59.000000"),
])
def test_utc_of_other_forms(given_: str | None, expected: str | None) -> None:
    assert _Values().utc(given_) == expected


# -- staging -------------------------------------------------------------------------------


def _user(ident: str, title: str, *aliases: tuple[str | None, str, str, str | None],
          first: str = "2021-03-09T15:36:56") -> User:
    groups: dict[str | None, list[Alias]] = {}
    for document_type, name, created, deleted in aliases:
        groups.setdefault(document_type, []).append(Alias((name,), created, deleted))
    return User(ident, title, "OZEL", first, "OZELENTEGRASYON",
                tuple(DocumentAliases(t, tuple(a)) for t, a in groups.items()))


def write_lists(folder: Path, lists: dict[UserListKind, Iterable[User]]) -> dict[
        UserListKind, Path]:
    """Each list as a zip in ``folder``."""
    zips = {}
    for kind, users in lists.items():
        zips[kind] = folder / kind.file_name
        write_users_zip(users, zips[kind], member_name=kind.member_name)
    return zips


def staged(db: Database, tmp_path: Path, zips: dict[UserListKind, Path], *,
           roles: bool) -> tuple[StagedCounts, dict[str, list[tuple[Any, ...]]]]:
    """Stage ``zips`` on ``db``'s kind of stage; the counts and every staged row, sorted."""
    if db.dialect == "sqlite":
        sink = SqliteStage(tmp_path / "stage.sqlite")
        try:
            counts = stage(zips, sink, roles=roles)
        finally:
            sink.close()
        with sqlite3.connect(tmp_path / "stage.sqlite") as scratch:
            return counts, {table: sorted(scratch.execute(
                f"SELECT {', '.join(columns)} FROM {table}")) for table, columns in _TABLES}
    with db.engine.connect() as conn, conn.begin():
        pg = PgStage(conn.connection.driver_connection, "t_stage")
        counts = stage(zips, pg, roles=roles)
        tables = {}
        for table, columns in _TABLES:
            rows = conn.exec_driver_sql(
                f"SELECT {', '.join(columns)} FROM {pg.names[table]}").all()
            tables[table] = sorted(tuple(_as_text(v) for v in row) for row in rows)
        conn.rollback()
    return counts, tables


def _as_text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def test_stage_keeps_the_gb_record_and_both_lists_aliases(db: Database, tmp_path: Path) -> None:
    zips = write_lists(tmp_path, {
        GB: [_user("1111111111", "ÇELİK A.Ş.",
                   (INVOICE, "urn:mail:gb@celik.com", "2021-03-09T15:36:56", None))],
        PK: [_user("1111111111", "ESKİ ÜNVAN", (INVOICE, "urn:mail:pk@celik.com",
                                                "2021-03-09T15:36:56", "2024-01-02T10:00:00"),
                   (DESPATCH_ADVICE, "urn:mail:irs@celik.com", "2025-06-30T14:51:42", None)),
             _user("2222222222", "İKİNCİ", (None, "urn:mail:pk@iki.com", "2020-01-01T00:00:00",
                                           None), first="")],
    })
    counts, tables = staged(db, tmp_path, zips, roles=True)
    assert counts == StagedCounts(users=2, aliases=4)
    assert tables["users"] == [
        ("1111111111", "ÇELİK A.Ş.", "celik a.s.", "OZEL", "OZELENTEGRASYON",
         "2021-03-09 12:36:56.000000"),
        ("2222222222", "İKİNCİ", "ikinci", "OZEL", "OZELENTEGRASYON", None),
    ]
    assert tables["aliases"] == [
        ("1111111111", "GB", INVOICE, "urn:mail:gb@celik.com", "2021-03-09 12:36:56.000000",
         None),
        ("1111111111", "PK", DESPATCH_ADVICE, "urn:mail:irs@celik.com",
         "2025-06-30 11:51:42.000000", None),
        ("1111111111", "PK", INVOICE, "urn:mail:pk@celik.com", "2021-03-09 12:36:56.000000",
         "2024-01-02 07:00:00.000000"),
        ("2222222222", "PK", INVOICE, "urn:mail:pk@iki.com", "2019-12-31 21:00:00.000000",
         None),
    ]
    assert tables["roles"] == [("GB", "1111111111"), ("PK", "1111111111"),
                               ("PK", "2222222222")]


def test_stage_names_roles_only_when_asked(db: Database, tmp_path: Path) -> None:
    zips = write_lists(tmp_path, {PK: [_user("2222222222", "İKİ", (
        INVOICE, "urn:mail:pk@iki.com", "2020-01-01T00:00:00", None))]})
    counts, tables = staged(db, tmp_path, zips, roles=False)
    assert counts == StagedCounts(1, 1)
    assert (len(tables["users"]), len(tables["aliases"]), tables["roles"]) == (1, 1, [])


def test_stage_keeps_the_first_of_repeated_aliases(db: Database, tmp_path: Path) -> None:
    # within one record, and across records of one user (the legacy one-row-per-alias layout)
    zips = write_lists(tmp_path, {PK: [
        _user("3333333333", "ÜÇ", (INVOICE, "urn:mail:a@uc.com", "2020-01-01T00:00:00", None),
              (INVOICE, "urn:mail:a@uc.com", "2020-05-05T00:00:00", "2021-01-01T00:00:00")),
        _user("4444444444", "DÖRT", (INVOICE, "urn:mail:a@dort.com", "2020-01-01T00:00:00",
                                     None)),
        _user("3333333333", "ÜÇ TEKRAR", (INVOICE, "urn:mail:a@uc.com", "2022-02-02T00:00:00",
                                          None),
              (INVOICE, "urn:mail:b@uc.com", "2022-02-02T00:00:00", None)),
    ]})
    counts, tables = staged(db, tmp_path, zips, roles=True)
    assert counts == StagedCounts(users=2, aliases=3)
    assert [row[:2] for row in tables["users"]] == [("3333333333", "ÜÇ"),
                                                    ("4444444444", "DÖRT")]
    assert tables["aliases"] == [
        ("3333333333", "PK", INVOICE, "urn:mail:a@uc.com", "2019-12-31 21:00:00.000000", None),
        ("3333333333", "PK", INVOICE, "urn:mail:b@uc.com", "2022-02-01 21:00:00.000000", None),
        ("4444444444", "PK", INVOICE, "urn:mail:a@dort.com", "2019-12-31 21:00:00.000000",
         None),
    ]
    assert tables["roles"] == [("PK", "3333333333"), ("PK", "4444444444")]
