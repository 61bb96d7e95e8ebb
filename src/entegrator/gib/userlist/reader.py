"""Streaming readers of GİB's user lists: UserList (new and legacy flat rows) and UserTempList.

The lists hold hundreds of thousands of users (gib-protocol.md §5.1), so they are read with
``lxml.etree.iterparse`` one ``User`` at a time and every finished record is dropped from the
tree: memory stays flat however long the file is. The parser is safe the same way
:func:`entegrator.ubl.xml.parse` is — no DTD (refused), no entity expansion, no network — and
zips are opened only if they hold exactly one XML whose declared size is under a cap.

Both UserList layouts are recognised per record: the current one (``Documents/Document/Alias``,
UserList guide v1.0 §2) and the legacy flat one (one row per alias with ``Alias`` and
``AliasCreationTime`` next to ``Identifier``), which is returned as an ``Invoice`` alias.

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
from entegrator.gib.userlist.model import INVOICE, Alias, DocumentAliases, TempUser, User

__all__ = [
    "DEFAULT_MAX_UNCOMPRESSED",
    "iter_temp_users",
    "iter_users",
    "iter_users_zip",
    "open_list_zip",
]

#: Cap on the XML inside a list zip (GİB's lists are a few hundred MB uncompressed).
DEFAULT_MAX_UNCOMPRESSED = 2 * 1024 * 1024 * 1024

_T = TypeVar("_T")
Source = BinaryIO | IO[bytes] | Path | str
_TYPES = {"ozel": "OZEL", "özel": "OZEL", "kamu": "KAMU"}


def iter_users(source: Source) -> Iterator[User]:
    """Yield each ``User`` of a UserList XML (file path or binary stream)."""
    return _records(source, "UserList", _user)


def iter_temp_users(source: Source) -> Iterator[TempUser]:
    """Yield each ``User`` of a UserTempList XML (file path or binary stream)."""
    return _records(source, "UserTempList", _temp_user)


def iter_users_zip(source: Path | str | BinaryIO, *,
                   max_uncompressed: int = DEFAULT_MAX_UNCOMPRESSED) -> Iterator[User]:
    """Yield each ``User`` of a list zip (``newUserGbListxml.zip`` / ``newUserPkListxml.zip``)."""
    with open_list_zip(source, max_uncompressed=max_uncompressed) as xml:
        yield from iter_users(xml)


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
    try:
        for _event, element in context:
            if root is None:
                root = _check_root(element.getroottree().getroot(), root_tag)
            if element.getparent() is not root:
                continue
            yield build(element)
            element.clear()
            while element.getprevious() is not None:
                del root[0]
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
        documents = element.find("Documents")
        groups = () if documents is None else tuple(
            DocumentAliases(doc.get("type"), tuple(_alias(a) for a in doc if a.tag == "Alias"))
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
