"""Database fixtures for every part's tests, registered by tests/conftest.py.

``db_config`` (an empty database) and ``db`` (a migrated :class:`Database`) are parametrized
over ``sqlite`` and ``postgres``, so every test that uses them runs on both. Each test gets
its own database: a SQLite file in ``tmp_path``, or a fresh PostgreSQL schema (dropped
afterwards) in the database named by ``ENTEGRATOR_TEST_PG_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/entegrator_test``). A PostgreSQL that cannot
be reached makes the postgres tests FAIL with the reason; they are never skipped.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from entegrator.store import Database, StoreConfig
from entegrator.store.migrate import upgrade

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/entegrator_test"


@pytest.fixture(scope="session")
def pg_url() -> str:
    """The PostgreSQL URL the tests use."""
    return os.environ.get("ENTEGRATOR_TEST_PG_URL", DEFAULT_PG_URL)


@pytest.fixture(scope="session")
def _pg_admin(pg_url: str) -> Iterator[sa.Engine | str]:
    """An AUTOCOMMIT engine on the test database, or the reason it is unreachable."""
    engine = sa.create_engine(
        pg_url,
        isolation_level="AUTOCOMMIT",
        poolclass=sa.NullPool,
        connect_args={"connect_timeout": 5},
    )
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.DBAPIError as exc:
        engine.dispose()
        yield f"{exc.orig or exc}".strip()
        return
    yield engine
    engine.dispose()


def _pg_admin_engine(admin: sa.Engine | str, pg_url: str) -> sa.Engine:
    if isinstance(admin, str):
        shown = sa.make_url(pg_url).render_as_string(hide_password=True)
        pytest.fail(
            f"PostgreSQL is not reachable at {shown} ({admin}). Start it with "
            "scripts/postgres.sh or set ENTEGRATOR_TEST_PG_URL; postgres tests never skip.",
            pytrace=False,
        )
    return admin


@pytest.fixture(scope="session")
def pg_admin(_pg_admin: sa.Engine | str, pg_url: str) -> sa.Engine:
    """The AUTOCOMMIT engine on the test database; the test fails when it is unreachable."""
    return _pg_admin_engine(_pg_admin, pg_url)


@contextmanager
def scratch_schema(admin: sa.Engine, pg_url: str, prefix: str = "t") -> Iterator[StoreConfig]:
    """A StoreConfig on a new, empty PostgreSQL schema, dropped when the block ends."""
    schema = f"{prefix}_{secrets.token_hex(6)}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield StoreConfig(url=pg_url, pg_schema=schema)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def pg_schema_config(pg_admin: sa.Engine, pg_url: str) -> Iterator[StoreConfig]:
    """A StoreConfig pointing at a new, empty PostgreSQL schema (dropped after the test)."""
    with scratch_schema(pg_admin, pg_url) as config:
        yield config


@pytest.fixture
def sqlite_config(tmp_path: Path) -> StoreConfig:
    """A StoreConfig pointing at a new SQLite file."""
    return StoreConfig(url=f"sqlite:///{tmp_path / 'entegrator.db'}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_config(request: pytest.FixtureRequest) -> StoreConfig:
    """An empty database on SQLite and on PostgreSQL (the test runs once on each)."""
    name = "sqlite_config" if request.param == "sqlite" else "pg_schema_config"
    config: StoreConfig = request.getfixturevalue(name)
    return config


@pytest.fixture
def db(db_config: StoreConfig) -> Iterator[Database]:
    """A migrated Database on SQLite and on PostgreSQL; disposed after the test."""
    database = Database.from_config(db_config)
    try:
        upgrade(database.engine)
        yield database
    finally:
        database.dispose()


@pytest.fixture
def engine(db: Database) -> sa.Engine:
    """The migrated database's engine."""
    return db.engine
