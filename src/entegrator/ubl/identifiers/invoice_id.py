"""Fatura numarası (invoice number) — ``cbc:ID`` of an invoice: series + year + sequence.

16 characters: a 3-character series code (``A-Z``, ``0-9``), the 4-digit year of issue
(``20xx``) and a 9-digit running number, e.g. ``GIB2009000000001``. GİB's
``InvoiceIDCheck`` enforces ``^[A-Z0-9]{3}20[0-9]{2}[0-9]{9}$``; the year should be the
issue year and the sequence runs consecutively per series and year (VUK 509), which the
numbering service, not this module, guarantees. Source: gib-protocol.md §4.6.

>>> make('ABC', 2024, 1)
'ABC2024000000001'
>>> split('GIB2009000000001')
('GIB', 2009, 1)
>>> is_valid('gib2009000000001')
False
>>> validate_prefix('AB')
Traceback (most recent call last):
...
entegrator.errors.InvalidIdentifier: Fatura seri kodu 3 karakter (A-Z, 0-9) olmalı: 'AB'
"""

from __future__ import annotations

import re
from typing import Final

from entegrator.errors import InvalidIdentifier
from entegrator.ubl.identifiers import _text

__all__ = [
    "LENGTH",
    "MAX_SEQUENCE",
    "PREFIX_LENGTH",
    "compact",
    "is_valid",
    "is_valid_prefix",
    "make",
    "split",
    "validate",
    "validate_prefix",
]

LENGTH: Final = 16
PREFIX_LENGTH: Final = 3
#: Largest running number that fits the 9 digits.
MAX_SEQUENCE: Final = 999_999_999
_FIRST_YEAR: Final = 2000
_LAST_YEAR: Final = 2099
_PATTERN: Final = re.compile(r"[A-Z0-9]{3}20[0-9]{2}[0-9]{9}")
_PREFIX: Final = re.compile(r"[A-Z0-9]{3}")


def compact(value: str) -> str:
    """Strip surrounding whitespace (GİB's ``normalize-space``); no other change."""
    return _text.require_text(value, "Fatura numarası").strip()


def validate(value: str) -> str:
    """Return the invoice number without surrounding whitespace or raise
    :class:`~entegrator.errors.InvalidIdentifier`.

    Lower-case letters are refused, not upper-cased: the number is chosen by the issuer
    and must be stored exactly as sent.
    """
    number = compact(value)
    if not number:
        raise InvalidIdentifier("Fatura numarası boş olamaz")
    if len(number) != LENGTH:
        raise InvalidIdentifier(
            f"Fatura numarası {LENGTH} karakter olmalı, {len(number)} karakter verildi: "
            f"{_text.shown(number)}"
        )
    if not _PATTERN.fullmatch(number):
        raise InvalidIdentifier(
            "Fatura numarası 3 karakter seri (A-Z, 0-9) + 4 haneli yıl (20xx) + 9 haneli sıra "
            f"numarası olmalı (örn. GIB2009000000001): {number!r}"
        )
    return number


def is_valid(value: object) -> bool:
    """True if :func:`validate` accepts ``value``; never raises."""
    try:
        validate(value)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True


def validate_prefix(prefix: str) -> str:
    """Return the 3-character series code or raise
    :class:`~entegrator.errors.InvalidIdentifier` (upper-case ASCII letters and digits)."""
    code = _text.require_text(prefix, "Fatura seri kodu").strip()
    if not _PREFIX.fullmatch(code):
        raise InvalidIdentifier(
            f"Fatura seri kodu {PREFIX_LENGTH} karakter (A-Z, 0-9) olmalı: {_text.shown(code)}"
        )
    return code


def is_valid_prefix(prefix: object) -> bool:
    """True if :func:`validate_prefix` accepts ``prefix``; never raises."""
    try:
        validate_prefix(prefix)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True


def _require_int(value: object, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidIdentifier(f"{label} tam sayı olmalı ({type(value).__name__} verildi)")
    return value


def make(prefix: str, year: int, sequence: int) -> str:
    """Build an invoice number from series code, issue year (2000–2099) and running
    number (1–999 999 999)."""
    code = validate_prefix(prefix)
    year = _require_int(year, "Fatura yılı")
    sequence = _require_int(sequence, "Fatura sıra numarası")
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise InvalidIdentifier(f"Fatura yılı {_FIRST_YEAR}-{_LAST_YEAR} arasında olmalı: {year}")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise InvalidIdentifier(
            f"Fatura sıra numarası 1-{MAX_SEQUENCE} arasında olmalı: {sequence}"
        )
    return f"{code}{year:04d}{sequence:09d}"


def split(value: str) -> tuple[str, int, int]:
    """Split a valid invoice number into ``(series, year, sequence)``."""
    number = validate(value)
    return number[:PREFIX_LENGTH], int(number[3:7]), int(number[7:])
