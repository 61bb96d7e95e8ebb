"""Tests for ``entegrator render`` (entegrator.cli.render)."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.cli.main import main


@pytest.fixture
def ticari_path(samples_dir: Path) -> Path:
    return samples_dir / "gib-ubltr-1.2.1" / "TicariFaturaOrnegi.xml"


def test_render_command_writes_pdf(ticari_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "fatura.pdf"
    assert main(["render", str(ticari_path), "--format", "pdf", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF-")


def test_render_command_writes_html_with_chosen_stylesheet(
    ticari_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "fatura.html"
    assert main(["render", str(ticari_path), "-o", str(out), "--stylesheet", "own"]) == 0
    assert b'id="karekod"' in out.read_bytes()


def test_render_command_to_stdout(
    ticari_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["render", str(ticari_path), "-o", "-"]) == 0
    assert b"GIB2009000000011" in capsysbinary.readouterr().out


def test_render_command_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(tmp_path / "yok.xml"), "-o", str(tmp_path / "x.html")]) == 2
    assert "Dosya bulunamadı" in capsys.readouterr().err


def test_render_command_embedded_without_stylesheet_fails(
    samples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    invoice = samples_dir / "gib-ubltr-1.2.1" / "TEVKIFAT.xml"
    out = tmp_path / "x.html"
    assert main(["render", str(invoice), "-o", str(out), "--stylesheet", "embedded"]) == 2
    assert "gömülü XSLT yok" in capsys.readouterr().err
    assert not out.exists()
