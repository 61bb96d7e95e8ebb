"""The EFatura service's message elements and its fault detail (Ek-3 §7–8, our efatura.wsdl).

Each message is a small frozen dataclass with ``to_element`` / ``from_element``. Message elements
are in the service namespace; their children are unqualified (the schema sets no
``elementFormDefault``). Readers also accept service-namespace children, as some toolkits
qualify them. ``binaryData`` is written either inline (base64) or as an ``xop:Include``
reference to an MTOM part, and read from either form.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from entegrator.gib.contract import ZIP_CONTENT_TYPE
from entegrator.gib.errors import MalformedMessage
from entegrator.gib.mtom import Attachment, cid_from_href, href_for_cid
from entegrator.ubl import ns

__all__ = [
    "APP_RESP_REQUEST",
    "APP_RESP_RESPONSE",
    "DOCUMENT_REQUEST",
    "DOCUMENT_RESPONSE",
    "EFATURA_FAULT",
    "AppRespRequest",
    "AppRespResponse",
    "DocumentRequest",
    "DocumentResponse",
    "FaultDetail",
]

DOCUMENT_REQUEST = ns.qname(ns.EFATURA_WS, "documentRequest")
DOCUMENT_RESPONSE = ns.qname(ns.EFATURA_WS, "documentResponse")
APP_RESP_REQUEST = ns.qname(ns.EFATURA_WS, "getAppRespRequest")
APP_RESP_RESPONSE = ns.qname(ns.EFATURA_WS, "getAppRespResponse")
EFATURA_FAULT = ns.qname(ns.EFATURA_WS, "EFaturaFault")
_CONTENT_TYPE_ATTR = ns.qname(ns.XMIME, "contentType")
_XOP_INCLUDE = ns.qname(ns.XOP, "Include")
_NSMAP = {"ef": ns.EFATURA_WS}


def _root(tag: str) -> etree._Element:
    return etree.Element(tag, nsmap=_NSMAP)


def _add(parent: etree._Element, name: str, text: str | None) -> None:
    """Append ``<name>text</name>``; a None field is left out (every field is minOccurs=0)."""
    if text is not None:
        etree.SubElement(parent, name).text = text


def _child(parent: etree._Element, name: str) -> etree._Element | None:
    found = [c for c in parent if c.tag in (name, ns.qname(ns.EFATURA_WS, name))]
    if len(found) > 1:
        raise MalformedMessage(f"{etree.QName(parent).localname}/{name} birden çok kez var")
    return found[0] if found else None


def _text(parent: etree._Element, name: str) -> str | None:
    child = _child(parent, name)
    return None if child is None else (child.text or "")


def _expect(element: etree._Element, tag: str) -> None:
    if element.tag != tag:
        raise MalformedMessage(f"{etree.QName(tag).localname} bekleniyordu, {element.tag!r} geldi")


@dataclass(frozen=True, slots=True)
class DocumentRequest:
    """sendDocument input: the zip's file name, its bytes and the sender's MD5."""

    file_name: str | None
    data: bytes | None
    hash: str | None
    content_type: str | None = ZIP_CONTENT_TYPE

    def to_element(self, *, mtom: bool) -> tuple[etree._Element, dict[str, Attachment]]:
        """The ``documentRequest`` element and, with ``mtom``, the binary part it refers to."""
        element = _root(DOCUMENT_REQUEST)
        _add(element, "fileName", self.file_name)
        attachments: dict[str, Attachment] = {}
        if self.data is not None:
            binary = etree.SubElement(element, "binaryData")
            if self.content_type:
                binary.set(_CONTENT_TYPE_ATTR, self.content_type)
            if mtom:
                cid = f"{uuid.uuid4().hex}@entegrator"
                include = etree.SubElement(binary, _XOP_INCLUDE, nsmap={"xop": ns.XOP})
                include.set("href", href_for_cid(cid))
                attachments[cid] = Attachment(self.data, self.content_type or ZIP_CONTENT_TYPE)
            else:
                binary.text = base64.b64encode(self.data).decode("ascii")
        _add(element, "hash", self.hash)
        return element, attachments

    @classmethod
    def from_element(cls, element: etree._Element,
                     attachments: Mapping[str, bytes]) -> DocumentRequest:
        """Read a ``documentRequest``; ``binaryData`` inline or by ``xop:Include``."""
        _expect(element, DOCUMENT_REQUEST)
        binary = _child(element, "binaryData")
        data = None if binary is None else _binary(binary, attachments)
        content_type = None if binary is None else binary.get(_CONTENT_TYPE_ATTR)
        return cls(file_name=_text(element, "fileName"), data=data,
                   hash=_text(element, "hash"), content_type=content_type)


def _binary(element: etree._Element, attachments: Mapping[str, bytes]) -> bytes:
    includes = [c for c in element if c.tag == _XOP_INCLUDE]
    if len(includes) > 1:
        raise MalformedMessage("binaryData birden çok xop:Include içeriyor")
    if includes:
        cid = cid_from_href(includes[0].get("href") or "")
        if cid not in attachments:
            raise MalformedMessage(f"xop:Include ile gösterilen MTOM parçası yok: {cid!r}")
        return attachments[cid]
    text = "".join((element.text or "").split())
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MalformedMessage("binaryData geçerli base64 değil") from exc


@dataclass(frozen=True, slots=True)
class DocumentResponse:
    """sendDocument output: a free-text message and the receiver's own MD5."""

    msg: str | None
    hash: str | None

    def to_element(self) -> etree._Element:
        """The ``documentResponse`` element."""
        element = _root(DOCUMENT_RESPONSE)
        _add(element, "msg", self.msg)
        _add(element, "hash", self.hash)
        return element

    @classmethod
    def from_element(cls, element: etree._Element) -> DocumentResponse:
        """Read a ``documentResponse``."""
        _expect(element, DOCUMENT_RESPONSE)
        return cls(msg=_text(element, "msg"), hash=_text(element, "hash"))


@dataclass(frozen=True, slots=True)
class AppRespRequest:
    """getApplicationResponse input: the envelope UUID."""

    instance_identifier: str | None

    def to_element(self) -> etree._Element:
        """The ``getAppRespRequest`` element."""
        element = _root(APP_RESP_REQUEST)
        _add(element, "instanceIdentifier", self.instance_identifier)
        return element

    @classmethod
    def from_element(cls, element: etree._Element) -> AppRespRequest:
        """Read a ``getAppRespRequest``."""
        _expect(element, APP_RESP_REQUEST)
        return cls(instance_identifier=_text(element, "instanceIdentifier"))


@dataclass(frozen=True, slots=True)
class AppRespResponse:
    """getApplicationResponse output: the SYSTEMENVELOPE XML as text."""

    application_response: str | None

    def to_element(self) -> etree._Element:
        """The ``getAppRespResponse`` element."""
        element = _root(APP_RESP_RESPONSE)
        _add(element, "applicationResponse", self.application_response)
        return element

    @classmethod
    def from_element(cls, element: etree._Element) -> AppRespResponse:
        """Read a ``getAppRespResponse``."""
        _expect(element, APP_RESP_RESPONSE)
        return cls(application_response=_text(element, "applicationResponse"))


@dataclass(frozen=True, slots=True)
class FaultDetail:
    """The ``EFaturaFault`` detail element: ``code`` and ``msg``."""

    code: int
    msg: str

    def to_element(self) -> etree._Element:
        """The ``EFaturaFault`` element."""
        element = _root(EFATURA_FAULT)
        _add(element, "code", str(self.code))
        _add(element, "msg", self.msg)
        return element

    @classmethod
    def from_element(cls, element: etree._Element | None) -> FaultDetail | None:
        """Read an ``EFaturaFault``; None if ``element`` is not one or has no usable code."""
        if element is None or element.tag != EFATURA_FAULT:
            return None
        try:
            code = int((_text(element, "code") or "").strip())
        except (ValueError, MalformedMessage):
            return None
        try:
            msg = _text(element, "msg") or ""
        except MalformedMessage:
            msg = ""
        return cls(code=code, msg=msg.strip())
