"""Tests for entegrator.gib.contract: fileName rule and hash comparison."""

from __future__ import annotations

import pytest

from entegrator.envelope import md5_hex
from entegrator.gib.contract import hashes_equal, is_valid_file_name


@pytest.mark.parametrize("name", [
    "e002da78-223f-438c-addb-16badeb047b5.zip",
    "0E477710-1092-4414-A939-DEAED1895FA7.zip",
    "0e477710-1092-4414-a939-deaed1895fa7.ZIP",
])
def test_file_name_valid(name: str) -> None:
    assert is_valid_file_name(name)


@pytest.mark.parametrize("name", [
    None, "", "e002da78-223f-438c-addb-16badeb047b5", "e002da78-223f-438c-addb-16badeb047b5.xml",
    "e002da78-223f-438c-addb-16badeb047b5.zip.zip", "../e002da78-223f-438c-addb-16badeb047b5.zip",
    "e002da78223f438caddb16badeb047b5.zip", "g002da78-223f-438c-addb-16badeb047b5.zip",
    " e002da78-223f-438c-addb-16badeb047b5.zip", "e002da78-223f-438c-addb-16badeb047b5.zip\n",
])
def test_file_name_invalid(name: str | None) -> None:
    assert not is_valid_file_name(name)


def test_md5_matches_sample_md5_file(samples_dir) -> None:
    folder = samples_dir / "envelope-zip"
    data = (folder / "e002da78-223f-438c-addb-16badeb047b5.zip").read_bytes()
    expected = (folder / "e002da78-223f-438c-addb-16badeb047b5.zip.md5").read_text().split()[0]
    assert hashes_equal(md5_hex(data), expected)


def test_hashes_equal_ignores_case() -> None:
    assert hashes_equal(md5_hex(b"x").upper(), md5_hex(b"x"))


@pytest.mark.parametrize("other", [None, "", "abc", md5_hex(b"y"), md5_hex(b"x") + "0"])
def test_hashes_equal_rejects_other_values(other: str | None) -> None:
    assert not hashes_equal(md5_hex(b"x"), other)


def test_module_examples_hold() -> None:
    import doctest

    from entegrator.gib import contract

    assert doctest.testmod(contract).failed == 0
