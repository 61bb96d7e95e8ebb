"""The envelope modules' doctests (pytest collects doctests under src/entegrator/ubl only)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import entegrator.envelope

MODULES = sorted(
    name
    for _, name, _ in pkgutil.iter_modules(entegrator.envelope.__path__, "entegrator.envelope.")
)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)

    assert result.failed == 0
