"""Tests for entegrator.ubl.identifiers.party (VKN_TCKN)."""

from __future__ import annotations

import pytest

from entegrator.errors import InvalidIdentifier
from entegrator.ubl import identifiers
from entegrator.ubl.identifiers import party


@pytest.mark.parametrize(
    ("value", "scheme"),
    [
        ("4540536920", "VKN"),
        ("9999999999", "VKN"),
        ("17291716060", "TCKN"),
        ("1729 1716 060", "TCKN"),
    ],
)
def test_scheme_of_tells_by_length(value: str, scheme: str) -> None:
    assert party.scheme_of(value) == scheme


def test_scheme_of_is_reexported_by_the_package() -> None:
    assert identifiers.scheme_of is party.scheme_of


@pytest.mark.parametrize("value", ["123456789", "123456789012", "", "١٧٢٩١٧١٦٠٦٠"])
def test_scheme_of_rejects_other_shapes(value: str) -> None:
    with pytest.raises(InvalidIdentifier):
        party.scheme_of(value)


@pytest.mark.parametrize("value", ["4540536920", "17291716060", " 454 053 6920 "])
def test_validate_dispatches_on_length(value: str) -> None:
    assert party.validate(value) == party.compact(value)


def test_validate_applies_the_checksum_of_the_scheme() -> None:
    assert not party.is_valid("4540536921")
    assert not party.is_valid("17291716050")


def test_validate_passes_the_checksum_switch_on() -> None:
    assert party.validate("9999999999", checksum=False) == "9999999999"
    assert party.validate("12345678901", checksum=False) == "12345678901"


@pytest.mark.parametrize("value", ["4540536920", "17291716060"])
def test_is_valid_accepts_either_scheme(value: str) -> None:
    assert party.is_valid(value) is True
