"""Tests of entegrator.cli.demo: the whole demo, headless, one invoice end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from entegrator.cli.main import main
from entegrator.core import demo
from entegrator.core.auth import RequestOrigin, authenticate_api_key
from entegrator.store import Database, StoreConfig


@pytest.mark.hsm
@pytest.mark.slow
def test_demo_check_sends_an_invoice_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ENTEGRATOR_")}
    result = subprocess.run(
        [sys.executable, "-m", "entegrator.cli.main", "demo", "--check",
         "--dir", str(tmp_path / "demo")],
        env=env, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SEND - SUCCEED" in result.stdout
    assert "fatura alıcının gelen kutusunda" in result.stdout
    assert (tmp_path / "demo" / "softhsm" / "softhsm2.conf").exists()
    paths = demo.DemoPaths(tmp_path / "demo")
    db = Database.from_config(StoreConfig(url=f"sqlite:///{paths.database}"))
    try:
        for party in demo.TAXPAYERS:  # the ERP keys the demo prints work against its database
            key_file = paths.api_key_file(party)
            assert key_file.stat().st_mode & 0o077 == 0
            token = key_file.read_text(encoding="utf-8").strip()
            assert authenticate_api_key(db, token, RequestOrigin("api")).role == "api"
    finally:
        db.dispose()


def test_demo_refuses_a_directory_it_did_not_make(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "onemli.txt").write_text("silme beni", encoding="utf-8")
    assert main(["demo", "--check", "--dir", str(tmp_path)]) == 2
    assert "demo dizini değil" in capsys.readouterr().err
    assert (tmp_path / "onemli.txt").exists()


def test_send_sample_needs_a_running_demo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "send-sample", "--dir", str(tmp_path)]) == 2
    assert "önce 'entegrator demo'" in capsys.readouterr().err
