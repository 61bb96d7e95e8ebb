"""Tests for entegrator.ubl.identifiers.tckn."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.tr import tckimlik

from entegrator.errors import InvalidIdentifier
from entegrator.ubl.identifiers import tckn


def tckns() -> st.SearchStrategy[str]:
    """Valid TCKNs: a non-zero first digit, 8 more digits, check digits from python-stdnum."""
    body = st.tuples(st.sampled_from("123456789"), st.text("0123456789", min_size=8, max_size=8))
    return body.map(lambda parts: parts[0] + parts[1]).map(
        lambda nine: nine + tckimlik.calc_check_digits(nine)
    )


@pytest.mark.parametrize("number", ["17291716060", "10000000146"])
def test_validate_accepts_known_good_numbers(number: str) -> None:
    assert tckn.validate(number) == number


def test_validate_returns_compact_form() -> None:
    assert tckn.validate("172 917 160-60") == "17291716060"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "boş"),
        ("1729171606", "11 haneli"),
        ("172917160600", "11 haneli"),
        ("1729171606X", "0-9"),
        ("١٧٢٩١٧١٦٠٦٠", "0-9"),
        ("07291716092", "0 ile başlayamaz"),
        ("17291716050", "kontrol haneleri"),
    ],
)
def test_validate_rejects_malformed(value: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        tckn.validate(value)


def test_error_messages_never_echo_the_number() -> None:
    with pytest.raises(InvalidIdentifier) as info:
        tckn.validate("17291716050")
    assert "1729171605" not in info.value.message


@pytest.mark.parametrize("number", ["12345678901", "07291716092", "11111111111"])
def test_without_checksum_only_length_and_digits_count(number: str) -> None:
    assert tckn.is_valid(number, checksum=False)


@pytest.mark.parametrize("value", ["1234567890", "1234567890A"])
def test_length_and_digits_are_checked_even_without_checksum(value: str) -> None:
    assert not tckn.is_valid(value, checksum=False)


@given(tckns())
def test_generated_numbers_validate(number: str) -> None:
    assert tckn.validate(number) == number


@given(tckns(), st.integers(0, 10), st.integers(1, 9))
def test_changing_one_digit_fails(number: str, position: int, delta: int) -> None:
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    assert not tckn.is_valid(changed)
    assert tckn.is_valid(changed, checksum=False)
