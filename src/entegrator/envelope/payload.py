"""Documents going into an envelope and coming out of one, without breaking their signatures.

A signed UBL or HR-XML document carries an enveloped XAdES signature whose document
reference (``URI=""``) digests the *whole document* the signer had: its root element and
everything outside it (comments, processing instructions). An envelope can carry only the
root element, so:

* Going in (:func:`prepare`): the document is taken as a standalone document (bytes, or the
  root element of its own tree) and serialized once, UTF-8, without XML declaration. That
  serialization has the same canonical form (C14N 1.0/1.1/exclusive, with or without
  comments) as the signed document, and it is spliced into the envelope byte for byte.
  Nodes outside the root are dropped for unsigned documents (e.g. the ``xml-stylesheet``
  instruction of GİB's samples); a *signed* document with such nodes is refused, since
  dropping them would break its signature.
* Coming out (:func:`standalone`): an embedded element is copied into a new document of its
  own. lxml declares on the copy only the namespaces the element declares or uses, so the
  envelope's ``sh``/``ef`` declarations do not leak into the document's canonical form. The
  copy — not the element inside the envelope — is what signatures are verified against.

See docs/decisions/envelope-bytes.md.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree

from entegrator.envelope.errors import EnvelopeError
from entegrator.envelope.model import ROOT_ELEMENT_TYPES, ElementType
from entegrator.ubl import xml
from entegrator.ubl.ns import DS, cbc, qname

__all__ = ["DocumentInput", "Payload", "prepare", "standalone", "to_bytes"]

#: What the builders accept as a document: its bytes, or the root element of its own tree.
DocumentInput = etree._Element | bytes

_DS_SIGNATURE = qname(DS, "Signature")
_XML_IDS = etree.XPath("descendant-or-self::*/@Id")


@dataclass(frozen=True, slots=True, eq=False)
class Payload:
    """A document ready to be spliced into an envelope.

    ``data`` is the root element serialized as UTF-8 without XML declaration; ``root`` is
    the parsed element (for reading facts, never for re-serializing into the envelope).
    ``xml_ids`` are the document's ``Id`` attribute values (XML-DSig/XAdES ``xs:ID``s): they
    must be unique across the whole envelope, since the envelope is one XML document.
    """

    element_type: ElementType
    data: bytes
    root: etree._Element
    uuid: str | None
    profile_id: str | None
    xml_ids: frozenset[str]


def prepare(document: DocumentInput | Payload) -> Payload:
    """Turn a document (bytes or a root element) into a :class:`Payload`.

    Raises :class:`EnvelopeError` for malformed XML, a document type no envelope carries,
    an element that is not the root of its tree, or a signed document with comments or
    processing instructions outside its root element.
    """
    if isinstance(document, Payload):
        return document
    if isinstance(document, bytes | bytearray | memoryview):
        try:
            root = xml.parse(bytes(document))
        except xml.XmlError as exc:
            raise EnvelopeError(f"Zarfa konacak belge okunamadı: {exc.message}") from exc
    elif isinstance(document, etree._Element):
        root = document
        if root.getparent() is not None:
            raise EnvelopeError(
                "Zarfa konacak belge kendi XML ağacının kök elemanı olmalı (alt eleman verildi)"
            )
    else:
        raise EnvelopeError(
            f"Zarfa konacak belge bayt dizisi ya da lxml elemanı olmalı ({type(document).__name__})"
        )
    element_type = ROOT_ELEMENT_TYPES.get(root.tag)
    if element_type is None:
        raise EnvelopeError(f"Bu belge türü zarfa konamaz: kök eleman {root.tag}")
    if _has_outside_nodes(root) and root.find(f".//{_DS_SIGNATURE}") is not None:
        raise EnvelopeError(
            "İmzalı belgenin kök elemanı dışında yorum ya da işlem talimatı (ör. xml-stylesheet) "
            "var; zarf yalnız kök elemanı taşıyabildiği için imza bozulur"
        )
    return Payload(
        element_type=element_type,
        data=etree.tostring(root, encoding="UTF-8", xml_declaration=False, with_tail=False),
        root=root,
        uuid=_text(root, cbc("UUID")),
        profile_id=_text(root, cbc("ProfileID")),
        xml_ids=frozenset(str(value) for value in _XML_IDS(root)),
    )


def standalone(element: etree._Element) -> etree._Element:
    """Copy an embedded document element into a new document of its own.

    Use the copy for signature verification, validation and archiving: its canonical form
    equals the one the signer computed (see the module docstring).
    """
    root = copy.deepcopy(element)
    root.tail = None
    return root


def to_bytes(element: etree._Element) -> bytes:
    """Serialize a standalone document (UTF-8, with XML declaration)."""
    return etree.tostring(element, encoding="UTF-8", xml_declaration=True)


def _has_outside_nodes(root: etree._Element) -> bool:
    for _ in root.itersiblings(preceding=True):
        return True
    for _ in root.itersiblings():
        return True
    return False


def _text(root: etree._Element, tag: str) -> str | None:
    value = root.findtext(tag)
    return value.strip() if value is not None and value.strip() else None
