"""Streaming writers of GİB's user lists (``NewUserList.xsd`` layout, UserTempList).

The simulator publishes its lists with these, and tests build large lists with them. Output is
written element by element (``lxml.etree.xmlfile``), so a list of any length needs constant
memory; :func:`write_users_zip` streams straight into the zip member.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, BinaryIO

from lxml import etree

from entegrator.gib.userlist.model import TempUser, User

__all__ = ["write_temp_users", "write_users", "write_users_zip"]


def write_users(users: Iterable[User], sink: BinaryIO | IO[bytes]) -> int:
    """Write a UserList XML to ``sink``; return the number of users written."""
    return _write(sink, "UserList", (_user_element(user) for user in users))


def write_temp_users(users: Iterable[TempUser], sink: BinaryIO | IO[bytes]) -> int:
    """Write a UserTempList XML to ``sink``; return the number of users written."""
    return _write(sink, "UserTempList", (_temp_element(user) for user in users))


def write_users_zip(users: Iterable[User], sink: Path | BinaryIO, *, member_name: str) -> int:
    """Write a list zip (one deflated XML named ``member_name``); return the user count."""
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open(member_name, "w", force_zip64=True) as member:
        return write_users(users, member)


def _write(sink: BinaryIO | IO[bytes], root_tag: str,
           elements: Iterable[etree._Element]) -> int:
    count = 0
    with etree.xmlfile(sink, encoding="UTF-8") as out:
        out.write_declaration(standalone=True)
        with out.element(root_tag):
            for element in elements:
                out.write("\n")
                out.write(element)
                count += 1
            out.write("\n")
    return count


def _add(parent: etree._Element, tag: str, text: str | None) -> None:
    if text is not None:
        etree.SubElement(parent, tag).text = text


def _user_element(user: User) -> etree._Element:
    element = etree.Element("User")
    _add(element, "Identifier", user.identifier)
    _add(element, "Title", user.title)
    _add(element, "Type", user.type)
    _add(element, "FirstCreationTime", user.first_creation_time)
    _add(element, "AccountType", user.account_type)
    documents = etree.SubElement(element, "Documents")
    for group in user.documents:
        document = etree.SubElement(documents, "Document")
        if group.type is not None:
            document.set("type", group.type)
        for alias in group.aliases:
            alias_element = etree.SubElement(document, "Alias")
            for name in alias.names:
                _add(alias_element, "Name", name)
            _add(alias_element, "CreationTime", alias.creation_time)
            _add(alias_element, "DeletionTime", alias.deletion_time)
    return element


def _temp_element(user: TempUser) -> etree._Element:
    element = etree.Element("User")
    # Every field is mandatory in the guide (empty when unknown), so all are written.
    _add(element, "Identifier", user.identifier)
    _add(element, "NewIdentifier", user.new_identifier or "")
    _add(element, "ClosureDate", user.closure_date)
    _add(element, "Status", user.status)
    _add(element, "RegistrationCode", user.registration_code or "")
    _add(element, "RegistrationDescription", user.registration_description or "")
    return element
