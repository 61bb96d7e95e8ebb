"""Helpers that read values out of UBL elements for the parser (tolerant of foreign input).

Texts are stripped; empty elements count as absent. Dates and times are reduced to what the
model accepts (a time zone on ``cbc:IssueDate``, seven fraction digits on a .NET time).
"""

from __future__ import annotations

import re
from typing import Any, Final

from lxml import etree

__all__ = [
    "attribute",
    "compact",
    "date_of",
    "first",
    "number_of",
    "text_of",
    "texts_of",
    "time_of",
]

_DATE: Final = re.compile(r"\s*(\d{4}-\d{2}-\d{2})")
_TIME: Final = re.compile(r"\s*(\d{2}:\d{2}:\d{2})(\.\d{1,6})?\d*(Z|[+-]\d{2}:\d{2})?\s*$")


def first(element: etree._Element | None, path: str) -> etree._Element | None:
    """The first element at ``path`` below ``element`` (None if either is missing)."""
    return None if element is None else element.find(path)


def text_of(element: etree._Element | None, path: str | None = None) -> str | None:
    """The stripped text at ``path`` (or of ``element`` itself); None when empty or absent."""
    node = element if path is None else first(element, path)
    if node is None or node.text is None:
        return None
    value = node.text.strip()
    return value or None


def texts_of(element: etree._Element, path: str) -> list[str]:
    """Every non-empty stripped text at ``path``."""
    return [value for node in element.iterfind(path) if (value := text_of(node)) is not None]


def attribute(element: etree._Element | None, path: str, name: str) -> str | None:
    """An attribute of the first element at ``path``, stripped; None when empty or absent."""
    node = first(element, path)
    value = None if node is None else node.get(name)
    return value.strip() or None if value is not None else None


def number_of(element: etree._Element | None, path: str) -> str | None:
    """A number as text (the model parses it); thousands separators are not expected."""
    return text_of(element, path)


def date_of(element: etree._Element | None, path: str) -> str | None:
    """``YYYY-MM-DD`` of an ``xs:date`` (a time zone suffix is dropped)."""
    value = text_of(element, path)
    if value is None:
        return None
    match = _DATE.match(value)
    return match.group(1) if match else value


def time_of(element: etree._Element | None, path: str) -> str | None:
    """An ``xs:time`` with at most six fraction digits."""
    value = text_of(element, path)
    if value is None:
        return None
    match = _TIME.match(value)
    if match is None:
        return value
    return "".join(part for part in match.groups() if part)


def compact(mapping: dict[str, Any]) -> dict[str, Any]:
    """Drop absent values (None, empty lists) so the model's defaults apply."""
    return {key: value for key, value in mapping.items() if value is not None and value != []}
