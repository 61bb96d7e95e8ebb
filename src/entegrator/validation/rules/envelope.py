"""Envelope rules (``TR-ENV-…``) across the documents of one zarf (Ek-1).

GİB's schematron checks each document and the header; it does not compare the documents
of one envelope with each other. TR-ENV-001: no two documents share an ETTN
(``cbc:UUID``); TR-ENV-002: no two invoices share an invoice number (``cbc:ID``). Either
would make Merkez reject the second one as already registered (1163) after accepting the
first, so the envelope is refused as a whole before it is sent.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from entegrator.ubl import ns
from entegrator.validation.findings import Finding
from entegrator.validation.rules._base import RuleContext, text

__all__ = ["check_duplicates", "documents_in"]

_PACKAGE = ns.qname(ns.EF, "Package")
#: ``Elements``/``ElementList`` are unqualified in Package_1_2.xsd.
_DOCUMENTS = f"{_PACKAGE}/Elements/ElementList/*"
_INVOICE = ns.qname(ns.INV, "Invoice")
_UUID = ns.cbc("UUID")
_ID = ns.cbc("ID")


def documents_in(envelope: etree._Element) -> list[etree._Element]:
    """The documents inside an envelope's ``ElementList`` elements, in order."""
    return envelope.findall(_DOCUMENTS)


def check_duplicates(documents: Sequence[etree._Element], ctx: RuleContext) -> list[Finding]:
    """TR-ENV-001 and TR-ENV-002."""
    findings: list[Finding] = []
    uuids: set[str] = set()
    numbers: set[str] = set()
    for document in documents:
        uuid = text(document, _UUID)
        if uuid is not None:
            if uuid.lower() in uuids:
                findings.append(
                    ctx.at("TR-ENV-001", document.find(_UUID), f"ETTN {uuid} zarfta tekrarlanıyor")
                )
            uuids.add(uuid.lower())
        number = text(document, _ID) if document.tag == _INVOICE else None
        if number is not None:
            if number in numbers:
                findings.append(
                    ctx.at(
                        "TR-ENV-002",
                        document.find(_ID),
                        f"Fatura numarası {number} zarfta tekrarlanıyor",
                    )
                )
            numbers.add(number)
    return findings
