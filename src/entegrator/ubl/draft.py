"""Placeholders for a draft invoice that has no number or ETTN yet.

The core assigns the invoice number and the ETTN when it accepts an invoice, after the
document may already have been built once for validation or preview. A draft therefore gets
values that pass GİB's format checks but cannot be real: sequence number 0 (real series
start at 1) and the nil UUID. The parser turns both back into "absent"
(docs/decisions/ubl-model.md).

>>> draft_number(2025)
'TSL2025000000000'
>>> is_draft_number('TSL2025000000000'), is_draft_number('TSL2025000000001')
(True, False)
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["DRAFT_ETTN", "DRAFT_SERIES", "draft_number", "is_draft_ettn", "is_draft_number"]

#: Series code of draft numbers.
DRAFT_SERIES: Final = "TSL"
#: ETTN of a draft: the nil UUID.
DRAFT_ETTN: Final = "00000000-0000-0000-0000-000000000000"
_DRAFT_NUMBER: Final = re.compile(r"[A-Z0-9]{3}20[0-9]{2}0{9}")


def draft_number(year: int) -> str:
    """The placeholder invoice number of a draft issued in ``year``."""
    return f"{DRAFT_SERIES}{year:04d}{0:09d}"


def is_draft_number(value: str | None) -> bool:
    """True for a placeholder number (any series, sequence 0)."""
    return value is not None and _DRAFT_NUMBER.fullmatch(value) is not None


def is_draft_ettn(value: str | None) -> bool:
    """True for the placeholder ETTN."""
    return value is not None and value == DRAFT_ETTN
