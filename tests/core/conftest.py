"""Fixtures of the core tests (helpers in tests/core/support.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from entegrator.core.wiring import Integrator
from entegrator.store import StoreConfig
from tests.core.support import (
    CUSTOMER,
    SUPPLIER,
    CorePki,
    SeededTaxpayer,
    add_taxpayer,
    make_integrator,
    make_pki,
)


@pytest.fixture(scope="session")
def core_pki(tmp_path_factory: pytest.TempPathFactory) -> CorePki:
    """One dev PKI for the whole session (trust directory, integrator seal, p12 seals)."""
    return make_pki(tmp_path_factory.mktemp("core-pki"))


@pytest.fixture
def integrator(db_config: StoreConfig, tmp_path: Path, core_pki: CorePki) -> Iterator[Integrator]:
    """An Integrator on a fresh migrated database (SQLite and PostgreSQL), FakeClock at now."""
    built = make_integrator(db_config, tmp_path, core_pki)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def supplier(integrator: Integrator, core_pki: CorePki) -> SeededTaxpayer:
    """Taxpayer 4540536920 with registered GB/PK aliases, an admin user and a PKCS#12 seal."""
    return add_taxpayer(integrator, core_pki, SUPPLIER)


@pytest.fixture
def customer(integrator: Integrator, core_pki: CorePki) -> SeededTaxpayer:
    """Taxpayer 9205121120, set up like ``supplier``."""
    return add_taxpayer(integrator, core_pki, CUSTOMER)
