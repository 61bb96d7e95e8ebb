"""Read an envelope — a zip as it arrives through sendDocument, or its XML — into typed facts.

The order of checks and their GİB status codes follow Merkez (gib-protocol.md §8 item 3;
Ek-2 §4): zip (1110, 1130, 1131, 1132) → XML (1132) → envelope structure (1140) → envelope
id (1141 missing, 1111 malformed) → version (1143, ``TypeVersion`` 1.0 or 1.2) → names
(1133 zip entry, 1142 zip file). Reading is deliberately lenient about what GİB's XSD and
schematron judge (1160/1150): GİB's own UBL 2.0 samples, which fail today's schematron,
read fine. It refuses only what cannot be typed: an unknown envelope or element type, or an
``ElementCount`` that does not match the list (1150).

Documents stay inside the envelope tree (:attr:`Envelope.elements`, for reading fields);
:meth:`Envelope.document` copies one out as a standalone document for signature
verification, validation and archiving (see :mod:`.payload`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from lxml import etree

from entegrator.envelope.errors import EnvelopeError
from entegrator.envelope.model import (
    ROOT_ELEMENT_TYPES,
    ElementType,
    EnvelopeHeader,
    EnvelopeType,
    Party,
)
from entegrator.envelope.payload import standalone, to_bytes
from entegrator.envelope.zipio import (
    DEFAULT_LIMITS,
    ZipLimits,
    envelope_id_from_file_name,
    is_zip,
    unzip,
)
from entegrator.ubl import xml
from entegrator.ubl.identifiers import ettn
from entegrator.ubl.ns import EF, SH, qname

__all__ = ["ACCEPTED_TYPE_VERSIONS", "Envelope", "parse_envelope", "read_envelope"]

#: ``sh:TypeVersion`` values GİB has defined: 1.0 (UBL 2.0) and 1.2 (UBL 2.1).
ACCEPTED_TYPE_VERSIONS: Final = frozenset({"1.0", "1.2"})


def _sh(local: str) -> str:
    return qname(SH, local)


@dataclass(frozen=True, slots=True, eq=False)
class Envelope:
    """A received envelope: header facts, element type and the embedded document elements.

    ``xml`` is the envelope XML exactly as received (after unzipping); ``elements`` are the
    documents in place inside the parsed envelope; ``entry_name`` is the zip entry's name
    when the envelope came zipped.
    """

    header: EnvelopeHeader
    element_type: ElementType
    elements: tuple[etree._Element, ...]
    xml: bytes
    entry_name: str | None = None

    @property
    def envelope_id(self) -> str:
        """``sh:InstanceIdentifier``."""
        return self.header.envelope_id

    def document(self, index: int) -> etree._Element:
        """The ``index``-th document as a standalone document (verify signatures on this)."""
        return standalone(self.elements[index])

    def documents(self) -> Iterator[etree._Element]:
        """Every document as a standalone document, one at a time."""
        for element in self.elements:
            yield standalone(element)

    def document_bytes(self, index: int) -> bytes:
        """The archival bytes of the ``index``-th document (UTF-8, with XML declaration)."""
        return to_bytes(self.document(index))


def read_envelope(
    data: bytes, *, file_name: str | None = None, limits: ZipLimits = DEFAULT_LIMITS
) -> Envelope:
    """Read an envelope from zip bytes (sendDocument) or XML bytes (getApplicationResponse).

    With ``file_name`` (the ``fileName`` of sendDocument) the data must be a zip and the
    name is checked: ``<uuid>.zip`` (2006) equal to the envelope id (1142). Ids are
    compared case-insensitively (they are UUIDs).
    """
    expected = envelope_id_from_file_name(file_name) if file_name is not None else None
    entry_name = None
    if file_name is not None or is_zip(data):
        entry = unzip(data, limits=limits)
        entry_name, body = entry.name, entry.data
    else:
        body = bytes(data)
    envelope = parse_envelope(body, max_bytes=limits.max_xml_bytes, entry_name=entry_name)
    envelope_id = envelope.envelope_id.lower()
    if entry_name is not None and entry_name[: -len(".xml")].lower() != envelope_id:
        raise EnvelopeError(
            f"Zip içindeki dosya adı ({entry_name!r}) zarf ID'si ile aynı olmalı "
            f"({envelope.envelope_id}.xml)",
            gib_code=1133,
        )
    if expected is not None and expected.lower() != envelope_id:
        raise EnvelopeError(
            f"Zip dosyasının adı ({file_name!r}) zarf ID'si ile aynı olmalı "
            f"({envelope.envelope_id}.zip)",
            gib_code=1142,
        )
    return envelope


def parse_envelope(
    data: bytes, *, max_bytes: int = xml.DEFAULT_MAX_BYTES, entry_name: str | None = None
) -> Envelope:
    """Parse envelope XML bytes (see the module docstring for the checks and their codes)."""
    try:
        root = xml.parse(data, max_bytes=max_bytes)
    except xml.XmlError as exc:
        raise EnvelopeError(f"Zarf XML olarak okunamadı: {exc.message}", gib_code=1132) from exc
    if root.tag != _sh("StandardBusinessDocument"):
        raise EnvelopeError(
            f"Kök eleman sh:StandardBusinessDocument değil: {root.tag}", gib_code=1140
        )
    sbdh = root.find(_sh("StandardBusinessDocumentHeader"))
    package = root.find(qname(EF, "Package"))
    if sbdh is None or package is None:
        raise EnvelopeError("Zarfta başlık (SBDH) ya da ef:Package yok", gib_code=1140)
    header = _header(sbdh)
    element_type, elements = _package(package)
    return Envelope(header, element_type, elements, bytes(data), entry_name)


def _header(sbdh: etree._Element) -> EnvelopeHeader:
    ident = sbdh.find(_sh("DocumentIdentification"))
    envelope_id = "" if ident is None else _text(ident, "InstanceIdentifier")
    if ident is None or not envelope_id:
        raise EnvelopeError("Zarf ID (sh:InstanceIdentifier) yok", gib_code=1141)
    if not ettn.is_valid(envelope_id):
        raise EnvelopeError(f"Zarf ID UUID biçiminde değil: {envelope_id[:60]!r}", gib_code=1111)
    type_version = _text(ident, "TypeVersion")
    if type_version not in ACCEPTED_TYPE_VERSIONS:
        raise EnvelopeError(f"Geçersiz zarf sürümü (TypeVersion {type_version!r})", gib_code=1143)
    raw_type = _text(ident, "Type")
    try:
        envelope_type = EnvelopeType(raw_type)
    except ValueError:
        raise EnvelopeError(f"Geçersiz zarf türü {raw_type!r}", gib_code=1150) from None
    return EnvelopeHeader(
        envelope_id=envelope_id,
        type=envelope_type,
        sender=_party(sbdh, "Sender"),
        receiver=_party(sbdh, "Receiver"),
        created_at=_datetime(_text(ident, "CreationDateAndTime")),
        type_version=type_version,
        header_version=_text(sbdh, "HeaderVersion"),
        standard=_text(ident, "Standard"),
    )


def _party(sbdh: etree._Element, role: str) -> Party:
    element = sbdh.find(_sh(role))
    if element is None:
        raise EnvelopeError(f"Zarfta sh:{role} yok", gib_code=1140)
    contacts: dict[str, str] = {}
    for info in element.iterfind(_sh("ContactInformation")):
        kind = _text(info, "ContactTypeIdentifier")
        contacts.setdefault(kind, _text(info, "Contact"))
    return Party(
        alias=_text(element, "Identifier"),
        vkn_tckn=contacts.get("VKN_TCKN", ""),
        title=contacts.get("UNVAN") or None,
    )


def _package(package: etree._Element) -> tuple[ElementType, tuple[etree._Element, ...]]:
    groups = package.findall("Elements")
    if not groups:
        raise EnvelopeError("ef:Package içinde Elements yok", gib_code=1140)
    types: set[ElementType] = set()
    elements: list[etree._Element] = []
    for group in groups:
        raw_type = (group.findtext("ElementType") or "").strip()
        try:
            element_type = ElementType(raw_type)
        except ValueError:
            raise EnvelopeError(f"Geçersiz ElementType {raw_type!r}", gib_code=1150) from None
        types.add(element_type)
        listed = group.find("ElementList")
        children = [c for c in listed if isinstance(c.tag, str)] if listed is not None else []
        declared = (group.findtext("ElementCount") or "").strip()
        if declared != str(len(children)):
            raise EnvelopeError(
                f"ElementCount ({declared!r}) ElementList'teki belge sayısına ({len(children)}) "
                "eşit değil",
                gib_code=1150,
            )
        for child in children:
            expected = ROOT_ELEMENT_TYPES.get(child.tag)
            if expected is not None and expected is not element_type:
                raise EnvelopeError(
                    f"ElementType {element_type} ama listede {child.tag} var", gib_code=1150
                )
        elements.extend(children)
    if len(types) != 1:
        raise EnvelopeError("Bir zarfta farklı türde belgeler bulunamaz", gib_code=1150)
    return types.pop(), tuple(elements)


def _text(parent: etree._Element, local: str) -> str:
    return (parent.findtext(_sh(local)) or "").strip()


def _datetime(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise EnvelopeError(
            f"Zarf oluşturma zamanı xs:dateTime değil: {value[:40]!r}", gib_code=1160
        ) from None
