"""What the client returns: small typed views of the API's JSON (the full JSON is kept in
``raw`` for fields not named here)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Document", "GibUser", "HistoryStep", "Page", "ResponseSent", "Submitted"]


@dataclass(frozen=True, slots=True)
class Submitted:
    """A sent invoice or saved draft: its id, ETTN, number (once known) and state."""

    id: int
    ettn: str
    number: str | None
    state: str
    status: str
    replayed: bool = False

    @classmethod
    def of(cls, data: dict[str, Any]) -> Submitted:
        """From the API's JSON."""
        return cls(int(data["id"]), str(data["ettn"]), data.get("number"), str(data["state"]),
                   str(data["status"]), bool(data.get("replayed", False)))


@dataclass(frozen=True, slots=True)
class Document:
    """One invoice's facts and status (``raw`` holds every field the API sent)."""

    id: int
    direction: str
    ettn: str
    number: str | None
    profile: str
    issue_date: str
    counterpart_vkn_tckn: str
    counterpart_name: str | None
    payable_amount: str
    currency: str
    state: str
    status: str
    gib_status_code: int | None
    response_code: str | None
    is_read: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def of(cls, data: dict[str, Any]) -> Document:
        """From the API's JSON."""
        return cls(
            id=int(data["id"]), direction=data["direction"], ettn=data["ettn"],
            number=data.get("number"), profile=data["profile"], issue_date=data["issue_date"],
            counterpart_vkn_tckn=data["counterpart_vkn_tckn"],
            counterpart_name=data.get("counterpart_name"),
            payable_amount=str(data["payable_amount"]), currency=data["currency"],
            state=data["state"], status=data["status"],
            gib_status_code=data.get("gib_status_code"), response_code=data.get("response_code"),
            is_read=bool(data["is_read"]), raw=data,
        )


@dataclass(frozen=True, slots=True)
class Page:
    """A page of documents and the cursor of the next page (None on the last)."""

    items: tuple[Document, ...]
    next_cursor: str | None

    def __iter__(self) -> Iterator[Document]:
        return iter(self.items)


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """One step of a document's status history."""

    at: str
    state: str
    status: str
    gib_status_code: int | None
    message: str | None


@dataclass(frozen=True, slots=True)
class ResponseSent:
    """The KABUL/RED sent for an invoice."""

    document_id: int
    response_uuid: str
    state: str


@dataclass(frozen=True, slots=True)
class GibUser:
    """A registered e-Fatura user and its open aliases."""

    identifier: str
    title: str
    pk_aliases: tuple[str, ...]
    gb_aliases: tuple[str, ...]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def of(cls, data: dict[str, Any]) -> GibUser:
        """From the API's JSON."""
        active = [a for a in data.get("aliases", ()) if a.get("active")]
        return cls(data["identifier"], data["title"],
                   tuple(a["alias"] for a in active if a["role"] == "PK"),
                   tuple(a["alias"] for a in active if a["role"] == "GB"), data)
