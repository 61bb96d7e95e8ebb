"""Helpers for the builder tests: build a spec and query the result with XPath."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree

from entegrator.ubl import ns
from entegrator.ubl.build import build_invoice_element
from entegrator.ubl.model import Invoice


@pytest.fixture
def built(make_invoice: Callable[..., Invoice]) -> Callable[..., etree._Element]:
    """``built(**changes)`` → the root element built from the base spec with ``changes``."""

    def run(**changes: Any) -> etree._Element:
        return build_invoice_element(make_invoice(**changes))

    return run


def xpath(root: etree._Element, path: str) -> list[Any]:
    """Evaluate ``path`` with the project's prefixes (cbc, cac, ext …)."""
    result = root.xpath(path, namespaces=ns.NS)
    assert isinstance(result, list)
    return result


@pytest.fixture
def query() -> Callable[[etree._Element, str], list[Any]]:
    """The :func:`xpath` helper as a fixture."""
    return xpath
