"""GİB's compiled schematron, lean: same rules, only the findings come out, faster lookups.

efatura-kontrol compiled GİB's schematron with SchXslt2 with fired-rule and active-pattern
reporting already switched off. What is left besides failed asserts is bookkeeping: fifteen
``svrl:ns-prefix-in-attribute-values`` elements in every result and one
``svrl:suppressed-rule`` element each time a second rule of the same pattern matches a node.
This module removes those two literal result elements from the stylesheet (with lxml, once,
when the engine starts). No rule, test, variable or template match changes, so the failed
asserts are exactly GİB's; ``tests/validation/test_lean.py`` checks that on every sample.

With ``indexed=True`` (the default) the code-list lookups are also answered from an index
(:mod:`entegrator.validation.codelists`): the same answers, about four times less work.
"""

from __future__ import annotations

from lxml import etree

from entegrator.ubl import ns
from entegrator.validation.codelists import index_code_lists
from entegrator.validation.kinds import xsl_path

__all__ = ["lean_stylesheet"]

_DROPPED = (
    ns.qname(ns.SVRL, "ns-prefix-in-attribute-values"),
    ns.qname(ns.SVRL, "suppressed-rule"),
)


def lean_stylesheet(*, indexed: bool = True) -> str:
    """efatura-kontrol's ``efatura.xsl`` without report-only output (``indexed``: code lists)."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    stylesheet = etree.parse(str(xsl_path()), parser)
    for element in list(stylesheet.iter(*_DROPPED)):
        _remove_keeping_tail(element)
    if indexed:
        index_code_lists(stylesheet.getroot())
    return etree.tostring(stylesheet, encoding="unicode")


def _remove_keeping_tail(element: etree._Element) -> None:
    """Remove ``element`` but keep the text that follows it (it may be output text)."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
