"""``entegrator validate`` (entegrator.cli.validate): output, JSON, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from entegrator.cli.main import main
from tests.validation.support import edit, set_text


@pytest.fixture
def ticari(samples_dir: Path) -> bytes:
    """GİB's TICARIFATURA sample, valid for GİB's XSD and schematron and for our rules."""
    return (samples_dir / "gib-ubltr-1.2.1" / "TicariFaturaOrnegi.xml").read_bytes()


@pytest.fixture
def valid(tmp_path: Path, ticari: bytes) -> Path:
    path = tmp_path / "gecerli.xml"
    path.write_bytes(ticari)
    return path


@pytest.fixture
def invalid(tmp_path: Path, ticari: bytes) -> Path:
    path = tmp_path / "gecersiz.xml"
    path.write_bytes(edit(ticari, set_text("/inv:Invoice/cbc:ID", "X")))
    return path


def test_valid_file_exits_0(valid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(valid)]) == 0
    out = capsys.readouterr().out
    assert f"{valid}: GEÇERLİ — fatura, TICARIFATURA" in out
    assert "UYARI TR-INV-004 [satır 123]" in out


def test_invalid_file_exits_1_with_turkish_findings(
    valid: Path, invalid: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(valid), str(invalid)]) == 1
    out = capsys.readouterr().out
    assert f"{invalid}: GEÇERSİZ (GİB kodu 1150)" in out
    assert "HATA InvoiceIDCheck-1 [satır 2]: Geçersiz cbc:ID" in out


def test_json_output(valid: Path, invalid: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--json", str(valid), str(invalid)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [entry["file"] for entry in data] == [str(valid), str(invalid)]
    assert [entry["ok"] for entry in data] == [True, False]
    assert data[1]["findings"][0]["rule"] == "InvoiceIDCheck-1"


def test_rules_can_be_advisory(tmp_path: Path, ticari: bytes) -> None:
    path = tmp_path / "hesap.xml"
    path.write_bytes(
        edit(ticari, set_text("/inv:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", "1"))
    )
    assert main(["validate", str(path)]) == 1
    assert main(["validate", "--rules", "advise", str(path)]) == 0


def test_unreadable_file_exits_2(
    valid: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(valid), str(tmp_path / "yok.xml")]) == 2
    captured = capsys.readouterr()
    assert "okunamadı" in captured.err
    assert "GEÇERLİ" in captured.out


def test_oversize_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "buyuk.xml"
    with path.open("wb") as handle:  # sparse: 60 MB on paper
        handle.truncate(60 * 1024 * 1024)
    assert main(["validate", str(path)]) == 1
    assert "TR-XML-003" in capsys.readouterr().out


def test_parallel_run_gives_the_same_output(
    valid: Path, invalid: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [str(valid), str(invalid)] * 2
    assert main(["validate", "--json", *files]) == 1
    serial = capsys.readouterr().out
    assert main(["validate", "--json", "--processes", "2", *files]) == 1
    assert capsys.readouterr().out == serial
