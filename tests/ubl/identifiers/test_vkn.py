"""Tests for entegrator.ubl.identifiers.vkn."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.tr import vkn as stdnum_vkn

from entegrator.errors import InvalidIdentifier
from entegrator.ubl.identifiers import vkn

VALID = ("4540536920", "3900383669", "1460415308", "9205121120")


def vkns() -> st.SearchStrategy[str]:
    """Valid VKNs: any 9 digits plus the check digit python-stdnum computes."""
    return st.text("0123456789", min_size=9, max_size=9).map(
        lambda body: body + stdnum_vkn.calc_check_digit(body)
    )


@pytest.mark.parametrize("number", VALID)
def test_validate_accepts_known_good_numbers(number: str) -> None:
    assert vkn.validate(number) == number


def test_validate_returns_compact_form() -> None:
    assert vkn.validate(" 454-053.69 20\t") == "4540536920"


def test_compact_keeps_non_separators() -> None:
    assert vkn.compact("45405x") == "45405x"


@pytest.mark.parametrize("number", sorted(vkn.TEST_NUMBERS))
def test_gib_test_numbers_fail_checksum(number: str) -> None:
    with pytest.raises(InvalidIdentifier, match="kontrol hanesi"):
        vkn.validate(number)


@pytest.mark.parametrize("number", sorted(vkn.TEST_NUMBERS))
def test_gib_test_numbers_pass_without_checksum(number: str) -> None:
    assert vkn.validate(number, checksum=False) == number


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "boş"),
        (" - ", "boş"),
        ("454053692", "10 haneli"),
        ("45405369201", "10 haneli"),
        ("454053692A", "0-9"),
        ("٤٥٤٠٥٣٦٩٢٠", "0-9"),
    ],
)
def test_validate_rejects_malformed(value: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        vkn.validate(value)


@pytest.mark.parametrize("value", ["454053692", "٤٥٤٠٥٣٦٩٢٠", "454053692A"])
def test_length_and_digits_are_checked_even_without_checksum(value: str) -> None:
    assert not vkn.is_valid(value, checksum=False)


def test_error_message_shortens_long_input() -> None:
    with pytest.raises(InvalidIdentifier) as info:
        vkn.validate("1" * 500)
    assert len(info.value.message) < 120


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        vkn.validate("12")


@given(vkns())
def test_generated_numbers_validate(number: str) -> None:
    assert vkn.validate(number) == number


@given(vkns(), st.integers(0, 9), st.integers(1, 9))
def test_changing_one_digit_fails(number: str, position: int, delta: int) -> None:
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1 :]
    assert not vkn.is_valid(changed)
    assert vkn.is_valid(changed, checksum=False)
