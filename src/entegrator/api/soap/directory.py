"""GİB's registered-user list as the SOAP faces hand it out: CheckUser and whole-list exports.

CheckUser goes through core (:meth:`entegrator.core.userlist.UserDirectory.check_user`, one
entry per open alias; an empty answer means "not an e-Fatura user", integrator-api.md §4.3).
The whole-list operations (İzibiz GetGibUserList / GetUserList / GetUserListBinary, EDM
GetUserList) read the imported list directly — it is system-wide reference data, not tenant
data — streaming one row per alias, filtered as the request asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from sqlalchemy import or_, select

from entegrator.api.soap.errors import BadRequest
from entegrator.gib.userlist import DESPATCH_ADVICE, INVOICE
from entegrator.store.db import Database
from entegrator.store.domain import gib_user_aliases, gib_users

__all__ = ["AliasRow", "DirectoryQuery", "document_type", "document_type_name", "rows"]

_DOCUMENT_TYPES: Final = {"INVOICE": INVOICE, "DESPATCHADVICE": DESPATCH_ADVICE,
                          "EINVOICE": INVOICE, "EIRSALIYE": DESPATCH_ADVICE}
_NAMES: Final = {INVOICE: "INVOICE", DESPATCH_ADVICE: "DESPATCHADVICE"}


@dataclass(frozen=True, slots=True)
class AliasRow:
    """One alias of one registered user."""

    identifier: str
    title: str
    type: str
    account_type: str | None
    registered_at: dt.datetime | None
    alias: str
    role: str
    document_type: str
    created_at: dt.datetime | None
    deleted_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DirectoryQuery:
    """Which aliases to list: ``role`` GB/PK/None, ``document_type`` (GİB's name) or None,
    users registered in ``[registered_since, registered_until]``, aliases opened or closed
    after ``changed_since`` (closed ones included then), only closed aliases
    (``removed_only``, closed after ``changed_since`` when given)."""

    role: str | None = None
    document_type: str | None = INVOICE
    registered_since: dt.datetime | None = None
    registered_until: dt.datetime | None = None
    changed_since: dt.datetime | None = None
    removed_only: bool = False


def document_type(value: str | None, *, default: str | None = INVOICE) -> str | None:
    """GİB's document type for a request's ``DOCUMENT_TYPE`` (``ALL``: None)."""
    if value is None:
        return default
    key = value.strip().upper().replace("_", "")
    if key == "ALL":
        return None
    if key not in _DOCUMENT_TYPES:
        raise BadRequest(f"DOCUMENT_TYPE INVOICE, DESPATCHADVICE ya da ALL olmalı: {value!r}")
    return _DOCUMENT_TYPES[key]


def document_type_name(value: str) -> str:
    """The faces' name (``INVOICE``) of GİB's document type (``Invoice``)."""
    return _NAMES.get(value, value.upper())


def rows(db: Database, query: DirectoryQuery, *, batch: int = 5000) -> Iterator[AliasRow]:
    """Stream the matching aliases, by identifier, role and alias."""
    u, a = gib_users.c, gib_user_aliases.c
    stmt = (select(u.identifier, u.title, u.type, u.account_type, u.first_creation_time,
                   a.alias, a.role, a.document_type, a.created_at, a.deleted_at)
            .select_from(gib_user_aliases.join(gib_users, u.identifier == a.identifier))
            .order_by(u.identifier, a.role, a.alias))
    if query.role is not None:
        stmt = stmt.where(a.role == query.role)
    if query.document_type is not None:
        stmt = stmt.where(a.document_type == query.document_type)
    if query.registered_since is not None:
        stmt = stmt.where(u.first_creation_time >= query.registered_since)
    if query.registered_until is not None:
        stmt = stmt.where(u.first_creation_time <= query.registered_until)
    since = query.changed_since
    if query.removed_only:
        stmt = stmt.where(a.deleted_at.is_not(None) if since is None else a.deleted_at >= since)
    elif since is not None:
        stmt = stmt.where(or_(a.created_at >= since, a.deleted_at >= since))
    else:
        stmt = stmt.where(a.deleted_at.is_(None))
    with db.transaction(read_only=True) as conn:
        result = conn.execution_options(yield_per=batch).execute(stmt)
        for row in result:
            yield AliasRow(row.identifier, row.title, row.type, row.account_type,
                           row.first_creation_time, row.alias, row.role, row.document_type,
                           row.created_at, row.deleted_at)
