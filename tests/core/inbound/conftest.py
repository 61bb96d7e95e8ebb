"""Fixtures of the inbound tests (helpers in tests/core/inbound/support.py)."""

from __future__ import annotations

import pytest

from entegrator.signing import Seal
from tests.asgiserver import ServeFn, serve
from tests.core.inbound.support import seal_for
from tests.core.support import CUSTOMER, SUPPLIER, CorePki


@pytest.fixture(scope="session")
def supplier_seal(core_pki: CorePki) -> Seal:
    """The external supplier's seal (4540536920), issued by the trusted test PKI."""
    return seal_for(core_pki, SUPPLIER.vkn, SUPPLIER.title)


@pytest.fixture(scope="session")
def customer_seal(core_pki: CorePki) -> Seal:
    """The customer's seal (9205121120), for answers it sends us as an external party."""
    return seal_for(core_pki, CUSTOMER.vkn, CUSTOMER.title)


__all__ = ["ServeFn", "customer_seal", "serve", "supplier_seal"]
