"""Streaming readers of GİB's user lists: UserList (new and legacy flat rows) and UserTempList.

The lists hold hundreds of thousands of users (gib-protocol.md §5.1), so they are read with
``lxml.etree.iterparse`` one ``User`` at a time and every finished record is dropped from the
tree: memory stays flat however long the file is. The parser is safe the same way
:func:`entegrator.ubl.xml.parse` is — no DTD (refused), no entity expansion, no network — and
zips are opened only if they hold exactly one XML whose declared size is under a cap.

Both UserList layouts are recognised per record: the current one (``Documents/Document/Alias``,
UserList guide v1.0 §2) and the legacy flat one (one row per alias with ``Alias`` and
``AliasCreationTime`` next to ``Identifier``), which is returned as an ``Invoice`` alias.

:func:`iter_users` gives :class:`User` records; :func:`iter_user_rows` gives the same values as
plain tuples (:data:`UserRow`) — about twice as fast, for bulk loads of 300 000-user lists where
building the record objects was half of the reading time (docs/decisions/gib-userlist.md).

A damaged file can fail after many users were already yielded (:class:`UserListError`), so
consumers load into a staging area and switch over only when the iteration completed.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, BinaryIO, TypeVar

from lxml import etree

from entegrator.gib.errors import UserListError
from entegrator.gib.userlist.model import (
    INVOICE,
    Alias,
    AliasRow,
    DocumentAliases,
    TempUser,
    User,
    UserRow,
)

__all__ = [
    "DEFAULT_MAX_UNCOMPRESSED",
    "iter_temp_users",
    "iter_user_rows",
    "iter_user_rows_zip",
    "iter_users",
    "iter_users_zip",
    "open_list_zip",
]

#: Cap on the XML inside a list zip (GİB's lists are a few hundred MB uncompressed).
DEFAULT_MAX_UNCOMPRESSED = 2 * 1024 * 1024 * 1024

#: Finished records are dropped from the tree in batches of this many (one at a time costs
#: a sibling walk per record).
_DROP_EVERY = 256

_T = TypeVar("_T")
Source = BinaryIO | IO[bytes] | Path | str
_TYPES = {"ozel": "OZEL", "özel": "OZEL", "kamu": "KAMU"}


def iter_users(source: Source) -> Iterator[User]:
    """Yield each ``User`` of a UserList XML (file path or binary stream)."""
    return _records(source, "UserList", _user)


def iter_user_rows(source: Source) -> Iterator[UserRow]:
    """Yield each ``User`` of a UserList XML as a :data:`UserRow` tuple (see the module doc)."""
    return _records(source, "UserList", _user_row)


def iter_temp_users(source: Source) -> Iterator[TempUser]:
    """Yield each ``User`` of a UserTempList XML (file path or binary stream)."""
    return _records(source, "UserTempList", _temp_user)


def iter_users_zip(source: Path | str | BinaryIO, *,
                   max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED) -> Iterator[User]:
    """Yield each ``User`` of a list zip (``newUserGbListxml.zip`` / ``newUserPkListxml.zip``)."""
    with open_list_zip(source, max_uncompressed=max_uncompressed) as xml:
        yield from iter_users(xml)


def iter_user_rows_zip(source: Path | str | BinaryIO, *,
                       max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED) -> Iterator[UserRow]:
    """Yield each ``User`` of a list zip as a :data:`UserRow` tuple."""
    with open_list_zip(source, max_uncompressed=max_uncompressed) as xml:
        yield from iter_user_rows(xml)


@contextmanager
def open_list_zip(source: Path | str | BinaryIO, *,
                  max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED) -> Iterator[IO[bytes]]:
    """Open the single XML member of a list zip as a stream."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UserListError(f"kullanıcı listesi zip dosyası açılamadı: {exc}") from exc
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) != 1 or not members[0].filename.lower().endswith(".xml"):
            names = [info.filename for info in members][:5]
            raise UserListError(f"kullanıcı listesi zip'i tek bir XML içermeli, içerik: {names}")
        member = members[0]
        if member.file_size > max_uncompressed:
            raise UserListError(f"kullanıcı listesi çok büyük: {member.file_size} bayt "
                                f"(sınır {max_uncompressed})")
        try:
            with archive.open(member) as stream:
                yield stream
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, EOFError) as exc:
            raise UserListError(f"kullanıcı listesi zip'i bozuk: {exc}") from exc


def _records(source: Source, root_tag: str,
             build: Callable[[etree._Element], _T]) -> Iterator[_T]:
    if isinstance(source, Path):
        source = str(source)
    context = etree.iterparse(
        source, events=("end",), tag="User",
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True)
    root: etree._Element | None = None
    finished = 0
    try:
        for _event, element in context:
            if root is None:
                root = _check_root(element.getroottree().getroot(), root_tag)
            if element.getparent() is not root:
                continue
            yield build(element)
            finished += 1
            if finished == _DROP_EVERY:
                # Only up to this record: the parser may already hold the next ones.
                del root[:root.index(element) + 1]
                finished = 0
        if root is None:
            _check_root(context.root, root_tag)
    except etree.XMLSyntaxError as exc:
        raise UserListError(f"kullanıcı listesi XML'i okunamadı: {exc.msg}",
                            line=exc.lineno) from exc


def _check_root(root: etree._Element | None, root_tag: str) -> etree._Element:
    if root is None:
        raise UserListError(f"{root_tag} bekleniyordu, belge boş")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UserListError("kullanıcı listesinde DOCTYPE/DTD kullanılamaz")
    if root.tag != root_tag:
        raise UserListError(f"{root_tag} bekleniyordu, kök öğe {root.tag!r}")
    return root


def _text(element: etree._Element) -> str:
    return (element.text or "").strip()


def _fields(element: etree._Element) -> dict[str, str]:
    # Comments and PIs are removed by the parser and entities are refused, so every child
    # is an element.
    return {child.tag: (child.text or "").strip() for child in element}


def _required(values: dict[str, str], name: str, element: etree._Element) -> str:
    value = values.get(name)
    if not value:
        raise UserListError(f"User/{name} eksik", line=element.sourceline)
    return value


def _user(element: etree._Element) -> User:
    values = _fields(element)
    kind = values.get("Type", "")
    if "Alias" in values:  # legacy flat layout: one row per alias
        alias = Alias((values["Alias"],), values.get("AliasCreationTime", ""))
        groups: tuple[DocumentAliases, ...] = (DocumentAliases(INVOICE, (alias,)),)
    else:
        groups = tuple(
            DocumentAliases(doc.get("type"), tuple(_alias(a) for a in doc if a.tag == "Alias"))
            for documents in element if documents.tag == "Documents"
            for doc in documents if doc.tag == "Document")
    return User(
        identifier=_required(values, "Identifier", element),
        title=values.get("Title", ""),
        type=_TYPES.get(kind.casefold(), kind),
        first_creation_time=values.get("FirstCreationTime", ""),
        account_type=values.get("AccountType") or None,
        documents=groups,
    )


def _alias(element: etree._Element) -> Alias:
    names: list[str] = []
    creation, deletion = "", None
    for child in element:
        tag = child.tag
        if tag == "Name":
            name = _text(child)
            if name:
                names.append(name)
        elif tag == "CreationTime":
            creation = _text(child)
        elif tag == "DeletionTime":
            deletion = _text(child) or None
    return Alias(tuple(names), creation, deletion)


def _user_row(element: etree._Element) -> UserRow:
    # The same values as _user, read in one pass over the children without dicts or records.
    identifier = title = kind = first = ""
    account: str | None = None
    aliases: list[AliasRow] = []
    legacy: str | None = None
    legacy_created = ""
    for child in element:
        tag = child.tag
        if tag == "Documents":
            for document in child:
                if document.tag == "Document":
                    _alias_rows(document, aliases)
            continue
        text = child.text
        value = text.strip() if text else ""
        if tag == "Identifier":
            identifier = value
        elif tag == "Title":
            title = value
        elif tag == "Type":
            kind = value
        elif tag == "FirstCreationTime":
            first = value
        elif tag == "AccountType":
            account = value or None
        elif tag == "Alias":
            legacy = value
        elif tag == "AliasCreationTime":
            legacy_created = value
    if not identifier:
        raise UserListError("User/Identifier eksik", line=element.sourceline)
    if legacy is not None:  # legacy flat layout: this row is one Invoice alias
        aliases = [(INVOICE, legacy, legacy_created, None)] if legacy else []
    return identifier, title, _TYPES.get(kind.casefold(), kind), first, account, aliases


def _alias_rows(document: etree._Element, into: list[AliasRow]) -> None:
    document_type = document.get("type")
    for alias in document:
        if alias.tag != "Alias":
            continue
        names: list[str] = []
        created, deleted = "", None
        for field in alias:
            tag = field.tag
            text = field.text
            value = text.strip() if text else ""
            if tag == "Name":
                if value:
                    names.append(value)
            elif tag == "CreationTime":
                created = value
            elif tag == "DeletionTime":
                deleted = value or None
        into.extend([(document_type, name, created, deleted) for name in names])


def _temp_user(element: etree._Element) -> TempUser:
    values = _fields(element)
    return TempUser(
        identifier=_required(values, "Identifier", element),
        closure_date=_required(values, "ClosureDate", element),
        status=values.get("Status", ""),
        new_identifier=values.get("NewIdentifier") or None,
        registration_code=values.get("RegistrationCode") or None,
        registration_description=values.get("RegistrationDescription") or None,
    )
