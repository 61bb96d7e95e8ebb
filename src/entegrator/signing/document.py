"""Where a signature lives in each GİB document and whose signature it must be.

* Invoice / ApplicationResponse (UBL-TR 1.2): the XAdES ``ds:Signature`` is the only child
  of the first ``ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent``; its Id is what
  ``cac:Signature/cac:DigitalSignatureAttachment/cac:ExternalReference/cbc:URI`` names
  (``#Signature`` by the builders' contract). The signer is the supplier
  (``cac:AccountingSupplierParty``) of an invoice and the ``cac:SenderParty`` of an
  application response (gib-protocol §6.1).
* HR-XML ProcessUserAccount / CancelUserAccount (gib-protocol §2.4): the integrator's
  signature sits in ``oa:ApplicationArea/oa:Signature``; its signer is
  ``oa:Sender/oa:LogicalID``. The customer's counter-signature is in that signature's
  ``xades:UnsignedSignatureProperties/xades:CounterSignature``; its signer is a
  ``UserAccount/UserID``.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import Final

from lxml import etree

from entegrator.errors import DocumentError
from entegrator.ubl.ns import APR, CAC, CBC, DS, EXT, HR, INV, OA, XADES, ds, ext, qname

__all__ = [
    "Container",
    "DocumentKind",
    "counter_signature_holder",
    "counter_signers",
    "declared_signer",
    "document_kind",
    "find_counter_signature",
    "find_signature",
    "prepare_container",
    "signature_id",
    "supplier_identifiers",
]

_NS: Final = {"cac": CAC, "cbc": CBC, "ext": EXT, "ds": DS, "xades": XADES, "oa": OA, "hr": HR}
_ID_SCHEMES: Final = frozenset({"VKN", "TCKN"})
_NCNAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
DEFAULT_SIGNATURE_ID: Final = "Signature"


class DocumentKind(enum.Enum):
    """The signed document types entegrator handles."""

    INVOICE = "Invoice"
    APPLICATION_RESPONSE = "ApplicationResponse"
    USER_ACCOUNT = "UserAccount"

    @property
    def is_ubl(self) -> bool:
        """Whether the signature lives in ``ext:UBLExtensions``."""
        return self is not DocumentKind.USER_ACCOUNT


_ROOTS: Final = {
    qname(INV, "Invoice"): DocumentKind.INVOICE,
    qname(APR, "ApplicationResponse"): DocumentKind.APPLICATION_RESPONSE,
    qname(HR, "ProcessUserAccount"): DocumentKind.USER_ACCOUNT,
    qname(HR, "CancelUserAccount"): DocumentKind.USER_ACCOUNT,
}

_UBL_SIGNATURE = etree.XPath(
    "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature", namespaces=_NS
)
_HR_SIGNATURE = etree.XPath("oa:ApplicationArea/oa:Signature/ds:Signature", namespaces=_NS)
_COUNTER = etree.XPath(
    "ds:Object/xades:QualifyingProperties/xades:UnsignedProperties/"
    "xades:UnsignedSignatureProperties/xades:CounterSignature/ds:Signature",
    namespaces=_NS,
)
_SIGNATURE_URI = etree.XPath(
    "cac:Signature/cac:DigitalSignatureAttachment/cac:ExternalReference/cbc:URI/text()",
    namespaces=_NS,
)
_INVOICE_SUPPLIER = etree.XPath(
    "cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/cbc:ID", namespaces=_NS
)
_RESPONSE_SENDER = etree.XPath("cac:SenderParty/cac:PartyIdentification/cbc:ID", namespaces=_NS)
_LOGICAL_ID = etree.XPath("oa:ApplicationArea/oa:Sender/oa:LogicalID/text()", namespaces=_NS)
_USER_IDS = etree.XPath("hr:DataArea/hr:UserAccount/hr:UserID/text()", namespaces=_NS)
_DECLARED_SIGNER = etree.XPath("cac:Signature/cbc:ID[@schemeID='VKN_TCKN']/text()", namespaces=_NS)


def document_kind(root: etree._Element) -> DocumentKind:
    """The kind of ``root``; a :class:`DocumentError` for anything else."""
    kind = _ROOTS.get(root.tag)
    if kind is None:
        raise DocumentError(f"İmzalanamayan/doğrulanamayan belge türü: {root.tag}")
    return kind


def find_signature(root: etree._Element, kind: DocumentKind) -> list[etree._Element]:
    """Every ``ds:Signature`` in the place GİB expects one for ``kind``."""
    return list((_UBL_SIGNATURE if kind.is_ubl else _HR_SIGNATURE)(root))


def find_counter_signature(signature: etree._Element) -> list[etree._Element]:
    """The counter-signatures inside ``signature``'s unsigned properties."""
    return list(_COUNTER(signature))


def signature_id(root: etree._Element, kind: DocumentKind) -> str:
    """The Id the signature must carry: what ``cac:Signature``'s URI names, or "Signature"."""
    if kind.is_ubl:
        for uri in _SIGNATURE_URI(root):
            value = str(uri).strip()
            if value.startswith("#") and _NCNAME.match(value[1:]):
                return value[1:]
    return DEFAULT_SIGNATURE_ID


def _clean(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in values if v and v.strip()))


def supplier_identifiers(root: etree._Element, kind: DocumentKind) -> tuple[str, ...]:
    """VKN/TCKN of the party that must sign the document (in document order)."""
    if kind is DocumentKind.USER_ACCOUNT:
        return _clean([str(v) for v in _LOGICAL_ID(root)])
    finder = _INVOICE_SUPPLIER if kind is DocumentKind.INVOICE else _RESPONSE_SENDER
    return _clean(
        [el.text or "" for el in finder(root) if el.get("schemeID", "").upper() in _ID_SCHEMES]
    )


def counter_signers(root: etree._Element) -> tuple[str, ...]:
    """The customers (``UserAccount/UserID``) of a user-account message."""
    return _clean([str(v) for v in _USER_IDS(root)])


def declared_signer(root: etree._Element) -> str | None:
    """``cac:Signature/cbc:ID[@schemeID='VKN_TCKN']`` — who the document says signs it."""
    values = _clean([str(v) for v in _DECLARED_SIGNER(root)])
    return values[0] if values else None


@dataclass(slots=True)
class Container:
    """The emptied element a signature goes into, able to undo the preparation."""

    element: etree._Element
    _created: etree._Element | None = None
    _old_text: str | None = None
    _old_children: list[etree._Element] = field(default_factory=list)
    _outer: tuple[list[etree._Element], list[etree._Element]] = field(
        default_factory=lambda: ([], [])
    )

    def restore(self) -> None:
        """Put the document back as it was before :func:`prepare_container`."""
        root = self.element.getroottree().getroot()
        before, after = self._outer
        for node in before:
            root.addprevious(node)
        for node in reversed(after):
            root.addnext(node)
        if self._created is not None:
            parent = self._created.getparent()
            if parent is not None:
                parent.remove(self._created)
            return
        for child in list(self.element):
            self.element.remove(child)
        self.element.text = self._old_text
        self.element.extend(self._old_children)


def _emptied(element: etree._Element, created: etree._Element | None) -> Container:
    container = Container(element, created, element.text, list(element))
    for child in container._old_children:
        element.remove(child)
    element.text = None
    return container


def _child(parent: etree._Element, tag: str) -> tuple[etree._Element, bool]:
    found = parent.find(tag)
    if found is not None:
        return found, False
    return etree.SubElement(parent, tag), True


def _detach_outer(root: etree._Element) -> tuple[list[etree._Element], list[etree._Element]]:
    before = list(root.itersiblings(preceding=True))[::-1]
    after = list(root.itersiblings())
    for node in (*before, *after):
        root.append(node)  # lxml cannot unlink a top-level node directly
        root.remove(node)
    return before, after


def prepare_container(root: etree._Element, kind: DocumentKind) -> Container:
    """Return the empty element the signature goes into, creating it when missing.

    Processing instructions and comments outside the root element (``<?xml-stylesheet?>``)
    are dropped first: ``URI=""`` would sign them, but they do not survive being put into
    an envelope, so the signature would break there. UBL: the first ``ExtensionContent`` is
    emptied (GİB's XSD rejects an empty one, so builders put a placeholder there); without
    ``ext:UBLExtensions`` one is inserted as the first child. HR-XML:
    ``oa:ApplicationArea/oa:Signature`` is emptied or created after ``oa:CreationDateTime``.
    :meth:`Container.restore` undoes all of it.
    """
    container = _prepare(root, kind)
    container._outer = _detach_outer(root)
    return container


def _prepare(root: etree._Element, kind: DocumentKind) -> Container:
    if kind.is_ubl:
        created: etree._Element | None = None
        extensions = root.find(ext("UBLExtensions"))
        if extensions is None:
            extensions = created = etree.SubElement(root, ext("UBLExtensions"), nsmap={"ext": EXT})
            extensions.tail = root.text
            root.insert(0, extensions)
        extension, new = _child(extensions, ext("UBLExtension"))
        created = created if created is not None or not new else extension
        content, new = _child(extension, ext("ExtensionContent"))
        created = created if created is not None or not new else content
        return _emptied(content, created)
    area = root.find(qname(OA, "ApplicationArea"))
    if area is None:
        raise DocumentError("HR-XML mesajında oa:ApplicationArea yok")
    holder = area.find(qname(OA, "Signature"))
    if holder is not None:
        return _emptied(holder, None)
    anchor = area.find(qname(OA, "CreationDateTime"))
    if anchor is None:
        raise DocumentError("HR-XML mesajında oa:CreationDateTime yok")
    holder = etree.SubElement(area, qname(OA, "Signature"))
    holder.tail = anchor.tail
    anchor.addnext(holder)
    return _emptied(holder, holder)


def counter_signature_holder(signature: etree._Element) -> Container:
    """An empty ``xades:CounterSignature`` under ``signature``'s unsigned properties."""
    qualifying = signature.find(f"{ds('Object')}/{qname(XADES, 'QualifyingProperties')}")
    if qualifying is None:
        raise DocumentError("Karşı imza için ana imzada xades:QualifyingProperties yok")
    unsigned, new_unsigned = _child(qualifying, qname(XADES, "UnsignedProperties"))
    props, new_props = _child(unsigned, qname(XADES, "UnsignedSignatureProperties"))
    holder = etree.SubElement(props, qname(XADES, "CounterSignature"))
    created = unsigned if new_unsigned else props if new_props else holder
    return Container(holder, created)
