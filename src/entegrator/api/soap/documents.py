"""Finding the caller's documents from what a request names, for both families.

Requests name an invoice by the ``UUID`` (ETTN) or ``ID`` (number) attribute of an
``INVOICE`` element — some clients put them in child elements instead. Every look-up goes
through :mod:`entegrator.core.documents` with the caller, so another taxpayer's document is
"not found" exactly like one that does not exist. The search key of GetInvoice-like
operations becomes a :class:`~entegrator.core.documents.DocumentFilter` here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from lxml import etree
from sqlalchemy import func

from entegrator.api.soap import xmlread
from entegrator.api.soap.call import Call
from entegrator.api.soap.errors import BadRequest
from entegrator.api.soap.xmlwrite import TURKEY
from entegrator.core import documents
from entegrator.core.documents import DocumentFilter, DocumentView
from entegrator.core.permissions import Permission
from entegrator.core.states import Direction, DocumentState
from entegrator.store.domain import documents as documents_table
from entegrator.ubl.identifiers import alias as alias_id

__all__ = [
    "Search",
    "counts_by_channel",
    "direction_of",
    "find",
    "list_views",
    "mark_invoices",
    "reference_of",
    "search",
]

#: States of an outgoing invoice that is not a draft any more (or never was).
_NOT_DRAFT: Final = frozenset(DocumentState) - {DocumentState.DRAFT, DocumentState.CANCELLED}


def reference_of(element: etree._Element) -> tuple[str | None, str | None]:
    """``(ettn, number)`` named by an INVOICE element (attributes first, then children)."""
    ettn = xmlread.attribute(element, "UUID") or xmlread.text(element, "UUID")
    number = xmlread.attribute(element, "ID") or xmlread.text(element, "ID")
    return (ettn.lower() if ettn else None), number


def find(call: Call, element: etree._Element, *,
         direction: Direction | None = None) -> DocumentView:
    """The caller's document an INVOICE element names; NotFound otherwise."""
    ettn, number = reference_of(element)
    if ettn is None and number is None:
        raise BadRequest("INVOICE için UUID ya da ID verilmeli")
    if ettn is not None:
        call.subject = ettn
        return documents.find_document(call.integrator, call.caller, ettn=ettn,
                                       direction=direction)
    call.subject = number
    return documents.find_document(call.integrator, call.caller, number=number,
                                   direction=direction)


def direction_of(value: str | None, *, default: Direction = Direction.IN) -> Direction:
    """``IN``/``OUT`` (also EDM's ``OUT-EINVOICE``, Turkish ``Gelen``/``Giden``)."""
    if value is None:
        return default
    key = value.strip().upper()
    if key in ("IN", "GELEN", "INCOMING"):
        return Direction.IN
    if key in ("OUT", "OUT-EINVOICE", "GIDEN", "GİDEN", "OUTGOING"):
        return Direction.OUT
    raise BadRequest(f"DIRECTION IN ya da OUT olmalı: {value!r}")


@dataclass(frozen=True, slots=True)
class Search:
    """A GetInvoice search key, read leniently.

    ``created_after``/``created_before``: EDM's CR_START_DATE/CR_END_DATE to the second (core
    filters by day; the rest is filtered here); ``offset``: EDM's OFFSET.
    """

    filters: DocumentFilter
    limit: int
    offset: int = 0
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None


def search(call: Call, key: etree._Element | None, *, default_limit: int,
           max_limit: int) -> Search:
    """Turn an ``INVOICE_SEARCH_KEY`` (İzibiz's or EDM's) into a filter and a page size."""
    if key is None:
        raise BadRequest("INVOICE_SEARCH_KEY zorunludur")
    direction = direction_of(xmlread.text(key, "DIRECTION"))
    limit = xmlread.integer(key, "LIMIT") or default_limit
    offset = xmlread.integer(key, "OFFSET") or 0
    if limit < 1 or offset < 0:
        raise BadRequest(f"LIMIT en az 1, OFFSET en az 0 olmalı: {limit}, {offset}")
    read_included = xmlread.flag(key, "READ_INCLUDED")
    drafts = xmlread.flag(key, "DRAFT_FLAG")
    date_type = (xmlread.text(key, "DATE_TYPE") or "ISSUE").upper()
    start, end = xmlread.date(key, "START_DATE"), xmlread.date(key, "END_DATE")
    after = xmlread.timestamp(key, "CR_START_DATE", default_zone=TURKEY)
    before = xmlread.timestamp(key, "CR_END_DATE", default_zone=TURKEY)
    if after is not None or before is not None:
        date_type = "CREATE"
        start = after.astimezone(dt.UTC).date() if after is not None else None
        end = before.astimezone(dt.UTC).date() if before is not None else None
    own = call.taxpayer.vkn_tckn
    counterpart = None
    for field_name in ("SENDER", "RECEIVER"):
        value = xmlread.text(key, field_name)
        if value is not None and value != own:
            counterpart = value
    sender_alias, receiver_alias = xmlread.text(key, "FROM"), xmlread.text(key, "TO")
    return Search(DocumentFilter(
        direction=direction,
        states=_states(xmlread.text(key, "CONNECTORSTATUSDESCRIPTION"), direction, drafts),
        date_from=start, date_to=end,
        date_type="created" if date_type.startswith("CREATE") else "issue",
        counterpart=counterpart,
        number=xmlread.text(key, "ID"),
        ettn=(xmlread.text(key, "UUID") or "").lower() or None,
        sender_alias=alias_id.normalize(sender_alias) if sender_alias else None,
        receiver_alias=alias_id.normalize(receiver_alias) if receiver_alias else None,
        unread=None if read_included else True,
    ), min(limit, max_limit), offset, after, before)


def _states(status: str | None, direction: Direction,
            drafts: bool | None) -> frozenset[DocumentState] | None:
    if status is not None:
        wanted = " ".join(status.upper().split())
        chosen = frozenset(s for s in DocumentState if s.status == wanted)
        if not chosen:
            raise BadRequest(f"Bilinmeyen durum: {status!r}")
        return chosen
    return None if direction is Direction.IN or drafts else _NOT_DRAFT


def list_views(call: Call, found: Search) -> list[DocumentView]:
    """The matching documents, oldest first (polling clients mark them and ask again)."""
    exact = found.created_after is not None or found.created_before is not None
    if not exact and found.offset == 0:
        page = documents.list_documents(call.integrator, call.caller, found.filters,
                                        limit=found.limit, order="asc")
        return list(page.items)
    views: list[DocumentView] = []
    skip, cursor = found.offset, None
    while len(views) < found.limit:
        page = documents.list_documents(call.integrator, call.caller, found.filters,
                                        limit=min(max(found.limit, 100), documents.MAX_PAGE),
                                        cursor=cursor, order="asc")
        for view in page.items:
            if not _created_within(view, found):
                continue
            if skip:
                skip -= 1
                continue
            views.append(view)
            if len(views) == found.limit:
                break
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    return views


def _created_within(view: DocumentView, found: Search) -> bool:
    if found.created_after is not None and view.created_at < found.created_after:
        return False
    return found.created_before is None or view.created_at <= found.created_before


def counts_by_channel(call: Call, direction: Direction, *, issue_from: dt.date | None = None,
                      issue_to: dt.date | None = None, created_from: dt.date | None = None,
                      created_to: dt.date | None = None) -> dict[str, int]:
    """How many of the caller's documents came in through each channel (GetInvoiceCount).

    core.documents counts by state only; this one grouped count is the face's own query
    (tenant-scoped like every other).
    """
    call.caller.require(Permission.READ)
    d = documents_table.c
    conditions = [d.direction == direction.value]
    if issue_from is not None:
        conditions.append(d.issue_date >= issue_from)
    if issue_to is not None:
        conditions.append(d.issue_date <= issue_to)
    if created_from is not None:
        conditions.append(d.created_at >= _midnight(created_from))
    if created_to is not None:
        conditions.append(d.created_at < _midnight(created_to + dt.timedelta(days=1)))
    with call.integrator.db.transaction(read_only=True) as conn:
        scope = call.caller.scope(conn)
        rows = scope.execute(scope.select(documents_table, d.channel, func.count())
                             .where(*conditions).group_by(d.channel)).all()
    return {str(row[0]): int(row[1]) for row in rows}


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def mark_invoices(call: Call) -> list[etree._Element]:
    """MarkInvoice (both families): READ/UNREAD on the invoices named by ID or UUID, all or
    none (integrator-api.md §4.9); ``REQUEST_RETURN``."""
    mark = xmlread.child(call.request, "MARK")
    if mark is None:
        raise BadRequest("MARK zorunludur")
    value = (xmlread.attribute(mark, "value") or "READ").upper()
    if value not in ("READ", "UNREAD", "TRUE", "FALSE"):
        raise BadRequest(f"MARK/@value READ ya da UNREAD olmalı: {value!r}")
    targets = xmlread.children(mark, "INVOICE")
    if not targets:
        raise BadRequest("MARK en az bir INVOICE içermeli")
    ids = [find(call, target).id for target in targets]
    documents.mark(call.integrator, call.caller, ids, read=value in ("READ", "TRUE"))
    return [call.request_return()]
