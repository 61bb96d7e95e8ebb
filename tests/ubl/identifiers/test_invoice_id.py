"""Tests for entegrator.ubl.identifiers.invoice_id."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entegrator.errors import InvalidIdentifier
from entegrator.ubl.identifiers import invoice_id

PREFIXES = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=3)


@pytest.mark.parametrize("value", ["GIB2009000000001", "ABC2024999999999", "0002000000000000"])
def test_validate_accepts_gib_pattern(value: str) -> None:
    assert invoice_id.validate(value) == value


def test_validate_strips_surrounding_whitespace() -> None:
    assert invoice_id.validate(" GIB2009000000001\n") == "GIB2009000000001"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "boş"),
        ("GIB200900000001", "16 karakter"),
        ("GIB20090000000011", "16 karakter"),
        ("gib2009000000001", "3 karakter seri"),
        ("ÇIB2009000000001", "3 karakter seri"),
        ("GIB1999000000001", "3 karakter seri"),
        ("GIB20090000000A1", "3 karakter seri"),
        ("GIB20090000000٠1", "3 karakter seri"),
        ("GI-2009000000001", "3 karakter seri"),
    ],
)
def test_validate_rejects_malformed(value: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        invoice_id.validate(value)


def test_make_pads_year_and_sequence() -> None:
    assert invoice_id.make("ABC", 2024, 42) == "ABC2024000000042"


@pytest.mark.parametrize(
    ("prefix", "year", "sequence", "message"),
    [
        ("AB", 2024, 1, "seri kodu"),
        ("abc", 2024, 1, "seri kodu"),
        ("ABC", 1999, 1, "yılı"),
        ("ABC", 2100, 1, "yılı"),
        ("ABC", 2024, 0, "sıra numarası"),
        ("ABC", 2024, 1_000_000_000, "sıra numarası"),
        ("ABC", "2024", 1, "tam sayı"),
        ("ABC", 2024, True, "tam sayı"),
        ("ABC", 2024, 1.0, "tam sayı"),
    ],
)
def test_make_rejects_out_of_range(
    prefix: str, year: object, sequence: object, message: str
) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        invoice_id.make(prefix, year, sequence)  # type: ignore[arg-type]


def test_split_returns_parts() -> None:
    assert invoice_id.split("GIB2009000000123") == ("GIB", 2009, 123)


def test_split_rejects_invalid() -> None:
    with pytest.raises(InvalidIdentifier):
        invoice_id.split("GIB2009")


@pytest.mark.parametrize("prefix", ["ABC", "A1Z", "000", " XYZ "])
def test_validate_prefix_accepts(prefix: str) -> None:
    assert invoice_id.validate_prefix(prefix) == prefix.strip()


@pytest.mark.parametrize("prefix", ["AB", "ABCD", "ab1", "AÇB", "A-B", "", None, 123])
def test_is_valid_prefix_rejects(prefix: object) -> None:
    assert invoice_id.is_valid_prefix(prefix) is False


@given(PREFIXES, st.integers(2000, 2099), st.integers(1, invoice_id.MAX_SEQUENCE))
def test_make_and_split_round_trip(prefix: str, year: int, sequence: int) -> None:
    number = invoice_id.make(prefix, year, sequence)
    assert invoice_id.is_valid(number)
    assert invoice_id.split(number) == (prefix, year, sequence)


def test_is_valid_prefix_accepts() -> None:
    assert invoice_id.is_valid_prefix("GIB") is True
