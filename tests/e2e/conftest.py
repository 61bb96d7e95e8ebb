"""Fixtures of the end-to-end tests: a test PKI and the integrators' databases per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from entegrator.store import StoreConfig
from tests.core.support import CorePki, make_pki
from tests.dbfixtures import scratch_schema


@pytest.fixture(scope="session")
def e2e_pki(tmp_path_factory: pytest.TempPathFactory) -> CorePki:
    """One dev PKI for the session (the integrators' and taxpayers' seals, trust store)."""
    return make_pki(tmp_path_factory.mktemp("e2e-pki"))


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
    admin = request.getfixturevalue("pg_admin")
    with scratch_schema(admin, pg_url, "e2e") as a, scratch_schema(admin, pg_url, "e2e") as b:
        yield a, b
