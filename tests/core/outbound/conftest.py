"""Fixtures of outbound's tests: a fake Merkez on loopback, an Integrator wired to it, a
supplier and a customer registered in GİB's user list, invoice models, a job worker."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from entegrator.core.wiring import Integrator
from entegrator.store import FakeClock, StoreConfig
from entegrator.store.jobs import Worker
from entegrator.ubl import Invoice, load_invoice
from tests.core.outbound.merkez import FakeMerkez, serve_merkez
from tests.core.outbound.support import add_issuer, outbound_worker, register_gib_user
from tests.core.support import (
    CUSTOMER,
    SUPPLIER,
    CorePki,
    SeededTaxpayer,
    make_integrator,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.fixture
def merkez() -> FakeMerkez:
    """The fake Merkez's receiver (what it stored, which status it reports)."""
    return FakeMerkez()


@pytest.fixture
def merkez_url(merkez: FakeMerkez) -> Iterator[str]:
    """The fake Merkez served on loopback."""
    with serve_merkez(merkez) as url:
        yield url


@pytest.fixture
def integrator(
    db_config: StoreConfig, tmp_path: Path, core_pki: CorePki, merkez_url: str
) -> Iterator[Integrator]:
    """An Integrator (SQLite and PostgreSQL) whose Merkez is the fake one."""
    built = make_integrator(db_config, tmp_path, core_pki, merkez_url=merkez_url)
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def clock(integrator: Integrator) -> FakeClock:
    """The integrator's fake clock."""
    assert isinstance(integrator.clock, FakeClock)
    return integrator.clock


@pytest.fixture
def supplier(integrator: Integrator, core_pki: CorePki) -> SeededTaxpayer:
    """The issuing taxpayer, default series ENT, registered at GİB."""
    return add_issuer(integrator, core_pki, SUPPLIER, "ENT")


@pytest.fixture
def customer(integrator: Integrator) -> str:
    """The buyer's VKN, an e-Fatura user with two PK aliases (the default one second)."""
    register_gib_user(integrator, CUSTOMER.vkn, CUSTOMER.title, gb=[CUSTOMER.gb],
                      pk=["urn:mail:muhasebe@karadenizgida.com.tr", CUSTOMER.pk])
    return CUSTOMER.vkn


def _example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.fixture
def make_invoice() -> Callable[..., Invoice]:
    """An invoice model from examples/ without number and ETTN (keyword changes apply)."""

    def make(name: str = "01-temel-satis.json", **changes: Any) -> Invoice:
        spec = copy.deepcopy(_example(name))
        spec.pop("number", None)
        spec.pop("ettn", None)
        spec.update(changes)
        return load_invoice(spec)

    return make


@pytest.fixture
def worker(integrator: Integrator) -> Worker:
    """A job worker with the integrator's handlers (run it with ``run_until_idle``)."""
    return outbound_worker(integrator)
