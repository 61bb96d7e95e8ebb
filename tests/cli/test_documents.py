"""Tests for ``entegrator build`` and ``entegrator schema`` (entegrator.cli.documents)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from entegrator.cli.main import main
from entegrator.ubl import summarize

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE = EXAMPLES / "01-temel-satis.json"


def test_build_writes_the_invoice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "fatura.xml"
    assert main(["build", str(EXAMPLE), "-o", str(out)]) == 0
    assert summarize(out.read_bytes()).number == json.loads(EXAMPLE.read_text())["number"]
    assert "yazıldı" in capsys.readouterr().err


def test_build_writes_to_stdout_without_output(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["build", str(EXAMPLE)]) == 0
    assert capsysbinary.readouterr().out.startswith(b"<?xml")


def test_build_reads_stdin(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(EXAMPLE.read_bytes()))
    monkeypatch.setattr(sys, "stdin", stdin)
    out = tmp_path / "fatura.xml"
    assert main(["build", "-", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"<?xml")


def test_invalid_spec_lists_field_paths_in_turkish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = json.loads(EXAMPLE.read_text())
    spec["lines"][0]["unit_code"] = "ADET"
    spec["customer"]["vkn"] = "4540536921"
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    assert main(["build", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Fatura geçersiz (2 sorun)" in err
    assert "customer.vkn: VKN kontrol hanesi tutmuyor" in err
    assert "lines[0].unit_code" in err


def test_malformed_json_exits_with_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "spec.json"
    path.write_text('{"profile": ', encoding="utf-8")
    assert main(["build", str(path)]) == 2
    assert "JSON geçersiz" in capsys.readouterr().err


def test_missing_spec_file_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", str(tmp_path / "yok.json")]) == 2
    assert "okunamadı" in capsys.readouterr().err


def test_draft_flag_builds_without_number(tmp_path: Path) -> None:
    spec = json.loads(EXAMPLE.read_text())
    del spec["number"], spec["ettn"]
    path = tmp_path / "taslak.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    out = tmp_path / "taslak.xml"
    assert main(["build", str(path), "--draft", "-o", str(out)]) == 0
    assert summarize(out.read_bytes()).number == "TSL2025000000000"


def test_schema_invoice_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "invoice"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "Fatura"
    assert "supplier" in schema["properties"]
