"""Tests for entegrator.ubl.identifiers.alias."""

from __future__ import annotations

import pytest

from entegrator.errors import InvalidIdentifier
from entegrator.ubl import codelists
from entegrator.ubl.identifiers import alias


@pytest.mark.parametrize(
    "value",
    [
        "urn:mail:defaultpk@firma.com.tr",
        "urn:mail:defaultgb@gib.gov.tr",
        "urn:mail:ankara_sube_gb@firma.com.tr",
        "urn:mail:defaultgb@firma.com.tr:service:islemadi1",
        "urn:mail:%C5%9Fube@firma.com.tr",
        "urn:x-test:a(b)+c,d-e.f=g;h$i!j*k",
        "urn:" + "a" * 32 + ":x",
    ],
)
def test_validate_accepts_urns(value: str) -> None:
    assert alias.validate(value) == value


def test_validate_strips_surrounding_whitespace() -> None:
    assert (
        alias.validate("  urn:mail:defaultpk@firma.com.tr\t") == "urn:mail:defaultpk@firma.com.tr"
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "boş"),
        ("defaultpk@firma.com.tr", "urn biçiminde"),
        ("URN:mail:defaultpk@firma.com.tr", "urn biçiminde"),
        ("urn:mail:şube@firma.com.tr", "urn biçiminde"),
        ("urn:mail:a b@firma.com.tr", "urn biçiminde"),
        ("urn:mail:", "urn biçiminde"),
        ("urn:-mail:x@y", "urn biçiminde"),
        ("urn:" + "a" * 33 + ":x", "urn biçiminde"),
        ("urn:mail:%C5%9@firma.com.tr", "urn biçiminde"),
        ("urn:mail:x/y", "urn biçiminde"),
        ("urn:mail:" + "a" * 242, "en çok 250"),
        ("GIB", "ayırdığı"),
        ("usergb", "ayırdığı"),
    ],
)
def test_validate_rejects(value: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        alias.validate(value)


def test_max_length_is_inclusive() -> None:
    value = "urn:mail:" + "a" * 241
    assert len(value) == alias.MAX_LENGTH
    assert alias.is_valid(value)


@pytest.mark.parametrize("name", sorted(codelists.values("ReservedAliases")))
def test_every_reserved_name_is_reserved(name: str) -> None:
    assert alias.is_reserved(name)
    assert alias.is_reserved(f" {name} ")


@pytest.mark.parametrize("value", ["urn:mail:defaultpk@gib.gov.tr", "gib", None, b"GIB"])
def test_is_reserved_is_false_for_others(value: object) -> None:
    assert alias.is_reserved(value) is False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("defaultpk@firma.com.tr", "urn:mail:defaultpk@firma.com.tr"),
        (" defaultpk@firma.com.tr ", "urn:mail:defaultpk@firma.com.tr"),
        ("urn:mail:defaultpk@firma.com.tr", "urn:mail:defaultpk@firma.com.tr"),
    ],
)
def test_normalize_adds_the_mail_prefix_once(value: str, expected: str) -> None:
    assert alias.normalize(value) == expected


@pytest.mark.parametrize("value", ["URN:MAIL:defaultpk@firma.com.tr", "", "şube@firma.com.tr"])
def test_normalize_still_validates(value: str) -> None:
    with pytest.raises(InvalidIdentifier):
        alias.normalize(value)
