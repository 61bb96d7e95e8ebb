"""Tests of entegrator.cli.archive: the operator's archive commands, end to end."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from entegrator.cli.main import main
from entegrator.store import Database, StoreConfig
from entegrator.store.archive import Archive, ArchiveMeta
from entegrator.store.archive.tables import archive_blobs
from entegrator.store.domain import taxpayers
from entegrator.ubl import build_invoice, load_invoice

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "01-temel-satis.json"
NOW = datetime(2026, 3, 10, tzinfo=UTC)


@pytest.fixture
def archived(db: Database, db_config: StoreConfig, monkeypatch: pytest.MonkeyPatch) -> Database:
    """Taxpayer 4540536920 with one invoice and one expired envelope; env points the CLI here."""
    monkeypatch.setenv("ENTEGRATOR_DATABASE__URL", db_config.url)
    if db_config.pg_schema:
        monkeypatch.setenv("ENTEGRATOR_DATABASE__PG_SCHEMA", db_config.pg_schema)
    monkeypatch.delenv("ENTEGRATOR_CONFIG", raising=False)
    archive = Archive()
    with db.transaction() as conn:
        tenant = conn.execute(
            sa.insert(taxpayers).values(vkn_tckn="4540536920", kind="company", title="Anadolu",
                                        created_at=NOW, updated_at=NOW).returning(taxpayers.c.id)
        ).scalar_one()
        archive.put(conn, _invoice(), kind="invoice", direction="OUT", tenant_id=tenant)
        archive.put(conn, b"<eski/>", kind="envelope", direction="IN", tenant_id=tenant,
                    meta=ArchiveMeta(issue_date=date(2010, 5, 1)))
    return db


def _invoice() -> bytes:
    return build_invoice(load_invoice(json.loads(EXAMPLE.read_text(encoding="utf-8"))))


def test_verify_of_an_intact_archive_exits_zero(
    archived: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["archive", "verify"]) == 0
    assert "0 sorun" in capsys.readouterr().out


def test_verify_reports_a_damaged_document_and_exits_one(
    archived: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with archived.transaction() as conn:
        conn.execute(sa.update(archive_blobs).values(data=b"junk"))
    assert main(["archive", "verify", "--since", "2020-01-01"]) == 1
    assert "DEĞİŞMİŞ" in capsys.readouterr().out


def test_search_prints_matching_documents(
    archived: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["archive", "search", "--taxpayer", "4540536920", "--title", "karadeniz",
                 "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    found = json.loads(line)
    assert found["number"] == "ENT2025000000001" and found["payable_amount"] == "78000.00"


def test_search_for_an_unknown_taxpayer_fails(
    archived: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["archive", "search", "--taxpayer", "1111111111"]) == 2
    assert "mükellef yok" in capsys.readouterr().err


def test_export_writes_a_zip(archived: Database, tmp_path: Path) -> None:
    out = tmp_path / "disari.zip"
    assert main(["archive", "export", "--taxpayer", "4540536920", "--kind", "invoice",
                 "--no-pdf", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        xml = [n for n in zf.namelist() if n.startswith("xml/")]
        assert zf.read(xml[0]) == _invoice()
        assert zf.read("index.csv").decode("utf-8-sig").count("\n") == 2


def test_import_reports_duplicates_and_rejections(
    archived: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.xml").write_bytes(_invoice())
    (tmp_path / "b.xml").write_bytes(b"<Invoice/>")
    assert main(["archive", "import", "--taxpayer", "4540536920", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "REDDEDİLDİ\tb.xml" in out and "0 alındı, 1 mükerrer, 1 reddedildi" in out


def test_retention_list_and_purge_only_with_confirm(
    archived: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["archive", "retention", "list"]) == 0
    assert "saklama süresi dolmuş 1 belge" in capsys.readouterr().out
    assert main(["archive", "retention", "purge"]) == 2
    assert "--confirm" in capsys.readouterr().err
    assert main(["archive", "retention", "purge", "--confirm"]) == 0
    assert "1 belge silindi" in capsys.readouterr().out
    assert main(["archive", "retention", "list"]) == 0
    assert "saklama süresi dolmuş 0 belge" in capsys.readouterr().out


def test_a_hold_stops_the_purge(archived: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["archive", "hold", "place", "--taxpayer", "4540536920",
                 "--reason", "vergi incelemesi"]) == 0
    assert main(["archive", "retention", "purge", "--confirm"]) == 0
    assert "0 belge silindi" in capsys.readouterr().out
    assert main(["archive", "hold", "list"]) == 0
    hold_id = capsys.readouterr().out.split("\t")[0]
    assert main(["archive", "hold", "release", hold_id]) == 0
    assert main(["archive", "retention", "purge", "--confirm"]) == 0
    assert "1 belge silindi" in capsys.readouterr().out


def test_maintain_runs(archived: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["archive", "maintain"]) == 0
    assert "gün mühürlendi" in capsys.readouterr().out


def test_settings_come_from_the_environment_only_for_database_and_archive(
    tmp_path: Path,
) -> None:
    from entegrator.cli.archive import load_settings

    database, settings = load_settings({
        "ENTEGRATOR_DATABASE__URL": f"sqlite:///{tmp_path / 'x.db'}",
        "ENTEGRATOR_ARCHIVE__RETENTION_YEARS": "12",
        "ENTEGRATOR_GIB__WHATEVER": "ignored",
    })
    assert settings.retention_years == 12 and database.dialect == "sqlite"
