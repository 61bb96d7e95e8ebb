"""Lenient reading of request fields (api.soap.xmlread)."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree

from entegrator.api.soap import xmlread
from entegrator.api.soap.errors import BadRequest
from entegrator.api.soap.xmlwrite import TURKEY


def _key(inner: str) -> etree._Element:
    return etree.fromstring(f'<K xmlns:x="urn:x">{inner}</K>'.encode())


def test_children_are_found_in_any_namespace_and_order() -> None:
    key = _key("<x:UUID>b</x:UUID><LIMIT>5</LIMIT><UUID>c</UUID>")

    assert xmlread.text(key, "UUID") == "b"
    assert [e.text for e in xmlread.children(key, "UUID")] == ["b", "c"]
    assert xmlread.integer(key, "LIMIT") == 5


def test_blank_text_counts_as_absent() -> None:
    key = _key("<ID>   </ID><UUID/>")

    assert xmlread.text(key, "ID") is None and xmlread.text(key, "UUID") is None


@pytest.mark.parametrize(("value", "expected"), [
    ("Y", True), ("n", False), ("true", True), ("False", False), ("1", True), ("0", False),
    ("E", True), ("H", False),
])
def test_flags_take_y_n_true_false_and_digits(value: str, expected: bool) -> None:
    assert xmlread.flag(_key(f"<F>{value}</F>"), "F") is expected


def test_an_unreadable_flag_is_a_bad_request() -> None:
    with pytest.raises(BadRequest, match="READ_INCLUDED"):
        xmlread.flag(_key("<READ_INCLUDED>belki</READ_INCLUDED>"), "READ_INCLUDED")


@pytest.mark.parametrize("value", ["2024-05-01", "2024-05-01+03:00", "2024-05-01Z",
                                   "2024-05-01T10:56:36.6274908+03:00", "2024-05-01T00:00:00"])
def test_dates_come_with_or_without_time_and_offset(value: str) -> None:
    assert xmlread.date(_key(f"<D>{value}</D>"), "D") == dt.date(2024, 5, 1)


def test_dotnet_timestamps_with_seven_fraction_digits_are_read() -> None:
    found = xmlread.timestamp(_key("<T>2018-11-01T10:56:36.6274908+03:00</T>"), "T",
                              default_zone=TURKEY)

    assert found == dt.datetime(2018, 11, 1, 7, 56, 36, 627490, tzinfo=dt.UTC)


def test_a_naive_timestamp_is_taken_in_the_default_zone() -> None:
    found = xmlread.timestamp(_key("<T>2024-05-01</T>"), "T", default_zone=TURKEY)

    assert found is not None and found.utcoffset() == dt.timedelta(hours=3)


@pytest.mark.parametrize(("tag", "value", "read"), [
    ("D", "01.05.2024", xmlread.date), ("N", "on", xmlread.integer)])
def test_unreadable_values_name_their_field(tag: str, value: str, read: object) -> None:
    with pytest.raises(BadRequest, match=tag):
        read(_key(f"<{tag}>{value}</{tag}>"), tag)  # type: ignore[operator]


def test_attributes_are_found_with_or_without_namespace() -> None:
    node = etree.fromstring(b'<I xmlns:a="urn:a" a:UUID=" u " ID="n"/>')

    assert xmlread.attribute(node, "UUID") == "u" and xmlread.attribute(node, "ID") == "n"


def test_a_required_field_that_is_missing_is_a_bad_request() -> None:
    with pytest.raises(BadRequest, match="USER_NAME"):
        xmlread.require(_key(""), "USER_NAME")
