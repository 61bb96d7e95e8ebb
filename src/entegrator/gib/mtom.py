"""MTOM/XOP packaging: ``multipart/related`` bodies with an ``application/xop+xml`` root part.

GİB's EFatura service sends ``binaryData`` with MTOM (Ek-3 §2): the SOAP envelope travels as the
root MIME part and refers to the zip bytes in another part through
``<xop:Include href="cid:…"/>``. This module reads and writes such bodies (W3C XOP/MTOM,
RFC 2387 multipart/related, RFC 2392 ``cid:`` URLs). It is strict about structure and
generous about style: LF-only line breaks, quoted or bare parameters, percent-encoded ``cid:``
references (WCF) and base64-encoded parts are accepted; anything it cannot read raises
:class:`MalformedMessage` — never another exception. The caller has already capped the body
size.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from email.utils import collapse_rfc2231_value
from urllib.parse import quote, unquote

from entegrator.gib.errors import MalformedMessage, UnsupportedMediaType

__all__ = [
    "XOP_MEDIA_TYPE",
    "Attachment",
    "MediaType",
    "Related",
    "build_related",
    "cid_from_href",
    "href_for_cid",
    "parse_media_type",
    "parse_related",
]

XOP_MEDIA_TYPE = "application/xop+xml"
_MAX_BOUNDARY = 70  # RFC 2046 §5.1.1
_MAX_HEADER_BLOCK = 16 * 1024
_ALLOWED_ENCODINGS = frozenset({"", "binary", "8bit", "7bit", "base64"})


@dataclass(frozen=True, slots=True)
class MediaType:
    """A parsed Content-Type value: lower-case ``type/subtype`` and its parameters."""

    value: str
    params: Mapping[str, str]

    def param(self, name: str) -> str | None:
        """The parameter ``name`` (names are case-insensitive), or None."""
        return self.params.get(name.lower())


@dataclass(frozen=True, slots=True)
class Attachment:
    """One binary MIME part referenced from the XML by ``cid:``."""

    content: bytes
    media_type: str = "application/octet-stream"


@dataclass(frozen=True, slots=True)
class Related:
    """A parsed multipart/related body: the root part and the other parts by Content-ID."""

    root: bytes
    root_type: MediaType
    parts: Mapping[str, bytes]


def parse_media_type(value: str | None) -> MediaType:
    """Parse a Content-Type header value (RFC 2045 syntax, quoted parameters allowed)."""
    if not value or not value.strip():
        raise UnsupportedMediaType("Content-Type başlığı yok")
    header = Message()
    header["content-type"] = value
    params = header.get_params()
    if not params or "/" not in params[0][0]:
        raise UnsupportedMediaType(f"Content-Type okunamadı: {value[:200]!r}")
    main = params[0][0].strip().lower()
    rest: dict[str, str] = {}
    for key, raw in params[1:]:
        rest.setdefault(key.strip().lower(), collapse_rfc2231_value(raw).strip())
    return MediaType(main, rest)


def cid_from_href(href: str) -> str:
    """The Content-ID a ``cid:`` URL names (RFC 2392: percent-decoded, without ``<>``)."""
    if not href.lower().startswith("cid:"):
        raise MalformedMessage(f"xop:Include href 'cid:' ile başlamalı: {href[:100]!r}")
    return unquote(href[4:]).strip().strip("<>")


def href_for_cid(content_id: str) -> str:
    """The ``cid:`` URL for a Content-ID."""
    return "cid:" + quote(content_id, safe="@.-_~!$&'()*+,;=:")


def parse_related(body: bytes, media_type: MediaType, *, max_parts: int = 8) -> Related:
    """Split a multipart/related body into its root part and the other parts."""
    boundary = media_type.param("boundary")
    if not boundary or len(boundary) > _MAX_BOUNDARY or "\r" in boundary or "\n" in boundary:
        raise MalformedMessage("multipart gövdede geçerli bir boundary parametresi yok")
    try:
        delimiter = b"--" + boundary.encode("ascii")
    except UnicodeEncodeError as exc:
        raise MalformedMessage("multipart boundary ASCII olmalı") from exc
    raw_parts = _split(body, delimiter, max_parts)
    parts = [_read_part(raw) for raw in raw_parts]
    if not parts:
        raise MalformedMessage("multipart gövdede hiç parça yok")

    ids = [_content_id(headers) for headers, _ in parts]
    repeated = {cid for cid in ids if cid and ids.count(cid) > 1}
    if repeated:
        raise MalformedMessage(f"aynı Content-ID iki kez kullanılmış: {sorted(repeated)[0]!r}")
    start = media_type.param("start")
    start_id = start.strip().strip("<>") if start else None
    root_index = 0
    if start_id:
        if start_id not in ids:
            raise MalformedMessage(f"start parametresindeki kök parça bulunamadı: {start_id!r}")
        root_index = ids.index(start_id)
    root_headers, root = parts[root_index]
    root_type = parse_media_type(root_headers.get("content-type", "application/octet-stream"))
    if root_type.value not in (XOP_MEDIA_TYPE, "application/soap+xml", "text/xml"):
        raise UnsupportedMediaType(f"MTOM kök parçasının türü desteklenmiyor: {root_type.value}")

    others: dict[str, bytes] = {}
    for index, ((_, content), content_id) in enumerate(zip(parts, ids, strict=True)):
        if index == root_index:
            continue
        if not content_id:
            raise MalformedMessage("MTOM ek parçasında Content-ID yok")
        others[content_id] = content
    return Related(root=root, root_type=root_type, parts=others)


def _split(body: bytes, delimiter: bytes, max_parts: int) -> list[bytes]:
    if body.startswith(delimiter):
        pos = len(delimiter)
    else:
        first = body.find(b"\n" + delimiter)
        if first < 0:
            raise MalformedMessage("multipart gövdede boundary bulunamadı")
        pos = first + 1 + len(delimiter)
    found: list[bytes] = []
    while True:
        if body.startswith(b"--", pos):
            return found
        line_end = body.find(b"\n", pos)
        if line_end < 0 or body[pos:line_end].strip(b" \t\r"):
            raise MalformedMessage("multipart boundary satırı bozuk")
        start = line_end + 1
        following = body.find(b"\n" + delimiter, start)
        if following < 0:
            raise MalformedMessage("multipart gövde kapanış boundary'si olmadan bitiyor")
        end = following - 1 if following > start and body[following - 1] == 0x0D else following
        found.append(body[start:end])
        if len(found) > max_parts:
            raise MalformedMessage(f"multipart gövdede en çok {max_parts} parça olabilir")
        pos = following + 1 + len(delimiter)


def _read_part(raw: bytes) -> tuple[dict[str, str], bytes]:
    if raw.startswith((b"\r\n", b"\n")):
        head, content = b"", raw[2:] if raw.startswith(b"\r\n") else raw[1:]
    else:
        cuts = [(i, n) for i, n in ((raw.find(b"\r\n\r\n"), 4), (raw.find(b"\n\n"), 2)) if i >= 0]
        if not cuts:
            raise MalformedMessage("MIME parçasında başlık/gövde ayrımı yok")
        index, width = min(cuts)
        head, content = raw[:index], raw[index + width:]
    if len(head) > _MAX_HEADER_BLOCK:
        raise MalformedMessage("MIME parça başlıkları çok uzun")
    headers = _parse_headers(head)
    encoding = headers.get("content-transfer-encoding", "").strip().lower()
    if encoding not in _ALLOWED_ENCODINGS:
        raise MalformedMessage(f"desteklenmeyen Content-Transfer-Encoding: {encoding[:40]!r}")
    if encoding == "base64":
        try:
            content = base64.b64decode(b"".join(content.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise MalformedMessage("base64 MIME parçası çözülemedi") from exc
    return headers, content


def _parse_headers(head: bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    last: str | None = None
    for line in head.decode("latin-1").splitlines():
        if not line.strip():
            continue
        if line[0] in " \t" and last is not None:
            headers[last] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip() or " " in name.strip():
            raise MalformedMessage(f"MIME parça başlığı okunamadı: {line[:80]!r}")
        last = name.strip().lower()
        headers.setdefault(last, value.strip())
    return headers


def _content_id(headers: Mapping[str, str]) -> str | None:
    value = headers.get("content-id")
    return value.strip().strip("<>").strip() if value else None


def build_related(root: bytes, root_media_type: str, attachments: Mapping[str, Attachment], *,
                  start_info: str, action: str | None = None) -> tuple[bytes, str]:
    """Package ``root`` (a SOAP envelope) and ``attachments`` as an MTOM body.

    ``root_media_type`` is the SOAP media type the XOP root stands for (``application/soap+xml``
    or ``text/xml``); ``start_info`` repeats it on the multipart header. Returns the body and
    its Content-Type header value.
    """
    root_id = f"root.{uuid.uuid4().hex}@entegrator"
    contents = [root, *(a.content for a in attachments.values())]
    boundary = _fresh_boundary(contents)
    action_param = f'; action="{action}"' if action else ""
    chunks = [
        _part_bytes(boundary, root_id,
                    f'{XOP_MEDIA_TYPE}; charset=UTF-8; type="{root_media_type}"{action_param}',
                    root),
    ]
    chunks += [_part_bytes(boundary, cid, a.media_type, a.content)
               for cid, a in attachments.items()]
    body = b"".join(chunks) + f"--{boundary}--\r\n".encode("ascii")
    content_type = (
        f'multipart/related; type="{XOP_MEDIA_TYPE}"; boundary="{boundary}"; '
        f'start="<{root_id}>"; start-info="{start_info}"{action_param}'
    )
    return body, content_type


def _fresh_boundary(contents: list[bytes]) -> str:
    while True:
        boundary = f"MIMEBoundary_{uuid.uuid4().hex}"
        marker = boundary.encode("ascii")
        if not any(marker in content for content in contents):
            return boundary


def _part_bytes(boundary: str, content_id: str, media_type: str, content: bytes) -> bytes:
    head = (
        f"--{boundary}\r\n"
        f"Content-Type: {media_type}\r\n"
        "Content-Transfer-Encoding: binary\r\n"
        f"Content-ID: <{content_id}>\r\n\r\n"
    )
    return head.encode("ascii") + content + b"\r\n"
