"""``entegrator gib-sim``: user-list and integrator administration, and the server process."""

from __future__ import annotations

import io
import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from entegrator.cli.main import main
from entegrator.gib.userlist import User as ListUser
from entegrator.gib.userlist import UserListKind, write_users_zip
from entegrator.gib.userlist.model import Alias, DocumentAliases


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sim.db'}"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["gib-sim", *argv])
    return code, capsys.readouterr().out


def _integrator(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, _ = _run(capsys, "integrators", "add", "--db", db_url, "--id", "a", "--name", "A",
                   "--vkn", "1111111114", "--endpoint", "http://127.0.0.1:9/efatura",
                   "--network", "127.0.0.1/32")
    assert code == 0


def test_integrators_add_list_remove(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    _integrator(capsys, db_url)
    code, out = _run(capsys, "integrators", "list", "--db", db_url)
    assert code == 0 and "a  1111111114  http://127.0.0.1:9/efatura  127.0.0.1/32  A" in out
    assert _run(capsys, "integrators", "remove", "--db", db_url, "--id", "a")[0] == 0
    assert _run(capsys, "integrators", "remove", "--db", db_url, "--id", "a")[0] == 1


def test_users_add_list_remove(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    _integrator(capsys, db_url)
    code, out = _run(capsys, "users", "add", "--db", db_url, "--vkn", "4540536920",
                     "--title", "X A.Ş.", "--integrator", "a", "--gb", "urn:mail:gb@x.example",
                     "--pk", "urn:mail:pk@x.example")
    assert (code, out.strip()) == (0, "4540536920: 2 etiket açıldı")
    code, out = _run(capsys, "users", "remove", "--db", db_url, "--vkn", "4540536920",
                     "--alias", "urn:mail:pk@x.example")
    assert (code, out.strip()) == (0, "4540536920: 1 etiket kapatıldı")
    code, out = _run(capsys, "users", "list", "--db", db_url, "--json")
    listed = json.loads(out)
    assert [(a["role"], a["deleted_at"] is None) for a in listed[0]["aliases"]] == [
        ("GB", True), ("PK", False)]


def test_users_for_unknown_integrator_fail(capsys: pytest.CaptureFixture[str],
                                           db_url: str) -> None:
    code = main(["gib-sim", "users", "add", "--db", db_url, "--vkn", "4540536920",
                 "--title", "X", "--integrator", "yok"])
    assert code == 2
    assert "bilinmeyen entegratör" in capsys.readouterr().err


def test_users_import_a_pk_list_zip(capsys: pytest.CaptureFixture[str], db_url: str,
                                    tmp_path: Path) -> None:
    _integrator(capsys, db_url)
    path = tmp_path / UserListKind.PK.file_name
    records = [ListUser("9205121120", "Y Ltd.", "OZEL", "2021-03-09T15:36:56", None, (
        DocumentAliases("Invoice", (Alias(("urn:mail:pk@y.example",), "2021-03-09T15:36:56"),)),
    ))]
    with path.open("wb") as sink:
        write_users_zip(records, sink, member_name=UserListKind.PK.member_name)
    code, out = _run(capsys, "users", "import", "--db", db_url, str(path), "--role", "PK",
                     "--integrator", "a")
    assert (code, out.strip()) == (0, "1 kullanıcı, 1 yeni PK etiketi yüklendi")
    code, out = _run(capsys, "users", "list", "--db", db_url, "--vkn", "9205121120")
    assert "PK urn:mail:pk@y.example  [a, açık]" in out


def test_database_is_required(capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENTEGRATOR_GIB_SIM__DB", raising=False)
    assert main(["gib-sim", "users", "list"]) == 2
    assert "veritabanı" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_server_runs_as_its_own_process(tmp_path: Path, db_url: str) -> None:
    config = tmp_path / "sim.toml"
    config.write_text('[[integrators]]\nid = "a"\nname = "A"\nvkn = "1111111114"\n'
                      'endpoint = "http://127.0.0.1:9/efatura"\n', encoding="utf-8")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "entegrator.cli.main", "gib-sim", "--db", db_url,
         "--config", str(config), "--port", str(port), "--time-factor", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        status = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/admin/status", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert status is not None, process.stderr.read().decode() if process.stderr else ""
        assert status.json()["time_factor"] == 60.0 and status.json()["integrators"] == 1
        wsdl = httpx.get(f"http://127.0.0.1:{port}/EFaturaMerkez/services/EFatura?wsdl",
                         timeout=5)
        assert wsdl.status_code == 200
        listing = httpx.get(f"http://127.0.0.1:{port}/EFaturaMerkez/newUserGbListxml.zip",
                            timeout=5)
        assert listing.status_code == 200 and io.BytesIO(listing.content).read(2) == b"PK"
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert process.returncode == 0
