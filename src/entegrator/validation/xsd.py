"""Layer 2: GİB's XML schemas (UBL-TR 1.2.1 maindoc XSDs, e-Fatura Paketi envelope XSDs).

The XSDs are efatura-kontrol's copies of GİB's files. Each kind's schema is compiled once
per :class:`SchemaSet` (so once per process, see :mod:`entegrator.validation.engine`) and
validates the already parsed lxml tree; nothing is parsed twice. The envelope schema
(``PackageProxy_1_2.xsd``) validates the documents inside ``ElementList`` too, because GİB
declares that ``xs:any`` with ``processContents="strict"``.

Rule ids are ``xsd-`` plus libxml2's error type (``xsd-element-content``), the naming
efatura-kontrol uses; the message keeps libxml2's English text after a Turkish lead.
"""

from __future__ import annotations

from lxml import etree

from entegrator.validation.findings import GIB_XSD, Finding, Layer
from entegrator.validation.kinds import DocumentKind, xsd_path
from entegrator.validation.locations import Locator

__all__ = ["SchemaSet"]


def _rule(entry: etree._LogEntry) -> str:
    name = entry.type_name.lower().removeprefix("schemav_").replace("_", "-")
    return f"xsd-{name}"


class SchemaSet:
    """GİB's compiled XSDs, one per document kind, loaded on first use."""

    def __init__(self) -> None:
        self._schemas: dict[DocumentKind, etree.XMLSchema] = {}
        # Schema files are trusted package data, but imports must never reach the network.
        self._parser = etree.XMLParser(no_network=True, resolve_entities=False)

    def schema(self, kind: DocumentKind) -> etree.XMLSchema:
        """The compiled schema of ``kind`` (compiled now if this is the first use)."""
        schema = self._schemas.get(kind)
        if schema is None:
            document = etree.parse(str(xsd_path(kind)), self._parser)
            schema = self._schemas[kind] = etree.XMLSchema(document)
        return schema

    def load_all(self) -> None:
        """Compile every kind's schema now (engine warm-up)."""
        for kind in DocumentKind:
            self.schema(kind)

    def check(
        self, kind: DocumentKind, tree: etree._ElementTree, locator: Locator
    ) -> list[Finding]:
        """Validate ``tree`` against the schema of ``kind``."""
        schema = self.schema(kind)
        if schema.validate(tree):
            return []
        prefixes = _document_prefixes(tree)
        return [
            Finding(
                rule=_rule(entry),
                layer=Layer.XSD,
                gib_code=GIB_XSD,
                message=f"XML şema (XSD) hatası: {entry.message}",
                xpath=_xpath(tree, entry.path, prefixes, locator),
                line=entry.line or None,
                detail=entry.message,
            )
            for entry in schema.error_log
        ]


def _document_prefixes(tree: etree._ElementTree) -> dict[str, str]:
    """Every prefix the document declares (first declaration wins)."""
    prefixes: dict[str, str] = {}
    for element in tree.iter(etree.Element):
        for prefix, uri in element.nsmap.items():
            if prefix and prefix not in prefixes:
                prefixes[prefix] = uri
    return prefixes


def _xpath(
    tree: etree._ElementTree, path: str | None, prefixes: dict[str, str], locator: Locator
) -> str | None:
    """Rewrite libxml2's path (written with the document's own prefixes) in the common form."""
    if not path:
        return None
    try:
        found = tree.xpath(path, namespaces=prefixes)
    except etree.XPathError:
        return path
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return locator.xpath_of(found[0])
    return path
