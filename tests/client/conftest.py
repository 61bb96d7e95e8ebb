"""The API tests' fixtures (an Integrator with two taxpayers and API keys, a uvicorn
launcher) reused by the client tests, plus a served API."""

from __future__ import annotations

import pytest

from entegrator.api.app import integrator_app
from entegrator.core.wiring import Integrator
from tests.api.conftest import (
    ServeFn,
    api_pki,
    customer,
    integrator,
    quiet_settings,
    serve,
    supplier,
)

__all__ = ["api_pki", "customer", "integrator", "serve", "supplier"]


@pytest.fixture
def base_url(integrator: Integrator, serve: ServeFn) -> str:
    """The integrator's whole web app on a real loopback port."""
    return serve(integrator_app(integrator, quiet_settings()))
