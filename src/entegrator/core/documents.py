"""One taxpayer's documents as every face needs them: find, list, read, render, mark, count.

Every function takes ``(integrator, caller, …)``, checks the caller's role and works inside
the caller's :class:`~entegrator.store.tenancy.TenantScope`: another taxpayer's document is
:class:`~entegrator.errors.NotFound`, exactly like a document that does not exist.

* :func:`get_document` / :func:`find_document` — one document's facts and its status in
  every vocabulary the faces speak: the state, İzibiz/EDM's ``STATUS`` literal and code
  (integrator-api.md §5.1), GİB's last envelope code (§5.2), the KABUL/RED answer (§5.3)
  and whether it counts as accepted by law (TTK 21/2, :func:`~entegrator.core.responses.
  deemed_accepted`).
* :func:`list_documents` — filters (direction, states, dates by issue or arrival, counterpart,
  number, ETTN, scenario, type, aliases, unread) and keyset pagination with an opaque cursor
  over ``(created_at, id)``; one query per page, served by ``ix_documents_listing``.
* :func:`history` — the status history; :func:`document_xml` / :func:`document_html` /
  :func:`document_pdf` — the archived document (drafts: their current content) and its
  rendering by :mod:`entegrator.render`.
* :func:`mark` — the read flag behind İzibiz's ``READ_INCLUDED=false`` polling (MarkInvoice,
  §4.9); :func:`counts` — totals by state and unread.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

from sqlalchemy import Select, and_, case, func, or_

from entegrator.core.context import Caller
from entegrator.core.permissions import Permission
from entegrator.core.responses import deemed_accepted
from entegrator.core.states import Direction, DocumentState
from entegrator.errors import DocumentError, NotFound
from entegrator.render import StylesheetChoice, render_html, render_pdf
from entegrator.store import audit
from entegrator.store.domain import document_contents, document_events, documents
from entegrator.ubl import build_invoice, load_invoice
from entegrator.ubl.identifiers import invoice_id

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = [
    "MAX_PAGE",
    "Counts",
    "DocumentFilter",
    "DocumentView",
    "HistoryEntry",
    "Page",
    "counts",
    "document_html",
    "document_pdf",
    "document_xml",
    "find_document",
    "get_document",
    "history",
    "list_documents",
    "mark",
]

#: Largest page :func:`list_documents` returns (İzibiz: 25 000 header-only rows per call).
MAX_PAGE: Final = 25_000
_d = documents.c
_VIEW_COLUMNS: Final = (
    _d.id, _d.direction, _d.ettn, _d.number, _d.profile, _d.invoice_type, _d.issue_date,
    _d.currency, _d.payable_amount, _d.counterpart_vkn_tckn, _d.counterpart_name,
    _d.sender_alias, _d.receiver_alias, _d.state, _d.state_changed_at, _d.gib_status_code,
    _d.gib_status_description, _d.envelope_uuid, _d.response_code, _d.response_description,
    _d.response_at, _d.response_deadline, _d.is_read, _d.read_at, _d.client_reference,
    _d.channel, _d.created_at, _d.updated_at, _d.sent_at, _d.received_at,
)


@dataclass(frozen=True, slots=True)
class DocumentView:
    """One document's facts and status (see the module docstring)."""

    id: int
    direction: Direction
    ettn: str
    number: str | None
    profile: str
    invoice_type: str
    issue_date: dt.date
    currency: str
    payable_amount: Decimal
    counterpart_vkn_tckn: str
    counterpart_name: str | None
    sender_alias: str | None
    receiver_alias: str | None
    state: DocumentState
    state_changed_at: dt.datetime
    gib_status_code: int | None
    gib_status_description: str | None
    envelope_uuid: str | None
    response_code: str | None
    response_description: str | None
    response_at: dt.datetime | None
    response_deadline: dt.datetime | None
    is_read: bool
    read_at: dt.datetime | None
    client_reference: str | None
    channel: str
    created_at: dt.datetime
    updated_at: dt.datetime
    sent_at: dt.datetime | None
    received_at: dt.datetime | None
    deemed_accepted: bool

    @property
    def status(self) -> str:
        """İzibiz/EDM's ``STATUS`` literal, e.g. ``RECEIVE - WAIT_APPLICATION_RESPONSE``."""
        return self.state.status

    @property
    def status_code(self) -> int:
        """İzibiz's numeric ``STATUS_CODE``."""
        return self.state.status_code


@dataclass(frozen=True, slots=True)
class DocumentFilter:
    """What :func:`list_documents` and :func:`counts` select; None means "any".

    ``date_type``: ``issue`` filters ``date_from``/``date_to`` (inclusive) on the issue
    date, ``created`` on the day the document reached the platform (UTC). ``unread``: True
    only unread documents (İzibiz ``READ_INCLUDED=false``), False only read ones.
    """

    direction: Direction | None = None
    states: frozenset[DocumentState] | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    date_type: Literal["issue", "created"] = "issue"
    counterpart: str | None = None
    number: str | None = None
    ettn: str | None = None
    profile: str | None = None
    invoice_type: str | None = None
    sender_alias: str | None = None
    receiver_alias: str | None = None
    unread: bool | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """One page of documents and the cursor of the next one (None: this was the last)."""

    items: tuple[DocumentView, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One step of a document's status history."""

    at: dt.datetime
    state: DocumentState
    gib_status_code: int | None
    envelope_uuid: str | None
    message: str | None

    @property
    def status(self) -> str:
        """The state's ``STATUS`` literal."""
        return self.state.status


@dataclass(frozen=True, slots=True)
class Counts:
    """How many documents match, by state, and how many of them are unread."""

    total: int
    unread: int
    by_state: dict[DocumentState, int]


# --- one document ---------------------------------------------------------------------------


def get_document(integrator: Integrator, caller: Caller, document_id: int) -> DocumentView:
    """The document ``document_id`` of the caller's taxpayer (NotFound otherwise)."""
    caller.require(Permission.READ)
    with integrator.db.transaction(read_only=True) as conn:
        scope = caller.scope(conn)
        row = scope.execute(scope.select(documents, *_VIEW_COLUMNS)
                            .where(_d.id == document_id)).first()
    if row is None:
        raise NotFound(f"Belge bulunamadı: {document_id}")
    return _view(row, integrator.clock.now())


def find_document(
    integrator: Integrator, caller: Caller, *, ettn: str | None = None,
    number: str | None = None, direction: Direction | None = None,
) -> DocumentView:
    """The document with this ETTN or number (İzibiz ``UUID``/``ID``); NotFound if none.

    Incoming numbers are unique per supplier only: when several match, the newest wins.
    """
    if (ettn is None) == (number is None):
        raise DocumentError("Belge için ETTN ya da fatura numarası verilmeli (ikisi değil)")
    filters = DocumentFilter(direction=direction, ettn=ettn, number=number)
    page = list_documents(integrator, caller, filters, limit=1)
    if not page.items:
        raise NotFound(f"Belge bulunamadı: {ettn or number}")
    return page.items[0]


def history(integrator: Integrator, caller: Caller, document_id: int) -> list[HistoryEntry]:
    """The document's status history, oldest first."""
    caller.require(Permission.READ)
    e = document_events.c
    with integrator.db.transaction(read_only=True) as conn:
        scope = caller.scope(conn)
        scope.get(documents, document_id)  # NotFound for another taxpayer's document
        rows = scope.execute(
            scope.select(document_events, e.at, e.state, e.gib_status_code, e.envelope_uuid,
                         e.message)
            .where(e.document_id == document_id).order_by(e.at, e.id)
        ).all()
    return [HistoryEntry(r.at, DocumentState(r.state), r.gib_status_code, r.envelope_uuid,
                         r.message) for r in rows]


def document_xml(integrator: Integrator, caller: Caller, document_id: int) -> bytes:
    """The document's UBL-TR XML: the archived (signed or received) bytes; for a document
    not signed yet, its current content (a draft shows placeholders for number/ETTN)."""
    caller.require(Permission.READ)
    with integrator.db.transaction(read_only=True) as conn:
        scope = caller.scope(conn)
        row = scope.get(documents, document_id)
        if row.archive_ref is not None:
            return integrator.archive.get(conn, row.archive_ref)
        c = document_contents.c
        content = scope.execute(scope.select(document_contents, c.kind, c.content)
                                .where(c.document_id == document_id)).first()
    if content is None:
        raise NotFound(f"Belgenin içeriği yok: {document_id}")
    if content.kind == "xml":
        return bytes(content.content)
    return build_invoice(load_invoice(bytes(content.content)), draft=True)


def document_html(integrator: Integrator, caller: Caller, document_id: int, *,
                  stylesheet: StylesheetChoice = "auto") -> bytes:
    """The document rendered to HTML (its own XSLT in the sandbox, or ours)."""
    return render_html(document_xml(integrator, caller, document_id), stylesheet=stylesheet)


def document_pdf(integrator: Integrator, caller: Caller, document_id: int, *,
                 stylesheet: StylesheetChoice = "auto") -> bytes:
    """The document rendered to PDF."""
    return render_pdf(document_xml(integrator, caller, document_id), stylesheet=stylesheet)


# --- many documents ----------------------------------------------------------------------


def list_documents(
    integrator: Integrator, caller: Caller, filters: DocumentFilter | None = None, *,
    limit: int = 100, cursor: str | None = None, order: Literal["asc", "desc"] = "desc",
) -> Page:
    """A page of the caller's documents, newest first (``order="asc"``: oldest first)."""
    caller.require(Permission.READ)
    if not 1 <= limit <= MAX_PAGE:
        raise DocumentError(f"Sayfa boyu 1 ile {MAX_PAGE} arasında olmalı: {limit}")
    filters = filters or DocumentFilter()
    with integrator.db.transaction(read_only=True) as conn:
        scope = caller.scope(conn)
        stmt = _where(scope.select(documents, *_VIEW_COLUMNS), filters)
        if cursor is not None:
            stmt = stmt.where(_after(_decode(cursor), order))
        keys = (_d.created_at, _d.id)
        stmt = stmt.order_by(*(k.desc() if order == "desc" else k.asc() for k in keys))
        rows = scope.execute(stmt.limit(limit + 1)).all()
    now = integrator.clock.now()
    items = tuple(_view(row, now) for row in rows[:limit])
    more = len(rows) > limit
    return Page(items, _encode(items[-1]) if more and items else None)


def counts(integrator: Integrator, caller: Caller,
           filters: DocumentFilter | None = None) -> Counts:
    """How many of the caller's documents match ``filters``, by state (one query)."""
    caller.require(Permission.READ)
    filters = filters or DocumentFilter()
    with integrator.db.transaction(read_only=True) as conn:
        scope = caller.scope(conn)
        unread = func.sum(case((_d.is_read.is_(False), 1), else_=0))
        stmt = _where(scope.select(documents, _d.state, func.count(), unread), filters)
        rows = scope.execute(stmt.group_by(_d.state)).all()
    by_state = {DocumentState(r.state): int(r[1]) for r in rows}
    return Counts(sum(by_state.values()), sum(int(r[2] or 0) for r in rows), by_state)


def mark(integrator: Integrator, caller: Caller, document_ids: Iterable[int], *,
         read: bool) -> int:
    """Set (``read=True``) or clear the read flag of ``document_ids``; return how many changed.

    All ids must be the caller's (NotFound otherwise, and nothing changes).
    """
    caller.require(Permission.READ)
    ids = sorted(set(document_ids))
    if not ids:
        return 0
    now = integrator.clock.now()
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        found = set(scope.execute(scope.select(documents, _d.id).where(_d.id.in_(ids)))
                    .scalars())
        missing = [i for i in ids if i not in found]
        if missing:
            raise NotFound(f"Belge bulunamadı: {', '.join(map(str, missing[:10]))}")
        changed = scope.execute(
            scope.update(documents).where(_d.id.in_(ids), _d.is_read.is_not(read))
            .values(is_read=read, read_at=now if read else None)
        ).rowcount
        audit.record(conn, caller.actor, "document.mark", tenant_id=caller.tenant_id,
                     object_type="document", object_id=ids[0] if len(ids) == 1 else None,
                     details={"read": read, "ids": ids[:100], "count": len(ids)},
                     clock=integrator.clock)
    return int(changed)


# --- helpers -----------------------------------------------------------------------------


def _where(stmt: Select[Any], f: DocumentFilter) -> Select[Any]:
    conditions: list[Any] = []
    if f.direction is not None:
        conditions.append(_d.direction == Direction(f.direction).value)
    if f.states is not None:
        conditions.append(_d.state.in_(sorted(DocumentState(s).value for s in f.states)))
    if f.date_from is not None or f.date_to is not None:
        conditions.extend(_dates(f))
    if f.counterpart is not None:
        conditions.append(_d.counterpart_vkn_tckn == f.counterpart.strip())
    if f.number is not None:
        conditions.append(_d.number == invoice_id.compact(f.number))
    if f.ettn is not None:
        conditions.append(_d.ettn == f.ettn.strip().lower())
    if f.profile is not None:
        conditions.append(_d.profile == f.profile.strip().upper())
    if f.invoice_type is not None:
        conditions.append(_d.invoice_type == f.invoice_type.strip().upper())
    if f.sender_alias is not None:
        conditions.append(_d.sender_alias == f.sender_alias.strip())
    if f.receiver_alias is not None:
        conditions.append(_d.receiver_alias == f.receiver_alias.strip())
    if f.unread is not None:
        conditions.append(_d.is_read.is_(not f.unread))
    return stmt.where(*conditions) if conditions else stmt


def _dates(f: DocumentFilter) -> list[Any]:
    if f.date_type == "issue":
        found = []
        if f.date_from is not None:
            found.append(_d.issue_date >= f.date_from)
        if f.date_to is not None:
            found.append(_d.issue_date <= f.date_to)
        return found
    if f.date_type != "created":
        raise DocumentError(f"Tarih türü issue ya da created olmalı: {f.date_type!r}")
    found = []
    if f.date_from is not None:
        found.append(_d.created_at >= dt.datetime.combine(f.date_from, dt.time(), dt.UTC))
    if f.date_to is not None:
        end = dt.datetime.combine(f.date_to + dt.timedelta(days=1), dt.time(), dt.UTC)
        found.append(_d.created_at < end)
    return found


def _after(key: tuple[dt.datetime, int], order: str) -> Any:
    created, row_id = key
    if order == "desc":
        return or_(_d.created_at < created, and_(_d.created_at == created, _d.id < row_id))
    return or_(_d.created_at > created, and_(_d.created_at == created, _d.id > row_id))


def _encode(view: DocumentView) -> str:
    raw = json.dumps([view.created_at.isoformat(), view.id]).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(cursor: str) -> tuple[dt.datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        created, row_id = json.loads(raw)
        moment = dt.datetime.fromisoformat(created)
        if moment.tzinfo is None or not isinstance(row_id, int):
            raise ValueError(cursor)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise DocumentError("Geçersiz sayfa imleci (cursor)") from exc
    return moment, row_id


def _view(row: Any, now: dt.datetime) -> DocumentView:
    values = row._asdict()
    state = DocumentState(values["state"])
    values.update(direction=Direction(values["direction"]), state=state,
                  deemed_accepted=deemed_accepted(state, values["response_deadline"], now))
    return DocumentView(**values)
