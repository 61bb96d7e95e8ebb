"""The payable amount in Turkish words ("Yalnız: …" line of a printed invoice).

VUK 509 lists the amount in words among what a printed invoice shows by custom; GİB's own
view writes it under the totals. num2words (``lang="tr"``) spells the numbers, but glues the
words together (``"binikiyüzotuzdört"``); this module splits them again and capitalises them
the Turkish way. The invoice stylesheet (``ubl/xslt/invoice.xslt``) holds a copy of the same
rules and the same currency table so that foreign viewers show the same text; a test keeps the
two in step.

>>> amount_in_words(Decimal("1234.50"), "TRY")
'Bin İki Yüz Otuz Dört Türk Lirası Elli Kuruş'
>>> amount_in_words(Decimal("101000"), "USD")
'Yüz Bir Bin ABD Doları'
>>> amount_in_words(Decimal("7.05"), "XAU")
'Yedi XAU 05/100'
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Final

from num2words import num2words

from entegrator.render.errors import RenderError
from entegrator.ubl.amounts import HUNDRED, round_money

__all__ = ["CURRENCY_NAMES", "MAX_AMOUNT", "amount_in_words"]

#: ISO 4217 code → (name, name of the hundredth). Keep in step with ``$C`` in invoice.xslt.
CURRENCY_NAMES: Final[dict[str, tuple[str, str]]] = {
    "TRY": ("Türk Lirası", "Kuruş"),
    "TRL": ("Türk Lirası", "Kuruş"),
    "USD": ("ABD Doları", "Sent"),
    "EUR": ("Avro", "Sent"),
    "GBP": ("İngiliz Sterlini", "Peni"),
    "CHF": ("İsviçre Frangı", "Santim"),
    "RUB": ("Rus Rublesi", "Kopek"),
    "CAD": ("Kanada Doları", "Sent"),
    "AUD": ("Avustralya Doları", "Sent"),
}

#: Amounts from here on (one katrilyon) are not spelled out.
MAX_AMOUNT: Final = Decimal(10) ** 15

# Every word num2words uses for 0…999, in the spelling the invoice shows.
_WORDS: Final[dict[str, str]] = {
    word: word[0].replace("i", "İ").upper() + word[1:]
    for word in (
        *("sıfır", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"),
        *("on", "yirmi", "otuz", "kırk", "elli", "altmış", "yetmiş", "seksen", "doksan", "yüz"),
    )
}
# Longest first, so that "altmış" wins over "altı" when both match.
_BY_LENGTH: Final = sorted(_WORDS, key=len, reverse=True)
_SCALES: Final = ("", "Bin", "Milyon", "Milyar", "Trilyon")


def _split(number: int) -> list[str]:
    """num2words' glued spelling of 0…999 cut into words: 234 → ['İki', 'Yüz', 'Otuz', 'Dört']."""
    glued = num2words(number, lang="tr")
    words: list[str] = []
    position = 0
    while position < len(glued):
        word = next((w for w in _BY_LENGTH if glued.startswith(w, position)), None)
        if word is None:
            raise RenderError(f"Tutar yazıya çevrilemedi: {number} ({glued!r})")
        words.append(_WORDS[word])
        position += len(word)
    return words


def _spell(number: int) -> list[str]:
    """Words of a whole number in [0, MAX_AMOUNT), e.g. 1234 → ['Bin', 'İki', 'Yüz', …].

    num2words spells each group of three digits; the scale words are added here, because its
    own spelling of numbers past a trilyon drops "bir" in places (1001001001001 comes out as
    "birtrilyonmilyarmilyonbinbir").
    """
    if number == 0:
        return _split(0)
    groups: list[int] = []
    while number:
        number, group = divmod(number, 1000)
        groups.append(group)
    words: list[str] = []
    for scale in reversed(range(len(groups))):
        group = groups[scale]
        if group and not (group == 1 and scale == 1):  # "bin", never "bir bin"
            words += _split(group)
        if group and scale:
            words.append(_SCALES[scale])
    return words


def amount_in_words(amount: Decimal, currency: str = "TRY") -> str:
    """Spell ``amount`` (rounded to kuruş) in Turkish with the currency's name.

    Known currencies (:data:`CURRENCY_NAMES`) name their hundredths ("Elli Kuruş"); others get
    the code and the hundredths as a fraction ("Yedi XAU 05/100"). Negative amounts and
    amounts from :data:`MAX_AMOUNT` on raise :class:`RenderError`.
    """
    try:
        rounded = round_money(Decimal(amount))
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise RenderError(f"Tutar yazıya çevrilemedi: {amount!r}") from exc
    if not rounded.is_finite() or rounded < 0 or rounded >= MAX_AMOUNT:
        raise RenderError(f"Tutar yazıya çevrilemez (0 ile 10^15 arasında olmalı): {amount}")
    whole = int(rounded)
    hundredths = int((rounded - whole) * HUNDRED)
    code = currency.strip().upper()
    names = CURRENCY_NAMES.get(code)
    parts = [*_spell(whole), names[0] if names else code]
    if hundredths:
        parts += [*_spell(hundredths), names[1]] if names else [f"{hundredths:02d}/100"]
    return " ".join(parts)
