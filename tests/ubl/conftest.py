"""Fixtures of the UBL document core tests: invoice specs and GİB's checks (efatura-kontrol)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from efatura_kontrol.bulgu import Bulgu
from efatura_kontrol.kontrol import kontrol_et

from entegrator.ubl.model import Invoice

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: Valid VKNs/TCKNs (check digits pass).
SUPPLIER_VKN = "4540536920"
CUSTOMER_VKN = "9205121120"
PERSON_TCKN = "17291716060"

_BASE: dict[str, Any] = {
    "profile": "TICARIFATURA",
    "invoice_type": "SATIS",
    "number": "ABC2025000000001",
    "ettn": "5c2365ea-077b-4835-b19f-4b9caf1256a2",
    "issue_date": "2025-03-01",
    "supplier": {
        "vkn": SUPPLIER_VKN,
        "name": "Örnek Yazılım A.Ş.",
        "tax_office": "Beşiktaş",
        "address": {"city_subdivision": "Beşiktaş", "city": "İstanbul"},
    },
    "customer": {
        "vkn": CUSTOMER_VKN,
        "name": "Alıcı Gıda Ltd. Şti.",
        "address": {"city_subdivision": "Çankaya", "city": "Ankara"},
    },
    "lines": [
        {
            "name": "Klavye",
            "quantity": "3",
            "unit_code": "C62",
            "unit_price": "100",
            "taxes": [{"percent": "20"}],
        }
    ],
}


@pytest.fixture
def spec() -> dict[str, Any]:
    """A fresh, valid invoice spec (TICARIFATURA/SATIS, one line) to modify in a test."""
    return copy.deepcopy(_BASE)


@pytest.fixture
def make_invoice(spec: dict[str, Any]) -> Callable[..., Invoice]:
    """Validate ``spec`` updated with the given top-level fields into an Invoice."""

    def make(**changes: Any) -> Invoice:
        return Invoice.model_validate({**spec, **changes})

    return make


def _gib_findings(document: bytes) -> list[Bulgu]:
    report = kontrol_et(document)
    return [b for b in report.bulgular if b.seviye == "hata" or b.kaynak == "hesap"]


@pytest.fixture(scope="session")
def gib_findings() -> Callable[[bytes], list[Bulgu]]:
    """efatura-kontrol's errors and arithmetic warnings for a document (GİB XSD+schematron)."""
    return _gib_findings


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The repository's examples/ folder of invoice specs."""
    return EXAMPLES
