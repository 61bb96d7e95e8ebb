"""Lenient reading of request elements (integrator-api.md §2, §8.8).

Real clients send fields out of schema order, in the request's namespace or in none, with
``Y``/``N`` or ``true``/``1`` booleans, dates with or without a time or an offset, and empty
elements for "not given". These helpers look children up by *local name* in any order,
treat blank text as absent and read values generously; what cannot be read at all raises
:class:`~entegrator.api.soap.errors.BadRequest` naming the field.

>>> from lxml import etree
>>> key = etree.fromstring(b"<K><READ_INCLUDED>Y</READ_INCLUDED><LIMIT> 5 </LIMIT></K>")
>>> flag(key, "READ_INCLUDED"), integer(key, "LIMIT"), text(key, "ID")
(True, 5, None)
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from lxml import etree

from entegrator.api.soap.errors import BadRequest

__all__ = [
    "attribute",
    "child",
    "children",
    "date",
    "flag",
    "integer",
    "local_name",
    "parse_flag",
    "require",
    "text",
    "timestamp",
]

_TRUE: Final = frozenset({"y", "yes", "true", "1", "e", "evet"})
_FALSE: Final = frozenset({"n", "no", "false", "0", "h", "hayir", "hayır"})


def local_name(element: etree._Element) -> str:
    """The element's name without its namespace."""
    return etree.QName(element).localname


def children(parent: etree._Element | None, name: str) -> list[etree._Element]:
    """Every child element called ``name`` (any namespace), in document order."""
    if parent is None:
        return []
    return [c for c in parent if isinstance(c.tag, str) and local_name(c) == name]


def child(parent: etree._Element | None, name: str) -> etree._Element | None:
    """The first child element called ``name`` (any namespace), or None."""
    found = children(parent, name)
    return found[0] if found else None


def text(parent: etree._Element | None, name: str) -> str | None:
    """The stripped text of child ``name``; None when absent or blank."""
    element = child(parent, name)
    if element is None or element.text is None:
        return None
    value = element.text.strip()
    return value or None


def require(parent: etree._Element | None, name: str) -> str:
    """The text of child ``name``; BadRequest when it is absent or blank."""
    value = text(parent, name)
    if value is None:
        raise BadRequest(f"{name} alanı zorunludur")
    return value


def attribute(element: etree._Element | None, name: str) -> str | None:
    """Attribute ``name`` (with or without a namespace), stripped; None when absent/blank."""
    if element is None:
        return None
    for key, raw in element.attrib.items():
        if etree.QName(key).localname == name:
            return raw.strip() or None
    return None


def parse_flag(value: str | None, name: str) -> bool | None:
    """``Y/N``, ``true/false``, ``1/0`` (any case) as a bool; None for None."""
    if value is None:
        return None
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise BadRequest(f"{name} alanı Y/N ya da true/false olmalı: {value!r}")


def flag(parent: etree._Element | None, name: str) -> bool | None:
    """Child ``name`` read by :func:`parse_flag`."""
    return parse_flag(text(parent, name), name)


def integer(parent: etree._Element | None, name: str) -> int | None:
    """Child ``name`` as an integer; None when absent."""
    value = text(parent, name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"{name} alanı bir tam sayı olmalı: {value!r}") from None


def date(parent: etree._Element | None, name: str) -> dt.date | None:
    """Child ``name`` as a date: ``2024-05-01``, with a time, with or without an offset."""
    value = text(parent, name)
    if value is None:
        return None
    try:
        if len(value) <= 10:
            return dt.date.fromisoformat(value)
        if value[10] in "+-Z":  # xs:date with an offset: 2024-05-01+03:00
            return dt.date.fromisoformat(value[:10])
        return _moment(value).date()
    except ValueError:
        raise BadRequest(f"{name} alanı bir tarih olmalı (YYYY-AA-GG): {value!r}") from None


def timestamp(parent: etree._Element | None, name: str, *,
              default_zone: dt.tzinfo) -> dt.datetime | None:
    """Child ``name`` as an aware datetime (a naive one is taken in ``default_zone``)."""
    value = text(parent, name)
    if value is None:
        return None
    try:
        moment = _moment(value) if len(value) > 10 else dt.datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name} alanı bir tarih-saat olmalı: {value!r}") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=default_zone)


def _moment(value: str) -> dt.datetime:
    # .NET writes seven fractional digits (10:56:36.6274908+03:00); Python takes at most six.
    head, dot, rest = value.partition(".")
    if dot:
        digits = len(rest) - len(rest.lstrip("0123456789"))
        rest = rest[:min(digits, 6)] + rest[digits:]
        value = f"{head}.{rest}" if rest[:1].isdigit() else head + rest
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
