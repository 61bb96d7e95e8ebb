"""GİB user-list operations on EDM's service (integrator-api.md §3.5, §4.3–4.4).

* CheckUser — ``USER`` elements straight in the response, one per open alias of the
  VKN/TCKN in ``USER/IDENTIFIER`` (or of the users whose title holds ``USER/TITLE``);
  ``UNIT`` GB or PK (default PK, as EDM answers), ``DOCUMENTTYPE`` INVOICE by default.
* GetUserList — ``Items/Items*``: open aliases, or with ``REMOVED_TIME_START`` those opened
  or closed since, or with ``REMOVED_ONLY`` the closed ones (``ALIAS_REMOVAL_TIME``).
* GetUserListBinary — the same list as XML in ``Item``, zipped when ``TYPE`` is ZIP.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from lxml import etree

from entegrator.api.soap import directory, xmlread
from entegrator.api.soap.call import Call
from entegrator.api.soap.content import zip_one
from entegrator.api.soap.directory import AliasRow, DirectoryQuery
from entegrator.api.soap.errors import BadRequest
from entegrator.api.soap.xmlwrite import TURKEY, add, add_base64, element
from entegrator.ubl import ns
from entegrator.ubl.xml import to_bytes

__all__ = ["check_user", "get_user_list", "get_user_list_binary"]

_TITLE_MATCHES = 100


def check_user(call: Call) -> list[etree._Element]:
    """CheckUser: ``USER*``."""
    user = xmlread.child(call.request, "USER")
    identifier, title = xmlread.text(user, "IDENTIFIER"), xmlread.text(user, "TITLE")
    if identifier is None and title is None:
        raise BadRequest("USER/IDENTIFIER ya da USER/TITLE verilmeli")
    call.subject = identifier or title
    unit = _unit(xmlread.text(user, "UNIT"), default="PK")
    kind = directory.document_type(xmlread.text(user, "DOCUMENTTYPE"))
    people = ([call.integrator.gib_users.lookup(identifier)] if identifier is not None
              else call.integrator.gib_users.search(title or "", limit=_TITLE_MATCHES))
    answer = []
    for person in people:
        if person is None:
            continue
        for alias in person.active_aliases(unit, kind):
            answer.append(_gibuser(AliasRow(
                person.identifier, person.title, person.type, person.account_type,
                person.first_creation_time, alias.alias, alias.role, alias.document_type,
                alias.created_at, alias.deleted_at), "USER"))
    return answer


def get_user_list(call: Call) -> list[etree._Element]:
    """GetUserList: ``Items`` holding one ``Items`` per alias."""
    holder = element("Items")
    holder.extend(_gibuser(row, "Items") for row in directory.rows(call.integrator.db,
                                                                 _query(call)))
    return [holder]


def get_user_list_binary(call: Call) -> list[etree._Element]:
    """GetUserListBinary: ``Item`` (the XML list, zipped for TYPE=ZIP)."""
    kind = (xmlread.text(call.request, "TYPE") or "XML").upper()
    if kind not in ("ZIP", "XML"):
        raise BadRequest(f"TYPE ZIP ya da XML olmalı: {kind!r}")
    query = DirectoryQuery(role=_unit(xmlread.text(call.request, "UNIT"), default=None))
    xml = _document(directory.rows(call.integrator.db, query))
    holder = element("X")
    add_base64(holder, "Item", zip_one("GibUserList.xml", xml) if kind == "ZIP" else xml)
    return list(holder)


def _query(call: Call) -> DirectoryQuery:
    request = call.request
    return DirectoryQuery(
        role=_unit(xmlread.text(request, "UNIT"), default=None),
        document_type=directory.document_type(xmlread.text(request, "DOCUMENTTYPE")),
        registered_since=xmlread.timestamp(request, "REGISTER_TIME_START",
                                           default_zone=TURKEY),
        registered_until=xmlread.timestamp(request, "REGISTER_TIME_END",
                                           default_zone=TURKEY),
        changed_since=xmlread.timestamp(request, "REMOVED_TIME_START", default_zone=TURKEY),
        removed_only=bool(xmlread.flag(request, "REMOVED_ONLY")))


def _unit(value: str | None, *, default: str | None) -> str | None:
    if value is None:
        return default
    unit = value.strip().upper()
    if unit not in ("GB", "PK"):
        raise BadRequest(f"UNIT GB ya da PK olmalı: {value!r}")
    return unit


def _gibuser(row: AliasRow, tag: str) -> etree._Element:
    node = element(tag)
    add(node, "IDENTIFIER", row.identifier)
    add(node, "ALIAS", row.alias)
    add(node, "TITLE", row.title)
    add(node, "TYPE", row.type)
    add(node, "REGISTER_TIME", _time(row.registered_at))
    add(node, "UNIT", row.role)
    add(node, "ALIAS_CREATION_TIME", _time(row.created_at))
    add(node, "ALIAS_REMOVAL_TIME", _time(row.deleted_at))
    add(node, "DOCUMENTTYPE", directory.document_type_name(row.document_type))
    return node


def _document(rows: Iterable[AliasRow]) -> bytes:
    root = etree.Element(ns.qname(ns.TEMPURI, "GetUserListResponse"), nsmap={"a": ns.TEMPURI})
    items = etree.SubElement(root, "Items")
    items.extend(_gibuser(row, "Items") for row in rows)
    return to_bytes(root)


def _time(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(TURKEY).replace(tzinfo=None).isoformat(timespec="seconds")
