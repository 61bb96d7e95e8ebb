"""TCKN (T.C. Kimlik Numarası) — the 11-digit Turkish personal identification number.

A natural person (sole trader, consumer) is identified in UBL-TR by ``cbc:ID`` with
``schemeID="TCKN"`` (then ``cac:Person`` with first and family name is required), and by
``VKN_TCKN`` in the signature and the envelope header. GİB's schematron checks the length
only; the two check digits and the "first digit is not 0" rule come from
:mod:`stdnum.tr.tckimlik` (gib-protocol.md §4.7).

``checksum=False`` keeps only GİB's rules (11 ASCII digits) and skips the population
registry's algorithm, including its leading-zero rule. Error messages never echo the
number: a TCKN is personal data (KVKK).

>>> validate('172 9171 6060')
'17291716060'
>>> is_valid('17291716050')
False
>>> is_valid('12345678901', checksum=False)
True
>>> validate('1729171606')
Traceback (most recent call last):
...
entegrator.errors.InvalidIdentifier: TCKN 11 haneli olmalı, 10 hane verildi
"""

from __future__ import annotations

from typing import Final

from stdnum.tr import tckimlik as _stdnum_tckimlik

from entegrator.errors import InvalidIdentifier
from entegrator.ubl.identifiers import _text

__all__ = ["LENGTH", "compact", "is_valid", "validate"]

LENGTH: Final = 11


def compact(value: str) -> str:
    """Remove whitespace and the separators ``-`` / ``.``; no other change.

    >>> compact('172-917-160-60')
    '17291716060'
    """
    return _text.strip_separators(_text.require_text(value, "TCKN"))


def validate(value: str, *, checksum: bool = True) -> str:
    """Return the compact TCKN or raise :class:`~entegrator.errors.InvalidIdentifier`.

    Always checked: 11 ASCII digits. ``checksum=True`` (default) also checks the two
    check digits and that the number does not start with 0.
    """
    number = compact(value)
    if not number:
        raise InvalidIdentifier("TCKN boş olamaz")
    if not _text.is_ascii_digits(number):
        raise InvalidIdentifier("TCKN yalnız 0-9 rakamlarından oluşmalı")
    if len(number) != LENGTH:
        raise InvalidIdentifier(f"TCKN {LENGTH} haneli olmalı, {len(number)} hane verildi")
    if checksum and number[0] == "0":
        raise InvalidIdentifier("TCKN 0 ile başlayamaz")
    if checksum and not _stdnum_tckimlik.is_valid(number):
        raise InvalidIdentifier("TCKN kontrol haneleri tutmuyor")
    return number


def is_valid(value: object, *, checksum: bool = True) -> bool:
    """True if :func:`validate` accepts ``value``; never raises."""
    try:
        validate(value, checksum=checksum)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True
