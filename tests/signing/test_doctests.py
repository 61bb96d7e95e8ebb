"""Run the doctests of the signing modules (pytest collects doctests only under ubl)."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "entegrator.signing.algorithms",
    "entegrator.signing.certificates",
    "entegrator.signing.devpki",
    "entegrator.signing.xades",
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0
