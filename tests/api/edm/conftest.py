"""Fixtures of the EDM face tests (definitions in fixtures.py)."""

from __future__ import annotations

from tests.api.soap.fixtures import (
    core_pki,
    customer,
    faces,
    integrator,
    serve,
    soap_base,
    supplier,
    supplier_seal,
)

__all__ = ["core_pki", "customer", "faces", "integrator", "serve", "soap_base", "supplier",
           "supplier_seal"]
