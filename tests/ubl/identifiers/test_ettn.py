"""Tests for entegrator.ubl.identifiers.ettn."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entegrator.errors import InvalidIdentifier
from entegrator.ubl.identifiers import ettn


@pytest.mark.parametrize(
    "value",
    [
        "2d07cab5-bf97-4af5-96f8-ab45671a5e2e",
        "5C2365EA-077B-4835-B19F-4B9CAF1256A2",
        "00000000-0000-0000-0000-000000000000",
    ],
)
def test_validate_accepts_guids_in_either_case(value: str) -> None:
    assert ettn.validate(value) == value


def test_validate_strips_surrounding_whitespace_and_keeps_case() -> None:
    assert ettn.validate("\n 5C2365EA-077B-4835-B19F-4B9CAF1256A2 ") == (
        "5C2365EA-077B-4835-B19F-4B9CAF1256A2"
    )


@pytest.mark.parametrize(
    "value",
    [
        "2d07cab5bf974af596f8ab45671a5e2e",
        "{2d07cab5-bf97-4af5-96f8-ab45671a5e2e}",
        "2d07cab5-bf97-4af5-96f8-ab45671a5e2",
        "2d07cab5-bf97-4af5-96f8-ab45671a5e2e0",
        "2d07cab5-bf97-4af5-96f8-ab45671a5e2g",
        "2d07cab5-bf97-4af5-96f8-ab4567١a5e2e",
        "Yanıta konu olan Fatura UUID(ETTN) yazılacaktır",
    ],
)
def test_validate_rejects_other_shapes(value: str) -> None:
    assert not ettn.is_valid(value)
    with pytest.raises(InvalidIdentifier, match="UUID"):
        ettn.validate(value)


def test_validate_rejects_empty() -> None:
    with pytest.raises(InvalidIdentifier, match="boş"):
        ettn.validate("  ")


def test_new_returns_distinct_lower_case_v4_uuids() -> None:
    first, second = ettn.new(), ettn.new()
    assert first != second
    assert ettn.is_valid(first)
    assert first == first.lower()
    assert uuid.UUID(first).version == 4


@given(st.uuids())
def test_any_uuid_text_validates(value: uuid.UUID) -> None:
    assert ettn.is_valid(str(value))
    assert ettn.is_valid(str(value).upper())
