"""Where a finding is: readable XPath expressions and source lines.

Every layer reports locations in one form, ``/inv:Invoice[1]/cac:InvoiceLine[2]/cbc:ID[1]``,
with the prefixes of :data:`entegrator.ubl.ns.NS` (names in other namespaces are written as
``*[namespace-uri()='…' and local-name()='…']``). The schematron's SVRL gives EQName paths
(``/Q{urn:…}Invoice[1]``, XPath 3.1 ``fn:path``); :func:`from_eqname_path` rewrites them, and
:meth:`Locator.line` evaluates them on the lxml tree to find the source line.

>>> loc = Locator({"urn:x": "x"})
>>> loc.from_eqname_path("/Q{urn:x}a[1]/Q{}b[2]/@Q{urn:x}c")
'/x:a[1]/b[2]/@x:c'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from lxml import etree

__all__ = ["Locator"]

_EQNAME: Final = re.compile(r"Q\{([^}]*)\}([^/\[\]]+)")


class Locator:
    """Builds and evaluates location paths with one fixed prefix map."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        #: namespace URI → prefix
        self._prefixes = dict(prefixes)
        #: prefix → namespace URI, for evaluating the paths
        self.namespaces = {prefix: uri for uri, prefix in self._prefixes.items()}

    def _name(self, uri: str, local: str) -> str:
        if not uri:
            return local
        prefix = self._prefixes.get(uri)
        if prefix is not None:
            return f"{prefix}:{local}"
        return f"*[namespace-uri()='{uri}' and local-name()='{local}']"

    def from_eqname_path(self, path: str) -> str:
        """Rewrite an ``fn:path`` result (EQNames) with this locator's prefixes."""
        return _EQNAME.sub(lambda match: self._name(match.group(1), match.group(2)), path)

    def xpath_of(self, element: etree._Element, attribute: str | None = None) -> str:
        """Absolute path of ``element`` (and optionally one of its attributes)."""
        steps: list[str] = []
        node: etree._Element | None = element
        while node is not None:
            qname = etree.QName(node)
            tag = node.tag
            position = 1 + sum(1 for _ in node.itersiblings(tag, preceding=True))
            steps.append(f"{self._name(qname.namespace or '', qname.localname)}[{position}]")
            node = node.getparent()
        path = "/" + "/".join(reversed(steps))
        if attribute is not None:
            qname = etree.QName(attribute)
            path += "/@" + self._name(qname.namespace or "", qname.localname)
        return path

    def line(self, root: etree._Element, xpath: str) -> int | None:
        """Source line of the node ``xpath`` selects in ``root``'s tree (or its parent's)."""
        try:
            found = root.xpath(xpath, namespaces=self.namespaces)
        except etree.XPathError:
            return None
        if not isinstance(found, list) or not found:
            return None
        node = found[0]
        if not isinstance(node, etree._Element):
            node = getattr(node, "getparent", lambda: None)()
        return getattr(node, "sourceline", None)
