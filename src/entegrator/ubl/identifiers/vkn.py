"""VKN (Vergi Kimlik Numarası) — the 10-digit Turkish tax identification number.

Companies (and some persons) are identified in UBL-TR by their VKN: ``cbc:ID`` with
``schemeID="VKN"`` in a party, ``VKN_TCKN`` in the signature and the envelope header.
GİB's schematron checks the length only (``PartyIdentificationTCKNVKNCheck``, ``ContactCheck``);
the check digit is computed by :mod:`stdnum.tr.vkn` (see gib-protocol.md §4.7).

GİB's own test identities (:data:`TEST_NUMBERS`) do **not** pass the check digit, so
``checksum=False`` keeps only GİB's rules (10 ASCII digits) — see
docs/decisions/ubl-identifiers.md.

>>> validate('454 053 6920')
'4540536920'
>>> is_valid('4540536921')
False
>>> is_valid('9999999999'), is_valid('9999999999', checksum=False)
(False, True)
>>> validate('12345')
Traceback (most recent call last):
...
entegrator.errors.InvalidIdentifier: VKN 10 haneli olmalı, 5 hane verildi: '12345'
"""

from __future__ import annotations

from typing import Final

from stdnum.tr import vkn as _stdnum_vkn

from entegrator.errors import InvalidIdentifier
from entegrator.ubl.identifiers import _text

__all__ = ["LENGTH", "TEST_NUMBERS", "compact", "is_valid", "validate"]

LENGTH: Final = 10

#: VKNs GİB uses in its samples and test environment; none passes the check digit.
TEST_NUMBERS: Final = frozenset({"9999999999", "1288331521", "1111111111"})


def compact(value: str) -> str:
    """Remove whitespace and the separators ``-`` / ``.``; no other change.

    >>> compact(' 454-053.6920 ')
    '4540536920'
    """
    return _text.strip_separators(_text.require_text(value, "VKN"))


def validate(value: str, *, checksum: bool = True) -> str:
    """Return the compact VKN or raise :class:`~entegrator.errors.InvalidIdentifier`.

    Always checked: 10 ASCII digits. ``checksum=True`` (default) also checks the check
    digit; pass ``False`` where GİB's test numbers must be accepted (GİB itself only
    checks the length).
    """
    number = compact(value)
    if not number:
        raise InvalidIdentifier("VKN boş olamaz")
    if not _text.is_ascii_digits(number):
        raise InvalidIdentifier(f"VKN yalnız 0-9 rakamlarından oluşmalı: {_text.shown(number)}")
    if len(number) != LENGTH:
        raise InvalidIdentifier(
            f"VKN {LENGTH} haneli olmalı, {len(number)} hane verildi: {_text.shown(number)}"
        )
    if checksum and not _stdnum_vkn.is_valid(number):
        raise InvalidIdentifier(f"VKN kontrol hanesi tutmuyor: {number!r}")
    return number


def is_valid(value: object, *, checksum: bool = True) -> bool:
    """True if :func:`validate` accepts ``value``; never raises."""
    try:
        validate(value, checksum=checksum)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True
