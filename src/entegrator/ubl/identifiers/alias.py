"""Etiket (alias) — the URN address of a GİB mailbox: a sender unit (GB) or a postbox (PK).

Envelopes are addressed from a GB alias to a PK alias, e.g. ``urn:mail:defaultpk@firma.com.tr``;
each (VKN/TCKN, alias) pair is registered with GİB and listed in the user list. GİB's
``UserAccountCheck`` (used when an integrator opens an alias for a customer) requires URN
syntax ``^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:([A-Za-z0-9()+,-.:=@;$_!*]|%[0-9A-Fa-f]{2})+$``,
at most 250 characters and no name from GİB's ``ReservedAliases`` list (gib-protocol.md §2.4,
§5.3). Merkez's own envelope names (``GIB``, ``usergb`` …) are reserved words, not aliases:
the envelope layer handles them; :func:`validate` refuses them.

ERPs often send a receiver alias without its ``urn:mail:`` prefix (integrator-api.md §3.5);
:func:`normalize` adds it explicitly, :func:`validate` never does.

>>> validate(' urn:mail:defaultpk@firma.com.tr ')
'urn:mail:defaultpk@firma.com.tr'
>>> normalize('defaultpk@firma.com.tr')
'urn:mail:defaultpk@firma.com.tr'
>>> is_valid('defaultpk@firma.com.tr'), is_valid('urn:mail:şube@firma.com.tr')
(False, False)
>>> is_reserved('usergb'), is_reserved('urn:mail:defaultgb@gib.gov.tr')
(True, False)
"""

from __future__ import annotations

import re
from typing import Final

from entegrator.errors import InvalidIdentifier
from entegrator.ubl import codelists
from entegrator.ubl.identifiers import _text

__all__ = [
    "MAIL_PREFIX",
    "MAX_LENGTH",
    "compact",
    "is_reserved",
    "is_valid",
    "normalize",
    "validate",
]

MAX_LENGTH: Final = 250
MAIL_PREFIX: Final = "urn:mail:"
# GİB's pattern; its class ``,-.`` is the range U+002C..U+002E, i.e. the three characters
# ``,`` ``-`` ``.``, spelled out here.
_PATTERN: Final = re.compile(
    r"urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:(?:[A-Za-z0-9()+,\-.:=@;$_!*]|%[0-9A-Fa-f]{2})+"
)


def compact(value: str) -> str:
    """Strip surrounding whitespace (GİB's ``normalize-space``); no other change."""
    return _text.require_text(value, "Etiket").strip()


def is_reserved(value: object) -> bool:
    """True if ``value`` is one of GİB's reserved names (``ReservedAliases`` code list)."""
    if not isinstance(value, str):
        return False
    return value.strip() in codelists.values("ReservedAliases")


def validate(value: str) -> str:
    """Return the alias without surrounding whitespace or raise
    :class:`~entegrator.errors.InvalidIdentifier`."""
    label = compact(value)
    if not label:
        raise InvalidIdentifier("Etiket boş olamaz")
    if len(label) > MAX_LENGTH:
        raise InvalidIdentifier(
            f"Etiket en çok {MAX_LENGTH} karakter olabilir, {len(label)} karakter verildi"
        )
    if is_reserved(label):
        raise InvalidIdentifier(f"{label!r} GİB'in ayırdığı bir ad; etiket olarak kullanılamaz")
    if not _PATTERN.fullmatch(label):
        raise InvalidIdentifier(
            "Etiket urn biçiminde olmalı (örn. urn:mail:defaultpk@firma.com.tr); Türkçe harf ve "
            f"boşluk kullanılamaz: {_text.shown(label)}"
        )
    return label


def is_valid(value: object) -> bool:
    """True if :func:`validate` accepts ``value``; never raises."""
    try:
        validate(value)  # type: ignore[arg-type]
    except InvalidIdentifier:
        return False
    return True


def normalize(value: str) -> str:
    """Add the ``urn:mail:`` prefix when ``value`` has no URN scheme, then :func:`validate`.

    For aliases that ERPs send without the prefix. A value that already starts with
    ``urn:`` (in any letter case) is only validated, never prefixed twice.
    """
    label = compact(value)
    if label and not label.lower().startswith("urn:"):
        label = MAIL_PREFIX + label
    return validate(label)
