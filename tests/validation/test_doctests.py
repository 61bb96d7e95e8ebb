"""The validation modules' doctests (pytest collects doctests under src/entegrator/ubl only)."""

from __future__ import annotations

import doctest
import importlib

import pytest

_MODULES = (
    "entegrator.validation",
    "entegrator.validation.findings",
    "entegrator.validation.locations",
)


@pytest.mark.parametrize("name", _MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
