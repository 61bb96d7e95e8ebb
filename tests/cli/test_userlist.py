"""Tests of entegrator.cli.userlist: refresh, lookup and search from the command line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from entegrator.cli.main import main
from entegrator.gib.userlist import UserListKind
from entegrator.store import Database, StoreConfig
from tests.core.support import CorePki, make_config, make_pki, write_config_file
from tests.core.userlist_server import ListServer, make_user, serve_lists


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> CorePki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def lists() -> Iterator[ListServer]:
    with serve_lists() as server:
        for kind in UserListKind:
            server.publish(kind, [make_user("9205121120", "KARADENİZ GIDA LTD. ŞTİ.", kind=kind,
                                            gb=["urn:mail:defaultgb@karadeniz.com.tr"],
                                            pk=["urn:mail:defaultpk@karadeniz.com.tr"])])
        yield server


@pytest.fixture
def configured(db: Database, db_config: StoreConfig, tmp_path: Path, pki: CorePki, *,
               lists: ListServer, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_config(db_config, tmp_path, pki, merkez_url=lists.merkez_url)
    monkeypatch.setenv("ENTEGRATOR_CONFIG", str(write_config_file(config, tmp_path)))


def test_refresh_then_lookup(configured: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["userlist", "refresh"]) == 0
    out = capsys.readouterr().out
    assert "kullanıcı listesi yüklendi (tam): 1 kullanıcı, 2 etiket" in out
    assert re.search(r"\(indirme [0-9.]+, ayrıştırma [0-9.]+, yazma [0-9.]+\)", out), out
    assert main(["userlist", "lookup", "9205121120"]) == 0
    out = capsys.readouterr().out
    assert "KARADENİZ GIDA LTD. ŞTİ." in out
    assert "PK\tInvoice\turn:mail:defaultpk@karadeniz.com.tr\taçık" in out


def test_lookup_of_a_non_user_exits_1(configured: None, capsys: pytest.CaptureFixture[str]) -> None:
    main(["userlist", "refresh", "--full"])
    assert main(["userlist", "lookup", "4540536920"]) == 1
    assert "kayıtlı kullanıcısı değil" in capsys.readouterr().out


def test_search_finds_by_unaccented_words(
    configured: None, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["userlist", "refresh"])
    capsys.readouterr()
    assert main(["userlist", "search", "karadeniz gida"]) == 0
    assert "9205121120\tKARADENİZ GIDA LTD. ŞTİ." in capsys.readouterr().out
    assert main(["userlist", "search", "yok boyle"]) == 1
