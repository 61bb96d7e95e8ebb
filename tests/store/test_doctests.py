"""Run the doctests of the store's modules (pytest collects doctests only under ubl/)."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from entegrator.store import clock
from entegrator.store.jobs import policy


@pytest.mark.parametrize("module", [clock, policy], ids=lambda m: m.__name__)
def test_module_doctests_pass(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
