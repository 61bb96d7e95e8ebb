"""SOAP 1.1/1.2 envelopes and faults for the EFatura service, plain or MTOM-packaged.

GİB's binding is SOAP 1.2 document/literal with MTOM (Ek-3 §1–2, gib-protocol.md §1.1, §1.4);
integrators in the field have also called GİB with SOAP 1.1 (WCF ``basicHttpBinding``), so
:func:`read_message` accepts both and tells the caller which one came in, and
:func:`write_message` answers in kind. The envelope XML is parsed only through
:func:`entegrator.ubl.xml.parse` (no DTD, no entities, size cap). Every problem comes out as
:class:`~entegrator.gib.errors.MalformedMessage` (or its subclasses for size/media type).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from lxml import etree

from entegrator.gib.errors import MalformedMessage, UnsupportedMediaType
from entegrator.gib.mtom import (
    Attachment,
    build_related,
    parse_media_type,
    parse_related,
)
from entegrator.ubl import ns
from entegrator.ubl.xml import XmlError, parse, to_bytes

__all__ = [
    "Fault",
    "SoapMessage",
    "SoapVersion",
    "fault_element",
    "read_fault",
    "read_message",
    "write_message",
]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class SoapVersion(Enum):
    """SOAP 1.1 (``text/xml``) or SOAP 1.2 (``application/soap+xml``)."""

    V11 = "1.1"
    V12 = "1.2"

    @property
    def envelope_ns(self) -> str:
        """Namespace of the Envelope element."""
        return ns.SOAP11 if self is SoapVersion.V11 else ns.SOAP12

    @property
    def media_type(self) -> str:
        """Media type of a plain (non-MTOM) message."""
        return "text/xml" if self is SoapVersion.V11 else "application/soap+xml"

    @classmethod
    def for_media_type(cls, media_type: str) -> SoapVersion:
        """The version a media type stands for (SOAP 1.2 unless it is ``text/xml``)."""
        return cls.V11 if media_type == "text/xml" else cls.V12


@dataclass(frozen=True, slots=True)
class SoapMessage:
    """A decoded SOAP message: the single element inside Body and its MTOM parts."""

    version: SoapVersion
    payload: etree._Element
    mtom: bool = False
    action: str | None = None
    attachments: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Fault:
    """A SOAP fault: who is to blame, a human-readable reason and an optional detail element."""

    reason: str
    sender: bool = False
    detail: etree._Element | None = None


def read_message(body: bytes, content_type: str | None, *, soap_action: str | None = None,
                 max_bytes: int) -> SoapMessage:
    """Decode an HTTP body (plain SOAP 1.1/1.2 or MTOM) into a :class:`SoapMessage`."""
    media = parse_media_type(content_type)
    if media.value == "multipart/related":
        related = parse_related(body, media)
        xml = related.root
        attachments = related.parts
        action = media.param("action") or related.root_type.param("action")
        mtom = True
    elif media.value in ("application/soap+xml", "text/xml"):
        xml, attachments, action, mtom = body, {}, media.param("action"), False
    else:
        raise UnsupportedMediaType(
            f"desteklenmeyen Content-Type: {media.value} (SOAP 1.2, SOAP 1.1 veya MTOM bekleniyor)"
        )
    try:
        root = parse(bytes(xml), max_bytes=max_bytes)
    except XmlError as exc:
        raise MalformedMessage(f"SOAP iletisi okunamadı: {exc.message}") from exc
    version = _version_of(root)
    if action is None and soap_action:
        action = soap_action.strip().strip('"') or None
    return SoapMessage(version=version, payload=_body_payload(root, version), mtom=mtom,
                       action=action, attachments=attachments)


def _version_of(root: etree._Element) -> SoapVersion:
    for version in SoapVersion:
        if root.tag == ns.qname(version.envelope_ns, "Envelope"):
            return version
    raise MalformedMessage(f"SOAP zarfı bekleniyordu, kök öğe {root.tag!r}")


def _elements(parent: etree._Element) -> list[etree._Element]:
    return [child for child in parent if isinstance(child.tag, str)]


def _body_payload(root: etree._Element, version: SoapVersion) -> etree._Element:
    bodies = [c for c in _elements(root) if c.tag == ns.qname(version.envelope_ns, "Body")]
    if len(bodies) != 1:
        raise MalformedMessage("SOAP zarfında tek bir Body öğesi olmalı")
    content = _elements(bodies[0])
    if len(content) != 1:
        raise MalformedMessage(f"SOAP Body tek öğe içermeli, {len(content)} öğe var")
    return content[0]


def write_message(payload: etree._Element, version: SoapVersion, *, mtom: bool = False,
                  action: str | None = None,
                  attachments: Mapping[str, Attachment] | None = None) -> tuple[bytes, str]:
    """Wrap ``payload`` in a SOAP envelope; return the HTTP body and its Content-Type.

    With ``mtom`` the envelope becomes the XOP root of a multipart/related body and
    ``attachments`` (referenced by ``xop:Include`` in ``payload``) follow as binary parts.
    """
    if attachments and not mtom:
        raise ValueError("attachments need mtom=True")
    envelope = etree.Element(ns.qname(version.envelope_ns, "Envelope"),
                             nsmap={"soap": version.envelope_ns})
    etree.SubElement(envelope, ns.qname(version.envelope_ns, "Body")).append(payload)
    xml = to_bytes(envelope)
    if not mtom:
        content_type = f"{version.media_type}; charset=utf-8"
        if action and version is SoapVersion.V12:
            content_type += f'; action="{action}"'
        return xml, content_type
    return build_related(xml, version.media_type, attachments or {},
                         start_info=version.media_type,
                         action=action if version is SoapVersion.V12 else None)


def fault_element(version: SoapVersion, fault: Fault) -> etree._Element:
    """Build the ``Fault`` element (to put into Body) for ``version``."""
    env = version.envelope_ns
    element = etree.Element(ns.qname(env, "Fault"), nsmap={"soap": env})
    if version is SoapVersion.V12:
        code = etree.SubElement(element, ns.qname(env, "Code"))
        value = etree.SubElement(code, ns.qname(env, "Value"))
        value.text = "soap:Sender" if fault.sender else "soap:Receiver"
        reason = etree.SubElement(element, ns.qname(env, "Reason"))
        text = etree.SubElement(reason, ns.qname(env, "Text"))
        text.set(_XML_LANG, "tr")
        text.text = fault.reason
        detail_tag = ns.qname(env, "Detail")
    else:
        etree.SubElement(element, "faultcode").text = (
            "soap:Client" if fault.sender else "soap:Server"
        )
        etree.SubElement(element, "faultstring").text = fault.reason
        detail_tag = "detail"
    if fault.detail is not None:
        etree.SubElement(element, detail_tag).append(fault.detail)
    return element


def read_fault(message: SoapMessage) -> Fault | None:
    """The fault carried by ``message``, or None if its payload is not a Fault."""
    env = message.version.envelope_ns
    payload = message.payload
    if payload.tag != ns.qname(env, "Fault"):
        return None
    if message.version is SoapVersion.V12:
        code = payload.findtext(f"{{{env}}}Code/{{{env}}}Value") or ""
        reason = payload.findtext(f"{{{env}}}Reason/{{{env}}}Text") or ""
        detail = payload.find(f"{{{env}}}Detail")
        sender = _local(code) == "Sender"
    else:
        code = payload.findtext("faultcode") or ""
        reason = payload.findtext("faultstring") or ""
        detail = payload.find("detail")
        sender = _local(code).split(".")[0] == "Client"
    first = _elements(detail)[0] if detail is not None and _elements(detail) else None
    return Fault(reason=reason.strip(), sender=sender, detail=first)


def _local(qualified: str) -> str:
    return qualified.strip().rpartition(":")[2]

