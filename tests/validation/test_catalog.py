"""The rule catalogue: every TR id is catalogued, documented and used."""

from __future__ import annotations

import re

from entegrator.validation.rules.catalog import CATALOG
from tests.conftest import REPO_ROOT

_SOURCE = REPO_ROOT / "src" / "entegrator" / "validation"
_DOC = REPO_ROOT / "docs" / "decisions" / "validation-rules.md"
_ID = re.compile(r"\bTR-[A-Z]+-\d{3}\b")


def _ids_in_source() -> set[str]:
    return {
        rule
        for path in _SOURCE.rglob("*.py")
        if path.name != "catalog.py"
        for rule in _ID.findall(path.read_text(encoding="utf-8"))
    }


def test_every_rule_used_in_code_is_catalogued() -> None:
    assert _ids_in_source() <= set(CATALOG)


def test_every_catalogued_rule_is_used() -> None:
    assert set(CATALOG) <= _ids_in_source()


def test_every_catalogued_rule_is_documented() -> None:
    documented = set(_ID.findall(_DOC.read_text(encoding="utf-8")))
    assert set(CATALOG) == documented


def test_ids_follow_the_scheme() -> None:
    assert all(_ID.fullmatch(rule) for rule in CATALOG)
    assert all(info.id == rule for rule, info in CATALOG.items())
