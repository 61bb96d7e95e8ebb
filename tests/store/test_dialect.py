"""Tests of entegrator.store.dialect: INSERT … ON CONFLICT on both databases."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from entegrator.store import Database
from entegrator.store.dialect import upsert

_md = sa.MetaData()
_settings = sa.Table(
    "settings",
    _md,
    sa.Column("name", sa.String(50), primary_key=True),
    sa.Column("value", sa.String(50), nullable=False),
    sa.Column("note", sa.String(50), nullable=True),
)


@pytest.fixture
def settings(db: Database) -> Database:
    _md.create_all(db.engine)
    return db


def _rows(db: Database) -> list[tuple[str, str, str | None]]:
    with db.transaction(read_only=True) as conn:
        return [tuple(r) for r in conn.execute(sa.select(_settings).order_by(_settings.c.name))]


def test_upsert_inserts_a_new_row(settings: Database) -> None:
    with settings.transaction() as conn:
        upsert(conn, _settings, {"name": "a", "value": "1"}, key=["name"])
    assert _rows(settings) == [("a", "1", None)]


def test_upsert_updates_an_existing_row(settings: Database) -> None:
    with settings.transaction() as conn:
        upsert(conn, _settings, {"name": "a", "value": "1", "note": "x"}, key=["name"])
        upsert(conn, _settings, {"name": "a", "value": "2", "note": "y"}, key=["name"])
    assert _rows(settings) == [("a", "2", "y")]


def test_upsert_updates_only_the_named_columns(settings: Database) -> None:
    with settings.transaction() as conn:
        upsert(conn, _settings, {"name": "a", "value": "1", "note": "x"}, key=["name"])
        upsert(
            conn,
            _settings,
            {"name": "a", "value": "2", "note": "y"},
            key=["name"],
            update=["value"],
        )
    assert _rows(settings) == [("a", "2", "x")]


def test_upsert_with_nothing_to_update_keeps_the_row(settings: Database) -> None:
    with settings.transaction() as conn:
        upsert(conn, _settings, {"name": "a", "value": "1"}, key=["name"])
        upsert(conn, _settings, {"name": "a", "value": "2"}, key=["name"], update=[])
    assert _rows(settings) == [("a", "1", None)]
