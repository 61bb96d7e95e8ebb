"""The signature slot of a UBL-TR document, filled later by the signer.

GİB wants the XAdES signature enveloped at
``ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature``, the first child of
the document (gib-protocol.md §6.1), and a ``cac:Signature`` aggregate whose
``cac:DigitalSignatureAttachment/cac:ExternalReference/cbc:URI`` points at the signature.
Builders produce unsigned documents; the convention between builders and the signer is:

* the builder calls :func:`add_signature_slot`, which puts ``ext:UBLExtensions`` first and
  leaves one placeholder element (:data:`PLACEHOLDER_TAG`, in entegrator's own namespace) in
  ``ext:ExtensionContent`` — UBL's schema takes any one foreign element there, so the unsigned
  document is schema-valid;
* the builder writes ``cbc:URI`` = ``"#" + signature_id(document UUID)`` in ``cac:Signature``;
* the signer finds the placeholder with :func:`find_placeholder`, gives ``ds:Signature`` the Id
  :func:`signature_id` returns (or the fragment of that ``cbc:URI``) and replaces the
  placeholder with it (``placeholder.getparent().replace(placeholder, signature)``).

>>> from lxml import etree
>>> from entegrator.ubl import ns
>>> root = etree.Element(ns.qname(ns.APR, "ApplicationResponse"))
>>> etree.SubElement(root, ns.cbc("UBLVersionID")).text = "2.1"
>>> placeholder = add_signature_slot(root)
>>> [etree.QName(child).localname for child in root]
['UBLExtensions', 'UBLVersionID']
>>> find_placeholder(root) is placeholder
True
>>> signature_id("b1a8387a-3e55-4204-8bf4-86d3c3b736a3")
'Signature_b1a8387a-3e55-4204-8bf4-86d3c3b736a3'
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from entegrator.errors import DocumentError
from entegrator.ubl import ns

__all__ = [
    "PLACEHOLDER_TAG",
    "add_signature_slot",
    "find_placeholder",
    "has_signature",
    "signature_id",
]

#: Tag of the element the signer replaces with ``ds:Signature``.
PLACEHOLDER_TAG: Final = ns.qname(ns.SIGNATURE_PLACEHOLDER, "SignaturePlaceholder")

_EXTENSION_CONTENT: Final = "ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent"
_FIND_PLACEHOLDER: Final = etree.XPath(
    f"{_EXTENSION_CONTENT}/sigph:SignaturePlaceholder", namespaces=ns.NS
)
_FIND_SIGNATURE: Final = etree.XPath(f"{_EXTENSION_CONTENT}/ds:Signature", namespaces=ns.NS)


def signature_id(document_uuid: str) -> str:
    """The ``Id`` of the document's ``ds:Signature``: ``Signature_`` + the document's UUID."""
    return f"Signature_{document_uuid}"


def add_signature_slot(root: etree._Element) -> etree._Element:
    """Insert ``ext:UBLExtensions`` with a placeholder as the first child of ``root``.

    Returns the placeholder element. Raises :class:`~entegrator.errors.DocumentError` if
    ``root`` already has ``ext:UBLExtensions`` (one slot per document).
    """
    if root.find(ns.ext("UBLExtensions")) is not None:
        raise DocumentError("Belgede zaten ext:UBLExtensions var; imza yeri bir kez eklenir")
    extensions = etree.Element(ns.ext("UBLExtensions"))
    content = etree.SubElement(
        etree.SubElement(extensions, ns.ext("UBLExtension")), ns.ext("ExtensionContent")
    )
    placeholder = etree.SubElement(
        content, PLACEHOLDER_TAG, nsmap={"sigph": ns.SIGNATURE_PLACEHOLDER}
    )
    root.insert(0, extensions)
    return placeholder


def find_placeholder(root: etree._Element) -> etree._Element | None:
    """The placeholder of an unsigned document built by entegrator, or None."""
    found: list[etree._Element] = _FIND_PLACEHOLDER(root)
    return found[0] if found else None


def has_signature(root: etree._Element) -> bool:
    """True if the document carries a ``ds:Signature`` in its extension slot."""
    return bool(_FIND_SIGNATURE(root))
