"""Fixtures of the API tests: an Integrator (SQLite and PostgreSQL) with two taxpayers that
are both GİB users, an API key each, the API app and clients for it (in-process and on a
real loopback port)."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from entegrator.api.app import api_app
from entegrator.api.settings import ApiSettings, RateLimit
from entegrator.core import credentials
from entegrator.core.permissions import Role
from entegrator.core.webhooks import WebhookSettings, WebhookSink
from entegrator.core.wiring import Integrator
from entegrator.store import FakeClock, StoreConfig
from entegrator.types import Secret
from tests.asgiserver import ServeFn, serve
from tests.core.outbound.support import add_issuer
from tests.core.support import (
    CUSTOMER,
    SUPPLIER,
    CorePki,
    SeededTaxpayer,
    make_integrator,
    make_pki,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOKEN_KEY = Secret("test-token-key-" + "k" * 32)
#: Webhook settings for tests: loopback receivers, quick retries.
TEST_WEBHOOKS = WebhookSettings(allow_http=True, allow_private_networks=True, timeout=5.0,
                                max_attempts=3, base_delay=0.01, max_delay=0.05)


@dataclass(frozen=True)
class Tenant:
    """A seeded taxpayer and an API key of it (role ``api`` unless asked otherwise)."""

    seeded: SeededTaxpayer
    key: str

    @property
    def id(self) -> int:
        """The tenant id."""
        return self.seeded.id

    @property
    def headers(self) -> dict[str, str]:
        """Headers authenticating as this taxpayer's API key."""
        return {"X-API-Key": self.key}


def api_key(integrator: Integrator, seeded: SeededTaxpayer, role: Role = Role.API) -> str:
    """A new API key of ``seeded`` with ``role``; the token to send."""
    with integrator.db.transaction() as conn:
        made = credentials.create_api_key(conn, seeded.caller, role=role,
                                          clock=integrator.clock)
    return made.token.reveal()


def example(name: str = "01-temel-satis.json", **changes: Any) -> dict[str, Any]:
    """An invoice of examples/ as JSON, without number and ETTN (the platform assigns them)."""
    spec = copy.deepcopy(json.loads((EXAMPLES / name).read_text(encoding="utf-8")))
    spec.pop("number", None)
    spec.pop("ettn", None)
    spec.update(changes)
    return spec


@pytest.fixture(scope="session")
def api_pki(tmp_path_factory: pytest.TempPathFactory) -> CorePki:
    """One dev PKI for the API tests."""
    return make_pki(tmp_path_factory.mktemp("api-pki"))


@pytest.fixture
def integrator(db_config: StoreConfig, tmp_path: Path, api_pki: CorePki) -> Iterator[Integrator]:
    """An Integrator on a fresh database whose events go to webhooks."""
    built = make_integrator(db_config, tmp_path, api_pki, webhooks=TEST_WEBHOOKS)
    built.events = WebhookSink(built.clock)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def clock(integrator: Integrator) -> FakeClock:
    """The integrator's fake clock."""
    assert isinstance(integrator.clock, FakeClock)
    return integrator.clock


def _seed(integrator: Integrator, pki: CorePki, spec: Any) -> Tenant:
    seeded = add_issuer(integrator, pki, spec, "ENT")
    return Tenant(seeded, api_key(integrator, seeded))


@pytest.fixture
def supplier(integrator: Integrator, api_pki: CorePki) -> Tenant:
    """Taxpayer 4540536920 (issues the examples' invoices) with an API key."""
    return _seed(integrator, api_pki, SUPPLIER)


@pytest.fixture
def customer(integrator: Integrator, api_pki: CorePki) -> Tenant:
    """Taxpayer 9205121120 (the examples' buyer) with an API key."""
    return _seed(integrator, api_pki, CUSTOMER)


def quiet_settings(**changes: Any) -> ApiSettings:
    """API settings for tests: a fixed token key, limits high enough not to interfere."""
    values: dict[str, Any] = {
        "token_key": TOKEN_KEY,
        "per_credential": RateLimit(rate=10_000.0, burst=10_000),
        "per_address": RateLimit(rate=10_000.0, burst=10_000),
        "audit_flush_interval": 0.0,
    }
    values.update(changes)
    return ApiSettings(**values)


@pytest.fixture
def app(integrator: Integrator) -> FastAPI:
    """The API app."""
    return api_app(integrator, quiet_settings())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """An in-process HTTP client of the API app."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client




def wait_for(predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll ``predicate`` until it is truthy; its value (fails after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail("condition not reached in time")
        time.sleep(0.02)


__all__ = ["ServeFn", "Tenant", "api_key", "example", "httpx", "quiet_settings", "serve",
           "wait_for"]
