"""The archive's vocabulary: document kinds, directions, searchable facts, references.

An archived document is identified by its content (SHA-256 of the exact bytes) and by the
entry that records it for one taxpayer (:class:`ArchiveRef`). :class:`ArchiveMeta` carries the
facts the archive indexes for search — GİB's Saklama Kılavuzu §3 asks for an index by
person/company, VKN/TCKN, year and invoice number. Every fact is optional: envelopes and
system responses have few of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

__all__ = [
    "ArchiveEntry",
    "ArchiveKind",
    "ArchiveMeta",
    "ArchiveRef",
    "Direction",
    "is_sha256",
]

Direction = Literal["OUT", "IN"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_sha256(value: object) -> bool:
    """Whether ``value`` is a lower-case hex SHA-256 digest.

    >>> is_sha256("0" * 64), is_sha256("0" * 63), is_sha256(None)
    (True, False, False)
    """
    return isinstance(value, str) and _SHA256.match(value) is not None


class ArchiveKind(StrEnum):
    """What an archived document is."""

    INVOICE = "invoice"
    APPLICATION_RESPONSE = "application_response"  # KABUL/RED (ticari fatura yanıtı)
    SYSTEM_RESPONSE = "system_response"  # S_APR system response document
    ENVELOPE = "envelope"  # a zarf (zip or XML) as it crossed the wire


@dataclass(frozen=True, slots=True)
class ArchiveRef:
    """Where an archived document is: its content hash and its archive entry id."""

    sha256: str
    id: int


@dataclass(frozen=True, slots=True)
class ArchiveMeta:
    """Searchable facts of one archived document; every one is optional.

    ``counterpart_*`` is the other party: the customer of an OUT invoice, the supplier of an
    IN one. ``issue_date`` is the document's own date (IssueDate, an envelope's creation
    date); when absent the archive indexes the day it was archived. ``status`` is the one
    mutable fact (the document's state as core sees it), changed with ``Archive.update``.
    """

    ettn: str | None = None
    number: str | None = None
    envelope_uuid: str | None = None
    issue_date: date | None = None
    received_at: datetime | None = None
    counterpart_vkn_tckn: str | None = None
    counterpart_name: str | None = None
    profile: str | None = None
    invoice_type: str | None = None
    status: str | None = None
    payable_amount: Decimal | None = None
    currency: str | None = None

    def given(self) -> dict[str, Any]:
        """The facts that are set (not None), by field name."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        return {name: value for name, value in values.items() if value is not None}


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """One archive entry as read back: what was stored, for whom, and its index facts."""

    ref: ArchiveRef
    tenant_id: int | None
    kind: ArchiveKind
    direction: Direction
    size: int
    archived_at: datetime
    retain_until: date
    meta: ArchiveMeta
    purged_at: datetime | None = None
