"""Turkish-aware folding of names for search: ``İSTANBUL``, ``istanbul`` and ``Istanbul`` meet.

Python's ``str.lower`` gets Turkish wrong (``"İ".lower()`` is ``i`` + a combining dot, and
``"I".lower()`` is ``i`` instead of ``ı``). Searches by title should also find ``Şirket`` when
the user types ``sirket``, so :func:`fold` maps the dotted and dotless i alike to ``i``, lowers
the rest, strips accents (ş→s, ğ→g, ü→u, ö→o, ç→c, â→a) and collapses whitespace. The folded
form is what ``gib_users.title_search`` stores and what search terms are compared with.

>>> fold("KARADENİZ GIDA Ltd. Şti.")
'karadeniz gida ltd. sti.'
>>> fold("ılık İçecek") == fold("ILIK icecek")
True
"""

from __future__ import annotations

import unicodedata
from typing import Final

__all__ = ["fold"]

_I_FORMS: Final = str.maketrans({"İ": "i", "I": "i", "ı": "i"})


def fold(text: str) -> str:
    """The search form of ``text`` (see the module docstring)."""
    lowered = text.translate(_I_FORMS).lower()
    decomposed = unicodedata.normalize("NFKD", lowered)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())
