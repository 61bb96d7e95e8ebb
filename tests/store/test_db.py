"""Tests of entegrator.store.db: connection settings and the transaction helper."""

from __future__ import annotations

import dataclasses
import threading
import time

import pytest
import sqlalchemy as sa

from entegrator.store import Database, StoreConfig

_md = sa.MetaData()
_parents = sa.Table("parents", _md, sa.Column("id", sa.Integer, primary_key=True))
_children = sa.Table(
    "children",
    _md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("parent_id", sa.ForeignKey("parents.id"), nullable=False),
)


@pytest.fixture
def tables(db: Database) -> Database:
    _md.create_all(db.engine)
    return db


def _pragma(db: Database, name: str) -> object:
    with db.transaction(read_only=True) as conn:
        return conn.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_sqlite_connection_runs_in_wal_mode(sqlite_config: StoreConfig) -> None:
    db = Database.from_config(sqlite_config)
    assert _pragma(db, "journal_mode") == "wal"
    db.dispose()


def test_sqlite_connection_syncs_fully_by_default(sqlite_config: StoreConfig) -> None:
    db = Database.from_config(sqlite_config)
    assert _pragma(db, "synchronous") == 2  # FULL
    db.dispose()


def test_sqlite_connection_honours_synchronous_normal(sqlite_config: StoreConfig) -> None:
    db = Database.from_config(dataclasses.replace(sqlite_config, sqlite_synchronous="NORMAL"))
    assert _pragma(db, "synchronous") == 1
    db.dispose()


def test_sqlite_connection_sets_busy_timeout(sqlite_config: StoreConfig) -> None:
    db = Database.from_config(dataclasses.replace(sqlite_config, sqlite_busy_timeout_ms=1234))
    assert _pragma(db, "busy_timeout") == 1234
    db.dispose()


def test_foreign_keys_are_enforced(tables: Database) -> None:
    with pytest.raises(sa.exc.IntegrityError), tables.transaction() as conn:
        conn.execute(sa.insert(_children).values(id=1, parent_id=42))


def test_transaction_commits_on_normal_exit(tables: Database) -> None:
    with tables.transaction() as conn:
        conn.execute(sa.insert(_parents).values(id=1))
    with tables.transaction(read_only=True) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(_parents)).scalar() == 1


def test_transaction_rolls_back_on_error(tables: Database) -> None:
    with pytest.raises(RuntimeError), tables.transaction() as conn:
        conn.execute(sa.insert(_parents).values(id=1))
        raise RuntimeError("boom")
    with tables.transaction(read_only=True) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(_parents)).scalar() == 0


def test_savepoint_rolls_back_inside_transaction(tables: Database) -> None:
    with tables.transaction() as conn:
        conn.execute(sa.insert(_parents).values(id=1))
        savepoint = conn.begin_nested()
        conn.execute(sa.insert(_parents).values(id=2))
        savepoint.rollback()
    with tables.transaction(read_only=True) as conn:
        assert conn.execute(sa.select(_parents.c.id)).scalars().all() == [1]


def test_sqlite_write_transaction_takes_the_lock_at_begin(sqlite_config: StoreConfig) -> None:
    config = dataclasses.replace(sqlite_config, sqlite_busy_timeout_ms=100)
    first, second = Database.from_config(config), Database.from_config(config)
    with first.transaction():  # nothing executed yet: BEGIN IMMEDIATE alone holds the lock
        with pytest.raises(sa.exc.OperationalError, match="locked"), second.transaction():
            pass
        with second.transaction(read_only=True) as conn:  # readers are not blocked
            assert conn.execute(sa.text("SELECT 1")).scalar() == 1
    first.dispose()
    second.dispose()


def test_sqlite_read_then_write_transactions_queue_instead_of_failing(
    sqlite_config: StoreConfig,
) -> None:
    db = Database.from_config(sqlite_config)
    _md.create_all(db.engine)
    errors: list[BaseException] = []

    def read_then_write(row_id: int) -> None:
        try:
            with db.transaction() as conn:
                conn.execute(sa.select(sa.func.count()).select_from(_parents)).scalar()
                time.sleep(0.2)
                conn.execute(sa.insert(_parents).values(id=row_id))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=read_then_write, args=(i,)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.transaction(read_only=True) as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(_parents)).scalar() == 2
    db.dispose()


@pytest.mark.postgres
def test_postgresql_session_time_zone_is_utc(pg_schema_config: StoreConfig) -> None:
    db = Database.from_config(pg_schema_config)
    with db.transaction(read_only=True) as conn:
        assert conn.exec_driver_sql("SHOW timezone").scalar() == "UTC"
    db.dispose()


@pytest.mark.postgres
def test_postgresql_tables_go_to_the_configured_schema(pg_schema_config: StoreConfig) -> None:
    db = Database.from_config(pg_schema_config)
    with db.transaction(read_only=True) as conn:
        assert (
            conn.exec_driver_sql("SELECT current_schema()").scalar() == pg_schema_config.pg_schema
        )
    db.dispose()


@pytest.mark.postgres
def test_postgresql_read_only_transaction_refuses_writes(pg_schema_config: StoreConfig) -> None:
    db = Database.from_config(pg_schema_config)
    _md.create_all(db.engine)
    with (
        pytest.raises(sa.exc.InternalError, match="read-only"),
        db.transaction(read_only=True) as conn,
    ):
        conn.execute(sa.insert(_parents).values(id=1))
    db.dispose()


def test_database_reports_its_dialect(db: Database) -> None:
    assert db.dialect == db.engine.dialect.name
