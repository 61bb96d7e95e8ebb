"""Tests for entegrator.ubl (the package surface and its lazy imports)."""

from __future__ import annotations

import subprocess
import sys

from entegrator import ubl


def test_every_public_name_resolves() -> None:
    for name in ubl.__all__:
        assert getattr(ubl, name) is not None


def test_small_modules_do_not_load_pydantic_or_lxml() -> None:
    code = (
        "import sys, entegrator.ubl.ns, entegrator.ubl.amounts;"
        "print('pydantic' in sys.modules, 'lxml' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]
