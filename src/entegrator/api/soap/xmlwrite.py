"""Building response elements: unqualified children in schema order (integrator-api.md §2).

Every child of a response root, and everything below it, is unqualified (no
``elementFormDefault`` in either family's schemas); only the root carries the service
namespace. Values are written in the schemas' lexical forms: ``xs:dateTime`` in Turkish time
with its offset, ``xs:date``, decimals without exponent. Optional elements are left out when
their value is None; callers emit them in the order the XSD lists them.

>>> root = element("R")
>>> _ = add(root, "A", 1); _ = add(root, "B", None); _ = add(root, "C", True)
>>> etree.tostring(root)
b'<R><A>1</A><C>true</C></R>'
"""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal
from typing import Final
from zoneinfo import ZoneInfo

from lxml import etree

from entegrator.ubl import ns

__all__ = [
    "TURKEY",
    "Value",
    "add",
    "add_amount",
    "add_base64",
    "element",
    "format_value",
]

#: Turkish time: the offset İzibiz and EDM write on timestamps.
TURKEY: Final = ZoneInfo("Europe/Istanbul")
_CONTENT_TYPE: Final = ns.qname(ns.XMIME, "contentType")

Value = str | int | bool | Decimal | dt.date | dt.datetime | None


def format_value(value: Value) -> str | None:
    """The XSD lexical form of ``value`` (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        moment = value.astimezone(TURKEY) if value.tzinfo is not None else value
        return moment.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def element(tag: str, value: Value = None, **attributes: Value) -> etree._Element:
    """A new element ``tag`` with text ``value`` and the given attributes (None ones omitted)."""
    node = etree.Element(tag)
    node.text = format_value(value)
    for key, attr in attributes.items():
        formatted = format_value(attr)
        if formatted is not None:
            node.set(key, formatted)
    return node


def add(parent: etree._Element, tag: str, value: Value, *, empty: bool = False,
        **attributes: Value) -> etree._Element | None:
    """Append ``<tag>value</tag>`` unless ``value`` is None (``empty``: write ``<tag/>``)."""
    if value is None and not empty:
        return None
    node = element(tag, value, **attributes)
    parent.append(node)
    return node


def add_amount(parent: etree._Element, tag: str, amount: Decimal | None,
               currency: str | None) -> None:
    """An AmountType element: the decimal with its ``currencyID``."""
    if amount is not None:
        parent.append(element(tag, amount, currencyID=currency))


def add_base64(parent: etree._Element, tag: str, data: bytes | None, *,
               content_type: str | None = None) -> None:
    """An ``xmime:base64Binary`` element (optionally with ``xmime:contentType``)."""
    if data is None:
        return
    node = etree.SubElement(parent, tag, nsmap={"xmime": ns.XMIME} if content_type else None)
    node.text = base64.b64encode(data).decode("ascii")
    if content_type:
        node.set(_CONTENT_TYPE, content_type)
