"""Small helpers that append UBL elements and format values deterministically.

Numbers are written in plain notation (never ``1E+3``): money with exactly two decimals,
quantities and prices as given, percentages without trailing zeros because GİB compares
``code + Percent`` as text for withholding (``60190``).
"""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from lxml import etree

from entegrator.ubl.amounts import KURUS

__all__ = [
    "amount",
    "date_text",
    "element",
    "money_text",
    "number_text",
    "optional",
    "percent_text",
    "text",
    "time_text",
]

element = etree.SubElement


def text(parent: etree._Element, tag: str, value: str) -> etree._Element:
    """Append ``<tag>value</tag>`` to ``parent``."""
    child = element(parent, tag)
    child.text = value
    return child


def optional(parent: etree._Element, tag: str, value: str | None) -> None:
    """Append ``<tag>value</tag>`` when ``value`` is given."""
    if value is not None:
        element(parent, tag).text = value


def money_text(value: Decimal) -> str:
    """Two decimals, plain notation, no negative zero.

    >>> money_text(Decimal("1E+3")), money_text(Decimal("-0.001")), money_text(Decimal("2.5"))
    ('1000.00', '0.00', '2.50')
    """
    value = value.quantize(KURUS)
    if not value:
        value = abs(value)
    return f"{value:f}"


def number_text(value: Decimal) -> str:
    """A quantity or price as given, in plain notation.

    >>> number_text(Decimal("1E+2")), number_text(Decimal("6.9324"))
    ('100', '6.9324')
    """
    return f"{value:f}" if value else "0"


def percent_text(value: Decimal) -> str:
    """A percentage without trailing zeros: ``90``, ``18``, ``0.5``.

    >>> percent_text(Decimal("90.00")), percent_text(Decimal("0.50")), percent_text(Decimal(0))
    ('90', '0.5', '0')
    """
    normal = value.normalize()
    return f"{normal:f}" if normal else "0"


def amount(parent: etree._Element, tag: str, value: Decimal, currency: str) -> etree._Element:
    """Append a money amount with its ``currencyID``."""
    child = element(parent, tag, currencyID=currency)
    child.text = money_text(value)
    return child


def date_text(value: date) -> str:
    """``YYYY-MM-DD``."""
    return value.isoformat()


def time_text(value: time) -> str:
    """``HH:MM:SS`` (with fraction/offset only when the value has them)."""
    return value.isoformat()
