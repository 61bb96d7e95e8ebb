"""Build an envelope: the SBDH header and ``ef:Package`` with the documents spliced in.

Layout (Ek-1 Zarf Şema Yapısı v1.5; schematron ``DocumentCheck``/``HeaderCheck``)::

    sh:StandardBusinessDocument  xsi:schemaLocation="… PackageProxy_1_2.xsd"
      sh:StandardBusinessDocumentHeader
        sh:HeaderVersion 1.0
        sh:Sender / sh:Receiver: sh:Identifier = alias,
            sh:ContactInformation (VKN_TCKN), sh:ContactInformation (UNVAN, if known)
        sh:DocumentIdentification: Standard UBL-TR, TypeVersion 1.2, InstanceIdentifier,
            Type, CreationDateAndTime
      ef:Package
        Elements (unqualified): ElementType, ElementCount, ElementList

The header is built with lxml; the documents are not re-serialized into it: their prepared
bytes (:mod:`.payload`) are spliced into ``ElementList`` verbatim, so what the signer signed
is exactly what travels. The envelope never declares a default namespace, so the
unqualified package elements stay unqualified and the documents keep their own declarations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from lxml import etree

from entegrator.envelope.errors import EnvelopeError
from entegrator.envelope.model import ElementType, EnvelopeHeader, Party
from entegrator.envelope.payload import DocumentInput, Payload, prepare
from entegrator.envelope.rules import check_documents, check_header
from entegrator.envelope.zipio import ZippedEnvelope, zip_envelope
from entegrator.ubl.ns import EF, SH, XSI, qname

__all__ = ["SCHEMA_LOCATION", "BuiltEnvelope", "assemble", "build_envelope", "format_datetime"]

#: ``xsi:schemaLocation`` of UBL 2.1 envelopes (``PackageProxy.xsd`` was UBL 2.0's).
SCHEMA_LOCATION: Final = f"{SH} PackageProxy_1_2.xsd"
_DECLARATION: Final = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_MARKER: Final = "entegrator:zarf-belgeleri"
_MARKER_BYTES: Final = f"<!--{_MARKER}-->".encode("ascii")


@dataclass(frozen=True, slots=True)
class BuiltEnvelope:
    """An envelope ready to send: header facts, the XML bytes and the embedded documents' ETTNs."""

    header: EnvelopeHeader
    element_type: ElementType
    xml: bytes
    document_uuids: tuple[str | None, ...]

    @property
    def envelope_id(self) -> str:
        """``sh:InstanceIdentifier`` — also the zip's and the zip entry's file name stem."""
        return self.header.envelope_id

    def zipped(self) -> ZippedEnvelope:
        """The transport form: ``<id>.zip`` with ``<id>.xml``, and its MD5."""
        return zip_envelope(self.xml, self.header.envelope_id, modified=self.header.created_at)


def build_envelope(
    header: EnvelopeHeader, documents: Sequence[DocumentInput | Payload]
) -> BuiltEnvelope:
    """Build an envelope of ``header.type`` carrying ``documents`` (bytes or root elements).

    All documents must be of one element type allowed for the envelope type; the checks of
    :mod:`.rules` run first. Raises :class:`EnvelopeError` (or
    :class:`~entegrator.errors.InvalidIdentifier` for a malformed VKN/TCKN or alias).
    """
    payloads = [prepare(document) for document in documents]
    check_header(header)
    element_type = check_documents(header, payloads)
    prefix, suffix = assemble(header, element_type, len(payloads))
    body = b"\n".join(p.data for p in payloads)
    return BuiltEnvelope(
        header=header,
        element_type=element_type,
        xml=prefix + body + suffix,
        document_uuids=tuple(p.uuid for p in payloads),
    )


def assemble(header: EnvelopeHeader, element_type: ElementType, count: int) -> tuple[bytes, bytes]:
    """Return the envelope bytes before and after the documents (declaration included)."""
    root = etree.Element(
        qname(SH, "StandardBusinessDocument"), nsmap={"sh": SH, "ef": EF, "xsi": XSI}
    )
    root.set(qname(XSI, "schemaLocation"), SCHEMA_LOCATION)
    sbdh = _sub(root, SH, "StandardBusinessDocumentHeader")
    _sub(sbdh, SH, "HeaderVersion", header.header_version)
    _party(_sub(sbdh, SH, "Sender"), header.sender)
    _party(_sub(sbdh, SH, "Receiver"), header.receiver)
    ident = _sub(sbdh, SH, "DocumentIdentification")
    _sub(ident, SH, "Standard", header.standard)
    _sub(ident, SH, "TypeVersion", header.type_version)
    _sub(ident, SH, "InstanceIdentifier", header.envelope_id)
    _sub(ident, SH, "Type", header.type.value)
    _sub(ident, SH, "CreationDateAndTime", format_datetime(header.created_at))
    elements = etree.SubElement(_sub(root, EF, "Package"), "Elements")
    etree.SubElement(elements, "ElementType").text = element_type.value
    etree.SubElement(elements, "ElementCount").text = str(count)
    etree.SubElement(elements, "ElementList").append(etree.Comment(_MARKER))
    text = etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)
    prefix, marker, suffix = text.partition(_MARKER_BYTES)
    if not marker:
        raise EnvelopeError("Zarf iskeleti oluşturulamadı")
    return _DECLARATION + prefix, suffix


def format_datetime(moment: datetime) -> str:
    """``xs:dateTime`` with whole seconds; the offset is kept when ``moment`` has one.

    >>> format_datetime(datetime(2026, 3, 1, 9, 30, 5, 123456))
    '2026-03-01T09:30:05'
    """
    return moment.isoformat(timespec="seconds")


def _party(element: etree._Element, end: Party) -> None:
    _sub(element, SH, "Identifier", end.alias)
    _contact(element, end.vkn_tckn, "VKN_TCKN")
    if end.title:
        _contact(element, end.title, "UNVAN")


def _contact(element: etree._Element, value: str, kind: str) -> None:
    info = _sub(element, SH, "ContactInformation")
    _sub(info, SH, "Contact", value)
    _sub(info, SH, "ContactTypeIdentifier", kind)


def _sub(
    parent: etree._Element, namespace: str, local: str, text: str | None = None
) -> etree._Element:
    child = etree.SubElement(parent, qname(namespace, local))
    if text is not None:
        child.text = text
    return child
