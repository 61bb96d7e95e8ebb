"""Fixtures of the SOAP faces' tests (tests/api/soap, tests/api/izibiz, tests/api/edm).

Each directory's conftest imports the fixtures it uses from here. They build a real
Integrator on a test database (SQLite and PostgreSQL), two taxpayers registered in GİB's user
list with users and seals, and the SOAP faces served by uvicorn on loopback — zeep and httpx
talk to them over real HTTP.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.applications import Starlette

from entegrator.api.soap.config import SoapSettings
from entegrator.api.soap.routes import SoapFaces
from entegrator.core.wiring import Integrator
from entegrator.signing import Seal
from entegrator.store import StoreConfig
from tests.asgiserver import ServeFn, serve, start_server
from tests.core.inbound.support import seal_for
from tests.core.outbound.support import add_issuer
from tests.core.support import (
    CUSTOMER,
    SUPPLIER,
    CorePki,
    SeededTaxpayer,
    make_integrator,
    make_pki,
)

__all__ = [
    "ServeFn",
    "core_pki",
    "customer",
    "faces",
    "integrator",
    "serve",
    "soap_base",
    "start_server",
    "supplier",
    "supplier_seal",
]



@pytest.fixture(scope="session")
def core_pki(tmp_path_factory: pytest.TempPathFactory) -> CorePki:
    """One dev PKI for the session."""
    return make_pki(tmp_path_factory.mktemp("soap-pki"))


@pytest.fixture(scope="session")
def supplier_seal(core_pki: CorePki) -> Seal:
    """The seller's seal as an outside party signs with it (for invoices we receive)."""
    return seal_for(core_pki, SUPPLIER.vkn, SUPPLIER.title)


@pytest.fixture
def integrator(db_config: StoreConfig, tmp_path: Path, core_pki: CorePki) -> Iterator[Integrator]:
    """An Integrator on a fresh migrated database (SQLite and PostgreSQL)."""
    built = make_integrator(db_config, tmp_path, core_pki)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def supplier(integrator: Integrator, core_pki: CorePki) -> SeededTaxpayer:
    """Taxpayer 4540536920 (series ENT), registered at GİB, with a user and a seal."""
    return add_issuer(integrator, core_pki, SUPPLIER, "ENT")


@pytest.fixture
def customer(integrator: Integrator, core_pki: CorePki) -> SeededTaxpayer:
    """Taxpayer 9205121120 (series KRD), registered at GİB, with a user and a seal."""
    return add_issuer(integrator, core_pki, CUSTOMER, "KRD")


@pytest.fixture
def faces(integrator: Integrator) -> Iterator[SoapFaces]:
    """The SOAP faces of the integrator (call log flushed at once)."""
    built = SoapFaces(integrator, settings=SoapSettings(audit_flush_seconds=0.0))
    yield built
    built.close()


@pytest.fixture
def soap_base(faces: SoapFaces, serve: ServeFn) -> str:
    """Base URL of the SOAP faces served on loopback."""
    return serve(Starlette(routes=faces.routes))
