"""Tests for entegrator.gib.mtom: multipart/related + XOP bodies, read and written."""

from __future__ import annotations

import base64

import pytest

from entegrator.gib.errors import MalformedMessage, UnsupportedMediaType
from entegrator.gib.mtom import (
    Attachment,
    build_related,
    cid_from_href,
    href_for_cid,
    parse_media_type,
    parse_related,
)

ZIP = b"PK\x03\x04" + bytes(range(256)) * 4 + b"\r\n--not-a-boundary\r\n"


def _cxf_body() -> tuple[bytes, str]:
    """Shaped like Apache CXF's MTOM output (CRLF, uuid boundary, start with <>)."""
    boundary = "uuid:6b5f1d1e-0000-4000-8000-000000000001"
    body = (
        f"--{boundary}\r\n"
        'Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\n'
        "Content-Transfer-Encoding: binary\r\n"
        "Content-ID: <root.message@cxf.apache.org>\r\n\r\n"
        "<root/>\r\n"
        f"--{boundary}\r\n"
        "Content-Type: application/zip\r\n"
        "Content-Transfer-Encoding: binary\r\n"
        "Content-ID: <a1@cxf.apache.org>\r\n\r\n"
    ).encode() + ZIP + f"\r\n--{boundary}--".encode()
    content_type = (f'multipart/related; type="application/xop+xml"; boundary="{boundary}"; '
                    'start="<root.message@cxf.apache.org>"; start-info="application/soap+xml"')
    return body, content_type


def _wcf_body() -> tuple[bytes, str]:
    """Shaped like WCF's MTOM output: SOAP 1.1 root, URL-like Content-IDs, preamble."""
    boundary = "uuid:0ca0e16e-feb1-426c-97d8-c4508ada5e82+id=1"
    body = (
        "This is a preamble.\r\n"
        f"--{boundary}\r\n"
        "Content-ID: <http://tempuri.org/0>\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        'Content-Type: application/xop+xml;charset=utf-8;type="text/xml"\r\n\r\n'
        "<root/>\r\n"
        f"--{boundary}\r\n"
        "Content-ID: <http://tempuri.org/1/636123>\r\n"
        "Content-Transfer-Encoding: binary\r\n"
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode() + ZIP + f"\r\n--{boundary}--\r\n".encode()
    content_type = (f'multipart/related;type="application/xop+xml";boundary="{boundary}";'
                    'start="<http://tempuri.org/0>";start-info="text/xml"')
    return body, content_type


def test_parse_cxf_shaped_body() -> None:
    body, content_type = _cxf_body()
    related = parse_related(body, parse_media_type(content_type))
    assert related.root == b"<root/>"
    assert related.root_type.param("type") == "application/soap+xml"
    assert related.parts == {"a1@cxf.apache.org": ZIP}


def test_parse_wcf_shaped_body_with_percent_encoded_cid() -> None:
    body, content_type = _wcf_body()
    related = parse_related(body, parse_media_type(content_type))
    assert related.root == b"<root/>"
    cid = cid_from_href("cid:http%3A%2F%2Ftempuri.org%2F1%2F636123")
    assert related.parts[cid] == ZIP


def test_parse_lf_only_line_breaks() -> None:
    body, content_type = _cxf_body()
    lf_body = body.replace(b"\r\n", b"\n")
    related = parse_related(lf_body, parse_media_type(content_type))
    assert related.root == b"<root/>"
    assert related.parts["a1@cxf.apache.org"] == ZIP.replace(b"\r\n", b"\n")


def test_parse_root_is_first_part_without_start() -> None:
    body, content_type = _cxf_body()
    related = parse_related(body, parse_media_type(content_type.split("; start=")[0]))
    assert related.root == b"<root/>"


def test_parse_base64_part() -> None:
    encoded = base64.encodebytes(ZIP)
    body = (b"--b\r\nContent-Type: application/xop+xml; type=\"text/xml\"\r\n"
            b"Content-ID: <r>\r\n\r\n<root/>\r\n--b\r\nContent-ID: <z>\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n" + encoded + b"\r\n--b--")
    related = parse_related(body, parse_media_type('multipart/related; boundary=b; start="<r>"'))
    assert related.parts["z"] == ZIP


def test_build_then_parse_round_trip() -> None:
    body, content_type = build_related(
        b"<env/>", "application/soap+xml", {"z@x": Attachment(ZIP, "application/zip")},
        start_info="application/soap+xml", action="sendDocument")
    media = parse_media_type(content_type)
    assert media.value == "multipart/related"
    assert media.param("type") == "application/xop+xml"
    assert media.param("start-info") == "application/soap+xml"
    assert media.param("action") == "sendDocument"
    related = parse_related(body, media)
    assert related.root == b"<env/>"
    assert related.parts == {"z@x": ZIP}


def test_build_picks_boundary_absent_from_content() -> None:
    body, content_type = build_related(b"<env/>", "text/xml", {}, start_info="text/xml")
    boundary = parse_media_type(content_type).param("boundary")
    assert boundary is not None
    assert body.count(f"--{boundary}".encode()) == 2  # opening + closing delimiter


def test_href_round_trip() -> None:
    cid = "http://tempuri.org/1/6 3"
    assert cid_from_href(href_for_cid(cid)) == cid


def test_cid_from_href_refuses_other_schemes() -> None:
    with pytest.raises(MalformedMessage):
        cid_from_href("http://example.com/x")


@pytest.mark.parametrize("value", [None, "", "   ", "garbage", ";;;"])
def test_parse_media_type_refuses_garbage(value: str | None) -> None:
    with pytest.raises(UnsupportedMediaType):
        parse_media_type(value)


def test_parse_media_type_lowercases_type_and_param_names() -> None:
    media = parse_media_type('Application/SOAP+XML; Charset=UTF-8; Action="x"')
    assert (media.value, media.param("charset"), media.param("ACTION")) == (
        "application/soap+xml", "UTF-8", "x")


GOOD_BODY, GOOD_TYPE = _cxf_body()


@pytest.mark.parametrize(("body", "content_type", "reason"), [
    (GOOD_BODY, "multipart/related; type=\"application/xop+xml\"", "boundary"),
    (GOOD_BODY, "multipart/related; boundary=\"" + "x" * 71 + "\"", "boundary"),
    (GOOD_BODY, "multipart/related; boundary=\"ğ\"", "boundary"),
    (b"no delimiters at all", GOOD_TYPE, "boundary"),
    (GOOD_BODY[: len(GOOD_BODY) // 2], GOOD_TYPE, "kapanış"),
    (GOOD_BODY.replace(b"uuid:6b5f1d1e-0000-4000-8000-000000000001\r\n", b"uuid:6b5f1d1e-0000-4000"
                       b"-8000-000000000001 junk\r\n", 1), GOOD_TYPE, "boundary satırı"),
    (GOOD_BODY, GOOD_TYPE.replace("root.message", "other"), "kök parça"),
    (GOOD_BODY.replace(b"Content-ID: <a1@cxf.apache.org>\r\n", b""), GOOD_TYPE, "Content-ID"),
    (GOOD_BODY.replace(b"<a1@cxf.apache.org>", b"<root.message@cxf.apache.org>"), GOOD_TYPE,
     "iki kez"),
    (GOOD_BODY.replace(b"Content-Transfer-Encoding: binary\r\nContent-ID: <a1",
                       b"Content-Transfer-Encoding: quoted-printable\r\nContent-ID: <a1"),
     GOOD_TYPE, "Content-Transfer-Encoding"),
    (GOOD_BODY.replace(b"Content-Type: application/zip\r\n", b"this is no header\r\n"),
     GOOD_TYPE, "başlığı"),
    (GOOD_BODY.replace(b"Content-Type: application/zip\r\n",
                       b"X-Pad: " + b"a" * 20000 + b"\r\n"), GOOD_TYPE, "uzun"),
    (GOOD_BODY.replace(b"\r\n\r\n<root/>", b"\r\n<root/>"), GOOD_TYPE, "başlık"),
])
def test_parse_refuses_broken_bodies(body: bytes, content_type: str, reason: str) -> None:
    with pytest.raises(MalformedMessage, match=reason):
        parse_related(body, parse_media_type(content_type))


def test_parse_refuses_too_many_parts() -> None:
    part = b"--b\r\nContent-ID: <p%d>\r\n\r\nx\r\n"
    body = b"".join(part % i for i in range(20)) + b"--b--"
    with pytest.raises(MalformedMessage, match="en çok"):
        parse_related(body, parse_media_type("multipart/related; boundary=b"), max_parts=8)


def test_parse_refuses_non_xml_root_type() -> None:
    body = b"--b\r\nContent-Type: image/png\r\nContent-ID: <r>\r\n\r\nPNG\r\n--b--"
    with pytest.raises(UnsupportedMediaType):
        parse_related(body, parse_media_type("multipart/related; boundary=b"))


def test_parse_refuses_bad_base64_part() -> None:
    body = (b"--b\r\nContent-Type: text/xml\r\n\r\n<r/>\r\n--b\r\nContent-ID: <z>\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n--b--")
    with pytest.raises(MalformedMessage, match="base64"):
        parse_related(body, parse_media_type("multipart/related; boundary=b"))


def test_parse_refuses_empty_multipart() -> None:
    with pytest.raises(MalformedMessage, match="parça yok"):
        parse_related(b"--b--\r\n", parse_media_type("multipart/related; boundary=b"))
