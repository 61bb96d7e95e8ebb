"""Helpers for the validation tests: edit a sample's tree, wrap invoices in an envelope."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from lxml import etree

from entegrator.ubl import ns
from entegrator.validation import ValidationReport

Change = Callable[[etree._Element], object]


def edit(data: bytes, *changes: Change) -> bytes:
    """Parse ``data``, apply each change to the root, serialise again."""
    root = etree.fromstring(data)
    for change in changes:
        change(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def first(root: etree._Element, path: str) -> etree._Element:
    """The first element ``path`` (prefixes of :data:`ns.NS`) selects under ``root``."""
    found = root.xpath(path, namespaces=ns.NS)
    assert isinstance(found, list)
    assert found, path
    element = found[0]
    assert isinstance(element, etree._Element)
    return element


def set_text(path: str, value: str) -> Change:
    """A change that sets the text of the element at ``path``."""

    def change(root: etree._Element) -> None:
        first(root, path).text = value

    return change


def remove(path: str) -> Change:
    """A change that removes the element at ``path``."""

    def change(root: etree._Element) -> None:
        element = first(root, path)
        parent = element.getparent()
        assert parent is not None
        parent.remove(element)

    return change


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = text
    return element


def envelope(*invoices: bytes, sender: str = "1288331521", receiver: str = "9205121120") -> bytes:
    """A SENDERENVELOPE (Ek-1, TypeVersion 1.2) around ``invoices``.

    The default VKNs are the supplier and customer of TicariFaturaOrnegi.xml, as GİB's
    schematron requires (DocumentSenderCheck, DocumentReceiverCheck).
    """
    sh = ns.SH
    root = etree.Element(
        ns.qname(sh, "StandardBusinessDocument"), nsmap={"sh": sh, "ef": ns.EF, "xsi": ns.XSI}
    )
    root.set(ns.qname(ns.XSI, "schemaLocation"), f"{sh} PackageProxy_1_2.xsd")
    header = _sub(root, ns.qname(sh, "StandardBusinessDocumentHeader"))
    _sub(header, ns.qname(sh, "HeaderVersion"), "1.2")
    for role, vkn, alias in (
        ("Sender", sender, "urn:mail:defaultgb@satici.com.tr"),
        ("Receiver", receiver, "urn:mail:defaultpk@alici.com.tr"),
    ):
        party = _sub(header, ns.qname(sh, role))
        _sub(party, ns.qname(sh, "Identifier"), alias)
        contact = _sub(party, ns.qname(sh, "ContactInformation"))
        _sub(contact, ns.qname(sh, "Contact"), vkn)
        _sub(contact, ns.qname(sh, "ContactTypeIdentifier"), "VKN_TCKN")
    identification = _sub(header, ns.qname(sh, "DocumentIdentification"))
    _sub(identification, ns.qname(sh, "Standard"), "UBL-TR")
    _sub(identification, ns.qname(sh, "TypeVersion"), "1.2")
    _sub(identification, ns.qname(sh, "InstanceIdentifier"), str(uuid.uuid4()))
    _sub(identification, ns.qname(sh, "Type"), "SENDERENVELOPE")
    _sub(identification, ns.qname(sh, "CreationDateAndTime"), "2009-01-05T10:00:00")
    elements = _sub(_sub(root, ns.qname(ns.EF, "Package")), "Elements")
    _sub(elements, "ElementType", "INVOICE")
    _sub(elements, "ElementCount", str(len(invoices)))
    element_list = _sub(elements, "ElementList")
    for invoice in invoices:
        element_list.append(etree.fromstring(invoice))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def rule_ids(report: ValidationReport) -> list[str]:
    """The rule ids of a report's findings, in report order."""
    return [finding.rule for finding in report.findings]


def error_ids(report: ValidationReport) -> list[str]:
    """The rule ids of a report's errors, in report order."""
    return [finding.rule for finding in report.errors]


def add(path: str, xml: str, *, index: int | None = None) -> Change:
    """A change that inserts ``xml`` (with the ns.NS prefixes) under the element at ``path``."""

    def change(root: etree._Element) -> None:
        declarations = " ".join(f'xmlns:{p}="{uri}"' for p, uri in ns.NS.items())
        wrapper = etree.fromstring(f"<wrapper {declarations}>{xml}</wrapper>")
        parent = first(root, path)
        for position, element in enumerate(list(wrapper)):
            if index is None:
                parent.append(element)
            else:
                parent.insert(index + position, element)

    return change


def rule_findings(report: ValidationReport, prefix: str) -> list[tuple[str, str]]:
    """(rule, severity) of the findings whose rule id starts with ``prefix``."""
    return [(f.rule, f.severity.value) for f in report.findings if f.rule.startswith(prefix)]
