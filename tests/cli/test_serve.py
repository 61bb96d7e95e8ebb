"""Tests of entegrator.cli.serve: the web service as a real process on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from entegrator.store import Database, StoreConfig
from entegrator.store.jobs import jobs as jobs_table
from tests.core.support import CorePki, make_config, make_pki, write_config_file


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> CorePki:
    return make_pki(tmp_path_factory.mktemp("pki"))


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(config_file: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "ENTEGRATOR_CONFIG": str(config_file)}
    return subprocess.Popen([sys.executable, "-m", "entegrator.cli.main", "serve", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _healthy(url: str, process: subprocess.Popen[str], timeout: float = 60) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(url, timeout=2)
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"serve did not come up: {output}")
            time.sleep(0.2)


@pytest.fixture
def config_file(db: Database, db_config: StoreConfig, tmp_path: Path, pki: CorePki) -> Path:
    return write_config_file(make_config(db_config, tmp_path, pki), tmp_path)


@pytest.fixture
def server(config_file: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``entegrator serve --with-worker`` on a free port; stopped with SIGTERM."""
    port = _port()
    process = _start(config_file, "--port", str(port), "--with-worker")
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def test_serve_answers_health_and_the_gib_wsdl(
    server: tuple[str, subprocess.Popen[str]]
) -> None:
    base, process = server
    assert _healthy(f"{base}/healthz", process).json() == {"durum": "hazır"}
    wsdl = httpx.get(f"{base}/EFaturaMerkez/services/EFatura?wsdl", timeout=5)
    assert wsdl.status_code == 200 and b"sendDocument" in wsdl.content


def test_serve_with_worker_schedules_the_recurring_jobs_and_stops_on_sigterm(
    server: tuple[str, subprocess.Popen[str]], db: Database
) -> None:
    base, process = server
    _healthy(f"{base}/healthz", process)
    with db.transaction(read_only=True) as conn:
        kinds = set(conn.execute(select(jobs_table.c.kind)).scalars())
    assert {"userlist.refresh", "archive.maintain"} <= kinds
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == 0


def test_serve_refuses_an_old_schema(tmp_path: Path, pki: CorePki) -> None:
    empty = StoreConfig(url=f"sqlite:///{tmp_path / 'empty.db'}")
    config_file = write_config_file(make_config(empty, tmp_path, pki), tmp_path)
    process = _start(config_file, "--port", str(_port()))
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "entegrator db upgrade" in output
