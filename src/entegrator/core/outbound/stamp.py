"""Writing the invoice number and the ETTN into an unsigned invoice.

The number is assigned when a queued invoice is prepared, after the document was built and
validated with a placeholder (``ubl.draft``); the ETTN is assigned at submit when the caller
gave none. Besides ``cbc:ID`` and ``cbc:UUID`` the builders repeat both values: the embedded
stylesheet's ``cac:AdditionalDocumentReference`` carries the number as its ``cbc:ID`` and as
the attachment's file name (``<number>.xslt``), and ``cac:Signature`` points at
``#Signature_<ETTN>`` (:mod:`entegrator.ubl.extension`). Those copies are rewritten when
they still hold the old value, so the document stays consistent. Only unsigned documents
may be stamped: changing a signed one would break its signature.

>>> from lxml import etree
>>> from entegrator.ubl import ns
>>> root = etree.fromstring(
...     f'<Invoice xmlns="{ns.INV}" xmlns:cbc="{ns.CBC}"><cbc:ID>TSL2025000000000</cbc:ID>'
...     f'<cbc:UUID>00000000-0000-0000-0000-000000000000</cbc:UUID></Invoice>')
>>> stamp_number(root, "ABC2025000000007")
>>> root.findtext(ns.cbc("ID"))
'ABC2025000000007'
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from entegrator.errors import DocumentError
from entegrator.ubl import ns
from entegrator.ubl.extension import has_signature, signature_id

__all__ = ["stamp_ettn", "stamp_number"]

_ID: Final = ns.cbc("ID")
_UUID: Final = ns.cbc("UUID")
_URI: Final = ns.cbc("URI")
_ADDITIONAL: Final = ns.cac("AdditionalDocumentReference")
_BINARY: Final = f"{ns.cac('Attachment')}/{ns.cbc('EmbeddedDocumentBinaryObject')}"
_SIGNATURE_URI: Final = "/".join(
    (ns.cac("Signature"), ns.cac("DigitalSignatureAttachment"), ns.cac("ExternalReference"), _URI)
)


def _unsigned(root: etree._Element) -> None:
    if has_signature(root):
        raise DocumentError("İmzalı faturanın numarası ya da ETTN'si değiştirilemez")


def stamp_number(root: etree._Element, number: str) -> None:
    """Set the invoice number (``cbc:ID``) and the stylesheet reference that repeats it."""
    _unsigned(root)
    node = root.find(_ID)
    if node is None:
        raise DocumentError("Faturada cbc:ID yok")
    old = (node.text or "").strip()
    node.text = number
    for reference in root.iterfind(_ADDITIONAL):
        ref_id = reference.find(_ID)
        if ref_id is None or (ref_id.text or "").strip() != old:
            continue
        ref_id.text = number
        binary = reference.find(_BINARY)
        if binary is not None and binary.get("filename") == f"{old}.xslt":
            binary.set("filename", f"{number}.xslt")


def stamp_ettn(root: etree._Element, ettn: str) -> None:
    """Set the ETTN (``cbc:UUID``) and the ``cac:Signature`` URI derived from it."""
    _unsigned(root)
    node = root.find(_UUID)
    if node is None:
        raise DocumentError("Faturada cbc:UUID yok")
    old = (node.text or "").strip()
    node.text = ettn
    uri = root.find(_SIGNATURE_URI)
    if uri is not None and (uri.text or "").strip() in ("", "#" + signature_id(old)):
        uri.text = "#" + signature_id(ettn)
