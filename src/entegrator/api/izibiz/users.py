"""GİB user-list operations on İzibiz's services (integrator-api.md §4.3–4.4).

* CheckUser — one ``USER`` per open alias of the VKN/TCKN (``UNIT`` narrows to GB or PK,
  ``DOCUMENT_TYPE`` to invoices or despatch advices); none means "not an e-Fatura user",
  which is an answer, not an error.
* GetGibUserList (AuthenticationWS) — the whole list as a ZIP holding one XML
  (``GetUserListResponse`` with ``USER`` children) or CSV file; ``ALIAS_TYPE`` defaults to PK;
  with ``ALIAS_MODIFY_DATE`` only aliases opened or closed since then, closed ones marked
  ``DELETED=Y``.
* GetUserList / GetUserListBinary (EInvoiceWS) — the same list in the body, or zipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from typing import Final

from lxml import etree

from entegrator.api.soap import directory, xmlread
from entegrator.api.soap.call import Call
from entegrator.api.soap.directory import AliasRow, DirectoryQuery
from entegrator.api.soap.errors import BadRequest
from entegrator.api.soap.xmlwrite import TURKEY, add, add_base64, element
from entegrator.core.userlist import GibAlias, GibUser
from entegrator.ubl import ns

__all__ = [
    "check_user",
    "check_user_auth",
    "get_gib_user_list",
    "get_user_list",
    "get_user_list_binary",
]

_CSV_COLUMNS: Final = ("IDENTIFIER", "ALIAS", "TITLE", "TYPE", "REGISTER_TIME", "UNIT",
                       "ALIAS_CREATION_TIME", "ACCOUNT_TYPE", "DELETED", "ALIAS_DELETION_TIME",
                       "DOCUMENT_TYPE")


def check_user_auth(call: Call) -> list[etree._Element]:
    """AuthenticationWS CheckUser: ``USER*`` with the account fields."""
    return _check(call, full=True, document=xmlread.text(call.request, "DOCUMENT_TYPE"))


def check_user(call: Call) -> list[etree._Element]:
    """EInvoiceWS CheckUser: ``USER*``."""
    return _check(call, full=False, document=None)


def _check(call: Call, *, full: bool, document: str | None) -> list[etree._Element]:
    user = xmlread.child(call.request, "USER")
    identifier = xmlread.require(user, "IDENTIFIER")
    call.subject = identifier
    unit = (xmlread.text(user, "UNIT") or "").upper() or None
    if unit not in (None, "GB", "PK"):
        raise BadRequest(f"UNIT GB ya da PK olmalı: {unit!r}")
    kind = directory.document_type(document or xmlread.text(user, "DOCUMENT_TYPE"))
    found = call.integrator.gib_users.check_user(identifier, role=unit, document_type=kind)
    return [_user(u, a, full=full) for u, a in found]


def _user(user: GibUser, alias: GibAlias, *, full: bool) -> etree._Element:
    return _gibuser(AliasRow(user.identifier, user.title, user.type, user.account_type,
                             user.first_creation_time, alias.alias, alias.role,
                             alias.document_type, alias.created_at, alias.deleted_at),
                    full=full)


def _gibuser(row: AliasRow, *, full: bool, tag: str = "USER") -> etree._Element:
    node = element(tag)
    for name, value in _fields(row, full=full):
        add(node, name, value)
    return node


def _fields(row: AliasRow, *, full: bool) -> list[tuple[str, str | None]]:
    fields = [("IDENTIFIER", row.identifier), ("ALIAS", row.alias), ("TITLE", row.title),
              ("TYPE", row.type), ("REGISTER_TIME", _time(row.registered_at)),
              ("UNIT", row.role), ("ALIAS_CREATION_TIME", _time(row.created_at))]
    if full:
        fields += [("ACCOUNT_TYPE", row.account_type),
                   ("DELETED", "Y" if row.deleted_at is not None else "N"),
                   ("ALIAS_DELETION_TIME", _time(row.deleted_at))]
    fields.append(("DOCUMENT_TYPE", directory.document_type_name(row.document_type)))
    return fields


def get_gib_user_list(call: Call) -> list[etree._Element]:
    """AuthenticationWS GetGibUserList: ``CONTENT`` (always a ZIP)."""
    request = call.request
    alias_type = (xmlread.text(request, "ALIAS_TYPE") or "PK").upper()
    if alias_type not in ("ALL", "PK", "GB"):
        raise BadRequest(f"ALIAS_TYPE ALL, PK ya da GB olmalı: {alias_type!r}")
    changed = xmlread.timestamp(request, "ALIAS_MODIFY_DATE", default_zone=TURKEY)
    query = DirectoryQuery(
        role=None if alias_type == "ALL" else alias_type,
        document_type=directory.document_type(xmlread.text(request, "DOCUMENT_TYPE"),
                                              default=None),
        registered_since=xmlread.timestamp(request, "REGISTER_TIME_START",
                                           default_zone=TURKEY),
        changed_since=changed)
    return _content(_export(directory.rows(call.integrator.db, query), _kind(request)))


def get_user_list(call: Call) -> list[etree._Element]:
    """EInvoiceWS GetUserList: every open alias as ``USER`` elements."""
    return [_gibuser(row, full=False) for row in directory.rows(call.integrator.db,
                                                                _query(call))]


def get_user_list_binary(call: Call) -> list[etree._Element]:
    """EInvoiceWS GetUserListBinary: the list zipped in ``CONTENT``."""
    return _content(_export(directory.rows(call.integrator.db, _query(call)),
                            _kind(call.request)))


def _content(data: bytes) -> list[etree._Element]:
    holder = element("X")
    add_base64(holder, "CONTENT", data)
    return list(holder)


def _query(call: Call) -> DirectoryQuery:
    return DirectoryQuery(
        document_type=directory.document_type(xmlread.text(call.request, "DOCUMENT_TYPE")),
        registered_since=xmlread.timestamp(call.request, "REGISTER_TIME_START",
                                           default_zone=TURKEY))


def _kind(request: etree._Element) -> str:
    kind = (xmlread.text(request, "TYPE") or "XML").upper()
    if kind not in ("XML", "CSV"):
        raise BadRequest(f"TYPE XML ya da CSV olmalı: {kind!r}")
    return kind


def _export(rows: Iterable[AliasRow], kind: str) -> bytes:
    """A ZIP with one file: the rows as İzibiz's XML list or as CSV, streamed."""
    buffer = io.BytesIO()
    name = f"GibUserList.{kind.lower()}"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open(name, "w") as stream:
        if kind == "CSV":
            text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
            writer = csv.writer(text)
            writer.writerow(_CSV_COLUMNS)
            for row in rows:
                writer.writerow([value or "" for _, value in _fields(row, full=True)])
            text.flush()
            text.detach()
        else:
            with etree.xmlfile(stream, encoding="UTF-8") as xml:
                xml.write_declaration()
                with xml.element(ns.qname(ns.I2I_WSDL, "GetUserListResponse"),
                                 nsmap={"ns2": ns.I2I_WSDL}):
                    for row in rows:
                        xml.write(_gibuser(row, full=True))
    return buffer.getvalue()


def _time(moment: dt.datetime | None) -> str | None:
    """GİB list times as İzibiz writes them: Turkish local time without offset."""
    if moment is None:
        return None
    return moment.astimezone(TURKEY).replace(tzinfo=None).isoformat(timespec="seconds")
