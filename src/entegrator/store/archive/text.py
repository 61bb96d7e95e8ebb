"""Search keys for names: Turkish-aware case folding and ASCII folding.

Titles are searched by word prefix ("ankara" finds "ANKARA ÇİMENTO A.Ş."). Both the
stored key and the query go through :func:`title_key`, so ``İ/i``, ``I/ı`` and the Turkish
letters match whichever way they were typed.

>>> title_key("İSTANBUL Işık Çözüm A.Ş.")
'istanbul isik cozum a s'
>>> title_terms("  Çözüm  a.ş ")
['cozum', 'a', 's']
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["title_key", "title_terms"]

_TURKISH_UPPER = str.maketrans({"I": "ı", "İ": "i"})
_ASCII = str.maketrans({"ı": "i", "ğ": "g", "ü": "u", "ş": "s", "ö": "o", "ç": "c"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def title_key(name: str | None) -> str | None:
    """The folded form of ``name`` stored for search (None stays None)."""
    if name is None:
        return None
    folded = name.translate(_TURKISH_UPPER).lower().translate(_ASCII)
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", plain).split()) or None


def title_terms(query: str) -> list[str]:
    """The folded words of a search query."""
    key = title_key(query)
    return key.split() if key else []
