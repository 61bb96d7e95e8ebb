"""Tests of entegrator.cli.db: ``entegrator db upgrade`` and ``db current``."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.cli.main import main
from entegrator.store import StoreConfig, create_engine
from entegrator.store.migrate import current_revision, head_revision


@pytest.fixture
def env(db_config: StoreConfig, monkeypatch: pytest.MonkeyPatch) -> StoreConfig:
    monkeypatch.setenv("ENTEGRATOR_DATABASE__URL", db_config.url)
    if db_config.pg_schema:
        monkeypatch.setenv("ENTEGRATOR_DATABASE__PG_SCHEMA", db_config.pg_schema)
    return db_config


def test_db_current_fails_on_an_empty_database(
    env: StoreConfig, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "current"]) == 1
    assert "boş" in capsys.readouterr().out


def test_db_upgrade_migrates_to_head(env: StoreConfig, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade"]) == 0
    engine = create_engine(env)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    assert main(["db", "current"]) == 0
    assert head_revision() in capsys.readouterr().out


def test_db_upgrade_takes_url_option(
    sqlite_config: StoreConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENTEGRATOR_DATABASE__URL", raising=False)
    assert main(["db", "upgrade", "--url", sqlite_config.url]) == 0


def test_db_upgrade_without_url_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("ENTEGRATOR_DATABASE__URL", raising=False)
    assert main(["db", "upgrade"]) == 2
    assert "database.url" in capsys.readouterr().err


def test_db_upgrade_reads_the_config_file(
    sqlite_config: StoreConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENTEGRATOR_DATABASE__URL", raising=False)
    config = tmp_path / "entegrator.toml"
    config.write_text(f'[database]\nurl = "{sqlite_config.url}"\n', encoding="utf-8")
    assert main(["db", "upgrade", "--config", str(config)]) == 0
    engine = create_engine(sqlite_config)
    assert current_revision(engine) == head_revision()
    engine.dispose()
