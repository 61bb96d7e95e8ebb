"""Run the doctests of the archive's modules."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from entegrator.store.archive import codec, entries, model, partitions, text


@pytest.mark.parametrize("module", [codec, entries, model, partitions, text],
                         ids=lambda m: m.__name__)
def test_module_doctests_pass(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
