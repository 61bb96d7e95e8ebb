"""The one place where entegrator turns untrusted bytes into an XML tree.

Every inbound document — ERP uploads, envelopes from GİB, portal files, fixtures — goes
through :func:`parse`, so all of them get the same protection: no DTDs, no entity
expansion (XXE, billion laughs), no network access, and a size cap. Errors come out as
:class:`XmlError`, a :class:`~entegrator.errors.DocumentError`, with the line number.

>>> parse(b"<a><b>1</b></a>").tag
'a'
>>> parse(b'<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>')
Traceback (most recent call last):
...
entegrator.ubl.xml.XmlError: XML belgesinde DOCTYPE/DTD kullanılamaz
"""

from __future__ import annotations

from lxml import etree

from entegrator.errors import DocumentError

__all__ = ["DEFAULT_MAX_BYTES", "XmlError", "parse", "parse_tree", "to_bytes"]

#: Default size cap for one document (GİB limits a zipped envelope to 5 MB; a single
#: uncompressed invoice with attachments stays far below 50 MB).
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


class XmlError(DocumentError):
    """The bytes are not a well-formed, safe XML document."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        collect_ids=False,
    )


_PARSER = _parser()


def parse_tree(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._ElementTree:
    """Parse ``data`` safely and return the element tree (keeps the XML declaration info)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise XmlError("XML belgesi bayt dizisi olarak verilmeli")
    if len(data) > max_bytes:
        raise XmlError(f"XML belgesi çok büyük: {len(data)} bayt (sınır {max_bytes})")
    if not data.strip():
        raise XmlError("XML belgesi boş")
    try:
        root = etree.fromstring(bytes(data), parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise XmlError(f"XML ayrıştırılamadı: {exc.msg}", line=exc.lineno) from exc
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise XmlError("XML belgesinde DOCTYPE/DTD kullanılamaz")
    return tree


def parse(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """Parse ``data`` safely and return the root element."""
    return parse_tree(data, max_bytes=max_bytes).getroot()


def to_bytes(element: etree._Element, *, declaration: bool = True) -> bytes:
    """Serialize ``element`` as UTF-8 bytes, with the XML declaration by default."""
    return etree.tostring(element, xml_declaration=declaration, encoding="UTF-8")
