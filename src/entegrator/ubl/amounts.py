"""Money arithmetic as GİB computes it: ``Decimal`` only, rounded half-up to kuruş.

Both the totals calculator (:mod:`entegrator.ubl.totals`) and the arithmetic checks of
:mod:`entegrator.validation` use these primitives, so the two can never disagree on rounding.

>>> round_money(Decimal("2.345"))
Decimal('2.35')
>>> round_money(Decimal("-2.345"))
Decimal('-2.35')
>>> amounts_agree(Decimal("10.00"), Decimal("10.01"))
True
>>> amounts_agree(Decimal("10.00"), Decimal("10.02"))
False
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

__all__ = ["HUNDRED", "KURUS", "TOLERANCE", "ZERO", "amounts_agree", "round_money"]

KURUS: Final = Decimal("0.01")
ZERO: Final = Decimal(0)
HUNDRED: Final = Decimal(100)
#: Largest difference between a stated and a computed amount that GİB's arithmetic
#: tolerates (one kuruş: rounding per line versus rounding of the sum).
TOLERANCE: Final = Decimal("0.01")


def round_money(value: Decimal) -> Decimal:
    """Round to two decimals, halves away from zero (GİB's and VUK's rule)."""
    return value.quantize(KURUS, rounding=ROUND_HALF_UP)


def amounts_agree(stated: Decimal, computed: Decimal, tolerance: Decimal = TOLERANCE) -> bool:
    """Whether a stated amount matches the computed one within ``tolerance``."""
    return abs(stated - round_money(computed)) <= tolerance
