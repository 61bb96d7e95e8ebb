"""Tests for entegrator.ubl.rules (the registry)."""

from __future__ import annotations

from collections.abc import Callable

from entegrator.ubl.errors import Problem
from entegrator.ubl.rules import RULES


def test_the_base_spec_breaks_no_rule(problems: Callable[..., list[Problem]]) -> None:
    assert problems() == []


def test_every_part_contributes_rules() -> None:
    modules = {rule.__module__.rsplit(".", 1)[1] for rule in RULES}
    assert modules == {"header", "parties", "taxes", "amounts"}
