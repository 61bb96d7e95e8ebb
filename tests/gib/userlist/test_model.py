"""Tests for entegrator.gib.userlist.model."""

from __future__ import annotations

import datetime as dt

import pytest

from entegrator.gib.userlist import (
    DESPATCH_ADVICE,
    INVOICE,
    Alias,
    DocumentAliases,
    TempUser,
    User,
    UserListKind,
)


def test_kind_file_names_are_gibs() -> None:
    assert UserListKind.GB.file_name == "newUserGbListxml.zip"
    assert UserListKind.PK.file_name == "newUserPkListxml.zip"
    assert UserListKind.PK.member_name == "newUserPkList.xml"


def test_alias_active_until_deleted() -> None:
    assert Alias(("urn:mail:a@b",), "2020-01-01T00:00:00").active
    assert not Alias(("urn:mail:a@b",), "2020-01-01T00:00:00", "2021-01-01T00:00:00").active


def test_user_aliases_by_document_type_and_state() -> None:
    user = User("1234567890", "FİRMA", "OZEL", "2020-01-01T00:00:00", documents=(
        DocumentAliases(INVOICE, (Alias(("urn:mail:open@x",), "t"),
                                  Alias(("urn:mail:closed@x",), "t", "t2"))),
        DocumentAliases(DESPATCH_ADVICE, (Alias(("urn:mail:irsaliye@x",), "t"),)),
    ))
    assert user.aliases() == ["urn:mail:open@x"]
    assert user.aliases(active_only=False) == ["urn:mail:open@x", "urn:mail:closed@x"]
    assert user.aliases(DESPATCH_ADVICE) == ["urn:mail:irsaliye@x"]


def test_temp_user_closure_date() -> None:
    assert TempUser("3900383669", "20260326").closure() == dt.date(2026, 3, 26)
    with pytest.raises(ValueError):
        TempUser("3900383669", "26.03.2026").closure()
