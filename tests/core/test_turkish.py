"""Tests of entegrator.core.turkish: the folding behind title search."""

from __future__ import annotations

import doctest

import pytest

from entegrator.core import turkish
from entegrator.core.turkish import fold


def test_doctests_pass() -> None:
    assert doctest.testmod(turkish).failed == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("İSTANBUL", "istanbul"),
    ("IĞDIR", "igdir"),
    ("ŞİŞLİ Çiçekçilik", "sisli cicekcilik"),
    ("  Çok   boşluklu\tunvan ", "cok bosluklu unvan"),
    ("Âlâ Gıda", "ala gida"),
])
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


def test_fold_never_leaves_a_combining_dot() -> None:
    assert "\u0307" not in fold("İİİ")
