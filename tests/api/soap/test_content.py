"""CONTENT payloads: base64, zipped or plain, and hostile zips (api.soap.content)."""

from __future__ import annotations

import base64
import io
import zipfile

import pytest

from entegrator.api.soap.content import decode_base64, open_content, read_single_entry, zip_one
from entegrator.api.soap.errors import BadRequest, NotZip, TooLarge
from tests.api.soap.support import zipped

XML = b"<?xml version='1.0'?><Invoice/>"


def test_a_zip_is_opened_whatever_the_flag_says() -> None:
    assert open_content(zipped(XML), compressed=False) == XML
    assert open_content(zipped(XML, "any-name"), compressed=True) == XML


def test_plain_xml_is_taken_even_when_compressed_is_y() -> None:
    assert open_content(XML, compressed=True) == XML
    assert open_content(b"\xef\xbb\xbf" + XML, compressed=True).endswith(XML)


def test_neither_zip_nor_xml_is_10007_when_compressed() -> None:
    with pytest.raises(NotZip):
        open_content(b"%PDF-1.4 ...", compressed=True)


def test_neither_zip_nor_xml_is_a_bad_request_when_plain() -> None:
    with pytest.raises(BadRequest):
        open_content(b"%PDF-1.4 ...", compressed=False)


def test_a_zip_with_two_files_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.xml", XML)
        archive.writestr("b.xml", XML)

    with pytest.raises(BadRequest, match="bir dosya"):
        read_single_entry(buffer.getvalue())


def test_a_zip_bomb_is_refused_before_inflating() -> None:
    bomb = zipped(b"<" + b"a" * (20 * 1024 * 1024) + b"/>")

    with pytest.raises(BadRequest, match="oran"):
        read_single_entry(bomb)


def test_an_entry_over_the_size_cap_is_too_large() -> None:
    with pytest.raises(TooLarge):
        read_single_entry(zip_one("f.xml", XML * 100), max_bytes=100)


def test_a_damaged_zip_is_10007() -> None:
    with pytest.raises(NotZip):
        read_single_entry(zipped(XML)[:30])


def test_base64_may_be_wrapped_over_lines() -> None:
    text = base64.encodebytes(XML * 10).decode()

    assert "\n" in text and decode_base64(text) == XML * 10


@pytest.mark.parametrize("text", [None, "", "   ", "not base64!"])
def test_empty_or_broken_base64_is_a_bad_request(text: str | None) -> None:
    with pytest.raises(BadRequest):
        decode_base64(text)
