"""Fixtures of the end-to-end tests: a test PKI and the integrators' databases per module."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from entegrator.store import StoreConfig
from tests.core.support import CorePki, make_pki


@pytest.fixture(scope="session")
def e2e_pki(tmp_path_factory: pytest.TempPathFactory) -> CorePki:
    """One dev PKI for the session (the integrators' and taxpayers' seals, trust store)."""
    return make_pki(tmp_path_factory.mktemp("e2e-pki"))


def _pg_schema(pg_url: str) -> Iterator[StoreConfig]:
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool,
                             connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as conn:
            schema = f"e2e_{secrets.token_hex(6)}"
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    except sa.exc.DBAPIError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL is not reachable ({exc.orig or exc}); postgres tests never "
                    "skip", pytrace=False)
    try:
        yield StoreConfig(url=pg_url, pg_schema=schema)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture(scope="module")
def stores(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
           pg_url: str) -> Iterator[tuple[StoreConfig, StoreConfig]]:
    """Databases of integrators A and B: SQLite files, or (``param`` "postgres") two
    PostgreSQL schemas. Modules that run on both parametrize this fixture indirectly."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        folder = tmp_path_factory.mktemp("e2e-db")
        yield (StoreConfig(url=f"sqlite:///{folder / 'a.db'}"),
               StoreConfig(url=f"sqlite:///{folder / 'b.db'}"))
        return
    a = _pg_schema(pg_url)
    b = _pg_schema(pg_url)
    try:
        yield next(a), next(b)
    finally:
        for gen in (a, b):
            gen.close()
