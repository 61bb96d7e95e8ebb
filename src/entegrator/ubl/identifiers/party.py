"""VKN_TCKN — a party's tax number, which is either a VKN (10 digits) or a TCKN (11 digits).

GİB writes ``schemeID="VKN_TCKN"`` where either may stand (``cac:Signature/cbc:ID``, the
envelope's ``sh:ContactInformation``); the length tells which one it is. For parties the
scheme decides the rest of the markup (VKN → ``cac:PartyName``, TCKN → ``cac:Person``).

>>> scheme_of('4540536920'), scheme_of('17291716060')
('VKN', 'TCKN')
>>> validate('9999999999', checksum=False)
'9999999999'
>>> scheme_of('123')
Traceback (most recent call last):
...
entegrator.errors.InvalidIdentifier: VKN/TCKN 10 (VKN) ya da 11 (TCKN) haneli olmalı, 3 hane verildi
"""

from __future__ import annotations

from typing import Literal

from entegrator.errors import InvalidIdentifier
from entegrator.ubl.identifiers import _text, tckn, vkn

__all__ = ["Scheme", "compact", "is_valid", "scheme_of", "validate"]

Scheme = Literal["VKN", "TCKN"]


def compact(value: str) -> str:
    """Remove whitespace and the separators ``-`` / ``.``; no other change."""
    return _text.strip_separators(_text.require_text(value, "VKN/TCKN"))


def scheme_of(value: str) -> Scheme:
    """Return ``"VKN"`` for 10 digits, ``"TCKN"`` for 11; check digits are not checked.

    Raises :class:`~entegrator.errors.InvalidIdentifier` for anything else.
    """
    number = compact(value)
    if not _text.is_ascii_digits(number):
        raise InvalidIdentifier("VKN/TCKN yalnız 0-9 rakamlarından oluşmalı")
    if len(number) == vkn.LENGTH:
        return "VKN"
    if len(number) == tckn.LENGTH:
        return "TCKN"
    raise InvalidIdentifier(
        f"VKN/TCKN {vkn.LENGTH} (VKN) ya da {tckn.LENGTH} (TCKN) haneli olmalı, "
        f"{len(number)} hane verildi"
    )


def validate(value: str, *, checksum: bool = True) -> str:
    """Validate ``value`` as a VKN or a TCKN (chosen by length) and return it compact."""
    if scheme_of(value) == "VKN":
        return vkn.validate(value, checksum=checksum)
    return tckn.validate(value, checksum=checksum)


def is_valid(value: object, *, checksum: bool = True) -> bool:
    """True if :func:`validate` accepts ``value``; never raises."""
    try:
        validate(value, checksum=checksum)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True
