"""ETTN (Evrensel Tekil Tanımlama Numarası) — a document's UUID, ``cbc:UUID``.

Every invoice and application response carries a GUID chosen by its issuer; GİB detects
duplicate invoices by it (status 1163). Envelope IDs (``sh:InstanceIdentifier``) follow the
same pattern. GİB's ``UUIDCheck`` accepts the 8-4-4-4-12 hexadecimal form in either letter
case; the case is kept as written because the ETTN is part of the signed document
(compare ETTNs case-insensitively). Source: gib-protocol.md §2.2, §4.6.

>>> validate(' 2d07cab5-bf97-4af5-96f8-ab45671a5e2e ')
'2d07cab5-bf97-4af5-96f8-ab45671a5e2e'
>>> is_valid('5C2365EA-077B-4835-B19F-4B9CAF1256A2')
True
>>> is_valid('2d07cab5bf974af596f8ab45671a5e2e')
False
>>> is_valid(new())
True
"""

from __future__ import annotations

import re
import uuid
from typing import Final

from entegrator.errors import InvalidIdentifier
from entegrator.ubl.identifiers import _text

__all__ = ["LENGTH", "compact", "is_valid", "new", "validate"]

LENGTH: Final = 36
_PATTERN: Final = re.compile(
    r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
)


def compact(value: str) -> str:
    """Strip surrounding whitespace (GİB's ``normalize-space``); no other change."""
    return _text.require_text(value, "ETTN").strip()


def validate(value: str) -> str:
    """Return the ETTN without surrounding whitespace or raise
    :class:`~entegrator.errors.InvalidIdentifier`."""
    number = compact(value)
    if not number:
        raise InvalidIdentifier("ETTN boş olamaz")
    if not _PATTERN.fullmatch(number):
        raise InvalidIdentifier(
            "ETTN 8-4-4-4-12 biçiminde onaltılık bir UUID olmalı "
            f"(örn. 2d07cab5-bf97-4af5-96f8-ab45671a5e2e): {_text.shown(number)}"
        )
    return number


def is_valid(value: object) -> bool:
    """True if :func:`validate` accepts ``value``; never raises."""
    try:
        validate(value)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True


def new() -> str:
    """Return a fresh random ETTN (UUID version 4, lower case)."""
    return str(uuid.uuid4())
