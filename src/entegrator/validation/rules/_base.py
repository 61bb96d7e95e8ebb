"""Shared pieces of entegrator's rules: the rule signature, the context, reading values.

Rules run on every document on the hot path, so they read the tree with the cheapest lxml
calls: one pass over an element's children into a tag → child map (:func:`children`)
instead of one ``find`` per field (``find`` parses an ElementPath each time).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lxml import etree

from entegrator.validation.findings import Finding
from entegrator.validation.locations import Locator
from entegrator.validation.rules.catalog import make_finding

__all__ = ["Rule", "RuleContext", "child", "children", "decimal", "number", "text"]


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule needs besides the document: how to say where a finding is."""

    locator: Locator

    def at(
        self,
        rule: str,
        element: etree._Element | None,
        message: str,
        *,
        attribute: str | None = None,
        detail: str | None = None,
    ) -> Finding:
        """A finding of ``rule`` located at ``element`` (or one of its attributes)."""
        if element is None:
            return make_finding(rule, message, detail=detail)
        return make_finding(
            rule,
            message,
            xpath=self.locator.xpath_of(element, attribute),
            line=element.sourceline,
            detail=detail,
        )


#: A rule gets one document's root element (an invoice may sit inside an envelope).
Rule = Callable[[etree._Element, RuleContext], Iterable[Finding]]


def children(element: etree._Element) -> dict[str, etree._Element]:
    """The first child of each tag, in one pass."""
    found: dict[str, etree._Element] = {}
    for node in element:
        found.setdefault(node.tag, node)
    return found


def child(element: etree._Element | None, tag: str) -> etree._Element | None:
    """The first ``tag`` child of ``element`` (``None`` when either is missing)."""
    if element is None:
        return None
    return next(element.iterchildren(tag), None)


def decimal(element: etree._Element | None) -> Decimal | None:
    """The element's text as a finite ``Decimal``; ``None`` when absent or not a number.

    A malformed number is the XSD's and the schematron's business (``decimalCheck``); the
    arithmetic rules simply skip what they cannot read.
    """
    if element is None or element.text is None:
        return None
    try:
        value = Decimal(element.text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def number(parent: etree._Element | None, tag: str) -> Decimal | None:
    """The first ``tag`` child of ``parent`` as a ``Decimal`` (see :func:`decimal`)."""
    return decimal(child(parent, tag))


def text(parent: etree._Element, tag: str) -> str | None:
    """Stripped text of the first ``tag`` child, ``None`` when absent or empty."""
    node = child(parent, tag)
    if node is None or node.text is None:
        return None
    value = node.text.strip()
    return value or None
