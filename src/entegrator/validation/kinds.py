"""The document kinds the validator knows, told apart by their root element.

GİB's XSDs (shipped by efatura-kontrol) define one root per kind: ``inv:Invoice`` (UBL-TR
fatura, also e-Arşiv), ``apr:ApplicationResponse`` (uygulama yanıtı and sistem yanıtı),
``sh:StandardBusinessDocument`` (zarf, Ek-1), and the e-İrsaliye pair ``DespatchAdvice`` /
``ReceiptAdvice``. The e-İrsaliye namespaces are read from the XSDs' ``targetNamespace``
so that no namespace URI is spelled outside :mod:`entegrator.ubl.ns`.
"""

from __future__ import annotations

from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Final

from lxml import etree

from entegrator.ubl import ns

__all__ = ["DocumentKind", "RootTable", "xsd_path", "xsl_path"]

_PACKAGE: Final = "efatura_kontrol.ekler"


class DocumentKind(StrEnum):
    """What a document is, by its root element."""

    INVOICE = "invoice"
    APPLICATION_RESPONSE = "application_response"
    ENVELOPE = "envelope"
    DESPATCH_ADVICE = "despatch_advice"
    RECEIPT_ADVICE = "receipt_advice"


#: GİB's XSD per kind, relative to efatura-kontrol's ``ekler`` folder.
_XSD: Final[dict[DocumentKind, str]] = {
    DocumentKind.INVOICE: "xsd/maindoc/UBL-Invoice-2.1.xsd",
    DocumentKind.APPLICATION_RESPONSE: "xsd/maindoc/UBL-ApplicationResponse-2.1.xsd",
    DocumentKind.ENVELOPE: "xsd/zarf/PackageProxy_1_2.xsd",
    DocumentKind.DESPATCH_ADVICE: "xsd/maindoc/UBL-DespatchAdvice-2.1.xsd",
    DocumentKind.RECEIPT_ADVICE: "xsd/maindoc/UBL-ReceiptAdvice-2.1.xsd",
}


def _package_file(relative: str) -> Path:
    # efatura-kontrol is installed as plain files (a wheel), so the resource is a real path.
    return Path(str(resources.files(_PACKAGE).joinpath(relative)))


def xsd_path(kind: DocumentKind) -> Path:
    """Path of GİB's XSD for ``kind``."""
    return _package_file(_XSD[kind])


def xsl_path() -> Path:
    """Path of GİB's schematron as compiled to XSLT by efatura-kontrol."""
    return _package_file("sematron/efatura.xsl")


def _target_namespace(kind: DocumentKind) -> str:
    """The ``targetNamespace`` of the kind's XSD (reads only up to the root element)."""
    with xsd_path(kind).open("rb") as schema:
        for _event, element in etree.iterparse(schema, events=("start",), no_network=True):
            return str(element.get("targetNamespace"))
    raise LookupError(kind)  # pragma: no cover - an XSD always has a root element


class RootTable:
    """Maps a root element's Clark tag to its :class:`DocumentKind`."""

    def __init__(self) -> None:
        self._by_tag: dict[str, DocumentKind] = {
            ns.qname(ns.INV, "Invoice"): DocumentKind.INVOICE,
            ns.qname(ns.APR, "ApplicationResponse"): DocumentKind.APPLICATION_RESPONSE,
            ns.qname(ns.SH, "StandardBusinessDocument"): DocumentKind.ENVELOPE,
        }
        for kind, local in (
            (DocumentKind.DESPATCH_ADVICE, "DespatchAdvice"),
            (DocumentKind.RECEIPT_ADVICE, "ReceiptAdvice"),
        ):
            self._by_tag[ns.qname(_target_namespace(kind), local)] = kind

    def kind_of(self, tag: str) -> DocumentKind | None:
        """The kind whose root element is ``tag``, or ``None``."""
        return self._by_tag.get(tag)

    def namespaces(self) -> dict[str, str]:
        """Namespace URI → prefix for the e-İrsaliye roots (not in :data:`ns.NS`)."""
        extra = {"desp": DocumentKind.DESPATCH_ADVICE, "recp": DocumentKind.RECEIPT_ADVICE}
        return {
            etree.QName(tag).namespace or "": prefix
            for prefix, kind in extra.items()
            for tag, known in self._by_tag.items()
            if known is kind
        }
