"""Tests of entegrator.cli.worker: worker processes that stop cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from entegrator.cli.main import main
from entegrator.store import Database, StoreConfig
from entegrator.store.jobs import jobs as jobs_table
from entegrator.store.migrate import upgrade
from tests.core.support import CorePki, make_config, make_pki, write_config_file


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> CorePki:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def config_file(db: Database, db_config: StoreConfig, tmp_path: Path, pki: CorePki) -> Path:
    return write_config_file(make_config(db_config, tmp_path, pki), tmp_path)


def _scheduled(db: Database) -> set[str]:
    with db.transaction(read_only=True) as conn:
        return set(conn.execute(select(jobs_table.c.kind)).scalars())


def _run_until_scheduled(config_file: Path, db: Database, *args: str) -> int:
    env = {**os.environ, "ENTEGRATOR_CONFIG": str(config_file)}
    process = subprocess.Popen([sys.executable, "-m", "entegrator.cli.main", "worker", *args],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    try:
        deadline = time.monotonic() + 60
        while "userlist.refresh" not in _scheduled(db):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"worker did not start: {process.communicate()[0]}")
            time.sleep(0.2)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return process.returncode


def test_a_worker_schedules_recurring_jobs_and_stops_on_sigterm(
    config_file: Path, db: Database
) -> None:
    assert _run_until_scheduled(config_file, db) == 0
    assert {"userlist.refresh", "archive.maintain"} <= _scheduled(db)


@pytest.mark.postgres
def test_several_worker_processes_on_postgresql_stop_on_sigterm(
    pg_schema_config: StoreConfig, tmp_path: Path, pki: CorePki
) -> None:
    db = Database.from_config(pg_schema_config)
    try:
        upgrade(db.engine)
        config_file = write_config_file(make_config(pg_schema_config, tmp_path, pki), tmp_path)
        assert _run_until_scheduled(config_file, db, "--processes", "2") == 0
    finally:
        db.dispose()


def test_several_workers_on_sqlite_are_refused(
    sqlite_config: StoreConfig, tmp_path: Path, pki: CorePki, *,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    config_file = write_config_file(make_config(sqlite_config, tmp_path, pki), tmp_path)
    monkeypatch.setenv("ENTEGRATOR_CONFIG", str(config_file))
    assert main(["worker", "--processes", "2"]) == 2
    assert "SQLite ile tek işçi" in capsys.readouterr().err
