"""Tests of entegrator.core.userlist: refresh over HTTP, look-up, search, CheckUser, the job."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from entegrator.core import userlist
from entegrator.core.wiring import Integrator
from entegrator.errors import TransportError
from entegrator.gib.errors import UserListError
from entegrator.gib.userlist import UserListKind
from entegrator.store import FakeClock, StoreConfig
from entegrator.store.domain import gib_userlist_syncs
from entegrator.store.jobs import Worker, WorkerConfig, get_job
from tests.core.support import CorePki, make_integrator
from tests.core.userlist_server import ListServer, make_user, serve_lists

GB, PK = UserListKind.GB, UserListKind.PK
ANADOLU = ("4540536920", "ANADOLU BİLİŞİM TEKNOLOJİLERİ A.Ş.")
KARADENIZ = ("9205121120", "Karadeniz Gıda Sanayi ve Ticaret Ltd. Şti.")
PERSON = ("10000000146", "AYŞE YILMAZ")


def _publish_base(server: ListServer) -> None:
    aliases = {
        ANADOLU: ({"gb": ["urn:mail:defaultgb@anadolu.com.tr"],
                   "pk": ["urn:mail:defaultpk@anadolu.com.tr", "urn:mail:eskipk@anadolu.com.tr"],
                   "closed": ["urn:mail:eskipk@anadolu.com.tr"]}),
        KARADENIZ: {"gb": ["urn:mail:defaultgb@karadeniz.com.tr"],
                    "pk": ["urn:mail:defaultpk@karadeniz.com.tr"]},
        PERSON: {"pk": ["urn:mail:ayse@yilmaz.com.tr"]},
    }
    for kind in (GB, PK):
        server.publish(kind, [make_user(ident, title, kind=kind, **given)  # type: ignore[arg-type]
                              for (ident, title), given in aliases.items()])


@pytest.fixture
def lists() -> Iterator[ListServer]:
    with serve_lists() as server:
        _publish_base(server)
        yield server


@pytest.fixture
def integrator(db_config: StoreConfig, tmp_path: Path, core_pki: CorePki,
               lists: ListServer) -> Iterator[Integrator]:
    built = make_integrator(db_config, tmp_path, core_pki, merkez_url=lists.merkez_url)
    try:
        yield built
    finally:
        built.close()


def test_full_refresh_loads_both_lists(integrator: Integrator, lists: ListServer) -> None:
    result = userlist.refresh(integrator, full=True)
    assert (result.kind, result.users, result.aliases) == ("full", 3, 6)
    assert sorted(path for path, _ in lists.requests) == [
        "/EFaturaMerkez/newUserGbListxml.zip", "/EFaturaMerkez/newUserPkListxml.zip"]


def test_lookup_returns_every_alias_with_its_role(integrator: Integrator) -> None:
    userlist.refresh(integrator, full=True)
    user = integrator.gib_users.lookup("454 053 6920")
    assert user is not None
    assert (user.title, user.type, user.account_type) == (ANADOLU[1], "OZEL", "OZELENTEGRASYON")
    assert sorted((a.role, a.alias, a.active) for a in user.aliases) == [
        ("GB", "urn:mail:defaultgb@anadolu.com.tr", True),
        ("PK", "urn:mail:defaultpk@anadolu.com.tr", True),
        ("PK", "urn:mail:eskipk@anadolu.com.tr", False),
    ]


def test_list_times_are_turkish_local_time(integrator: Integrator) -> None:
    userlist.refresh(integrator, full=True)
    user = integrator.gib_users.lookup(ANADOLU[0])
    assert user is not None
    assert user.first_creation_time == dt.datetime(2021, 3, 9, 12, 36, 56, tzinfo=dt.UTC)


def test_lookup_of_an_unknown_number_is_none(integrator: Integrator) -> None:
    userlist.refresh(integrator, full=True)
    assert integrator.gib_users.lookup("1234567890") is None


def test_check_user_lists_one_entry_per_open_pk_alias(integrator: Integrator) -> None:
    userlist.refresh(integrator, full=True)
    entries = integrator.gib_users.check_user(ANADOLU[0])
    assert [(user.identifier, alias.alias) for user, alias in entries] == [
        (ANADOLU[0], "urn:mail:defaultpk@anadolu.com.tr")]
    assert [a.role for _, a in integrator.gib_users.check_user(ANADOLU[0], role=None)] == [
        "GB", "PK"]


def test_check_user_is_empty_for_a_non_user(integrator: Integrator) -> None:
    userlist.refresh(integrator, full=True)
    assert integrator.gib_users.check_user("1234567890") == []
    assert integrator.gib_users.check_user(PERSON[0], role="GB") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("anadolu bilisim", [ANADOLU[0]]),
    ("KARADENİZ GIDA", [KARADENIZ[0]]),
    ("sti", [KARADENIZ[0]]),
    ("ayşe", [PERSON[0]]),
    ("a.ş.", [ANADOLU[0]]),
    ("1000", [PERSON[0]]),
    ("%", []),
])
def test_search_by_title_words_or_number_prefix(
    integrator: Integrator, text: str, expected: list[str]
) -> None:
    userlist.refresh(integrator, full=True)
    assert [u.identifier for u in integrator.gib_users.search(text)] == expected


def test_search_puts_title_prefix_matches_first(integrator: Integrator) -> None:
    userlist.refresh(integrator, full=True)
    assert [u.identifier for u in integrator.gib_users.search("a")][:1] == [ANADOLU[0]]


def test_a_new_refresh_replaces_cached_answers(integrator: Integrator, lists: ListServer) -> None:
    userlist.refresh(integrator, full=True)
    assert integrator.gib_users.lookup(PERSON[0]) is not None
    for kind in (GB, PK):
        lists.publish(kind, [make_user(*KARADENIZ, kind=kind,
                                       gb=["urn:mail:defaultgb@karadeniz.com.tr"],
                                       pk=["urn:mail:yeni@karadeniz.com.tr"])])
    userlist.refresh(integrator, full=True)
    assert integrator.gib_users.lookup(PERSON[0]) is None
    user = integrator.gib_users.lookup(KARADENIZ[0])
    assert user is not None
    assert [a.alias for a in user.active_aliases("PK")] == ["urn:mail:yeni@karadeniz.com.tr"]


def test_incremental_refresh_asks_since_and_upserts_the_changes(
    integrator: Integrator, lists: ListServer
) -> None:
    first = userlist.refresh(integrator, full=True)
    lists.publish(GB, [make_user("5239384995", "YENİ FİRMA A.Ş.", kind=GB,
                                 gb=["urn:mail:defaultgb@yeni.com.tr"])], delta=True)
    lists.publish(PK, [make_user("5239384995", "YENİ FİRMA A.Ş.", kind=PK,
                                 pk=["urn:mail:defaultpk@yeni.com.tr"]),
                       make_user(*KARADENIZ, kind=PK, pk=["urn:mail:defaultpk@karadeniz.com.tr"],
                                 closed=["urn:mail:defaultpk@karadeniz.com.tr"])], delta=True)
    assert isinstance(integrator.clock, FakeClock)
    integrator.clock.advance(3600)
    result = userlist.refresh(integrator)
    assert (result.kind, result.users) == ("incremental", 2)
    asked = [query["since"][0] for _, query in lists.requests[2:]]
    expected_since = (integrator.clock.now() - dt.timedelta(seconds=3600)
                      - userlist.SINCE_OVERLAP).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert asked == [expected_since, expected_since]
    directory = integrator.gib_users
    assert directory.lookup(PERSON[0]) is not None  # untouched
    assert directory.check_user(KARADENIZ[0]) == []  # its PK alias was closed
    assert [a.alias for _, a in directory.check_user(KARADENIZ[0], role="GB")] == [
        "urn:mail:defaultgb@karadeniz.com.tr"]
    assert [a.alias for _, a in directory.check_user("5239384995")] == [
        "urn:mail:defaultpk@yeni.com.tr"]
    assert result.sync_id > first.sync_id


def test_refresh_is_full_when_none_succeeded_yet(integrator: Integrator) -> None:
    assert userlist.refresh(integrator).kind == "full"


def test_a_failed_download_keeps_the_previous_list_and_records_the_error(
    integrator: Integrator, lists: ListServer
) -> None:
    userlist.refresh(integrator, full=True)
    del lists.files[PK.file_name]
    with pytest.raises(TransportError):
        userlist.refresh(integrator, full=True)
    assert integrator.gib_users.lookup(ANADOLU[0]) is not None
    with integrator.db.transaction(read_only=True) as conn:
        errors = conn.execute(select(gib_userlist_syncs.c.error)
                              .order_by(gib_userlist_syncs.c.id)).scalars().all()
    assert errors[0] is None and "404" in (errors[1] or "")


def test_the_refresh_job_refreshes_and_comes_back(integrator: Integrator) -> None:
    with integrator.db.transaction() as conn:
        job_id = userlist.ensure_refresh_scheduled(conn, integrator)
        assert userlist.ensure_refresh_scheduled(conn, integrator) == job_id
    worker = Worker(integrator.db, integrator.jobs, WorkerConfig(poll_interval=0),
                    clock=integrator.clock)
    assert worker.run_once() == 1
    assert integrator.gib_users.lookup(ANADOLU[0]) is not None
    with integrator.db.transaction(read_only=True) as conn:
        job = get_job(conn, job_id)
    assert job.state.value == "pending"
    assert job.run_at == integrator.clock.now() + dt.timedelta(
        seconds=integrator.config.userlist.refresh_interval)



def test_a_list_damaged_in_the_middle_keeps_the_previous_list_and_records_the_error(
    integrator: Integrator, lists: ListServer
) -> None:
    first = userlist.refresh(integrator, full=True)
    lists.publish(PK, [make_user(f"{5_000_000_000 + i:010d}", f"FİRMA {i}", kind=PK,
                                 pk=[f"urn:mail:pk@f{i}.com"]) for i in range(5_000)])
    body = bytearray(lists.files[PK.file_name])
    middle = len(body) // 2  # inside the compressed XML: still a zip, broken when read
    body[middle:middle + 8] = bytes(b ^ 0xFF for b in body[middle:middle + 8])
    lists.files[PK.file_name] = bytes(body)
    with pytest.raises(UserListError):
        userlist.refresh(integrator, full=True)
    assert integrator.gib_users.lookup(f"{5_000_000_000:010d}") is None
    assert [a.alias for _, a in integrator.gib_users.check_user(PERSON[0])] == [
        "urn:mail:ayse@yilmaz.com.tr"]
    assert integrator.gib_users.current_sync() == first.sync_id
    with integrator.db.transaction(read_only=True) as conn:
        errors = conn.execute(select(gib_userlist_syncs.c.error)
                              .order_by(gib_userlist_syncs.c.id)).scalars().all()
    assert errors[0] is None and (errors[1] or "").startswith("UserListError")


def test_the_result_times_its_steps(integrator: Integrator) -> None:
    result = userlist.refresh(integrator, full=True)
    steps = (result.download_seconds, result.stage_seconds, result.apply_seconds)
    assert all(step >= 0 for step in steps)
    assert sum(steps) == pytest.approx(result.seconds, abs=0.05)
