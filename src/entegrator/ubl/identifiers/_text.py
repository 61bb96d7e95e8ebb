"""Shared helpers of the identifier modules: type checks, separators, ASCII digits.

Private to :mod:`entegrator.ubl.identifiers`; every public module builds on these so that
junk (``None``, bytes, ints, non-ASCII digits) is refused the same way everywhere.
"""

from __future__ import annotations

from entegrator.errors import InvalidIdentifier

__all__ = ["is_ascii_digits", "require_text", "shown", "strip_separators"]

#: Longest value echoed back in an error message; longer input is cut with an ellipsis.
_SHOWN_MAX = 40


def require_text(value: object, label: str) -> str:
    """Return ``value`` if it is a ``str``; raise :class:`InvalidIdentifier` otherwise.

    Numbers are refused on purpose: an ``int`` has lost its leading zeros already.
    """
    if not isinstance(value, str):
        raise InvalidIdentifier(f"{label} metin olarak verilmeli ({type(value).__name__} verildi)")
    return value


def strip_separators(value: str) -> str:
    """Drop all whitespace (also NBSP, tabs) and the separators ``-`` and ``.``."""
    return "".join(value.split()).replace("-", "").replace(".", "")


def is_ascii_digits(value: str) -> bool:
    """True when ``value`` is non-empty and made of 0-9 only (``"٣".isdigit()`` is True!)."""
    return value.isascii() and value.isdigit()


def shown(value: str) -> str:
    """``repr`` of ``value`` for an error message, shortened when long."""
    if len(value) > _SHOWN_MAX:
        value = value[: _SHOWN_MAX - 1] + "…"
    return repr(value)
