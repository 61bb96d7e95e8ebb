"""Byte-exact encoding of archived content: shared parts cut out, the rest zstd-compressed.

Every invoice we build carries the same ~36 KB base64 XSLT in
``cbc:EmbeddedDocumentBinaryObject``; suppliers repeat their logos and stylesheets too. The
archive cuts the text of every such element longer than ``min_part`` bytes out of the
document (:func:`split`), stores each distinct part once (content-addressed, like any
content) and keeps a *skeleton*: the remaining bytes plus, for each part, the offset where it
goes back and its SHA-256 (:func:`pack_skeleton`). :func:`join` puts the exact bytes back.
The cut is done on bytes, not on parsed XML, so reconstruction is exact by construction for
any input — the pattern only decides how much is shared — and every read is verified against
the document's SHA-256 anyway. Skeletons and parts are then compressed with zstd, skeletons
with a dictionary trained on earlier documents of the same kind when there is one.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

import zstandard

from entegrator.store.archive.errors import ArchiveError

__all__ = [
    "Codec",
    "Split",
    "join",
    "pack_skeleton",
    "split",
    "unpack_skeleton",
]

_MAGIC: Final = b"EAS1"
_DIGEST: Final = 32
# The text of an EmbeddedDocumentBinaryObject (any prefix), up to the first '<'.
_EMBEDDED: Final = re.compile(
    rb"<(?:[A-Za-z_][\w.\-]*:)?EmbeddedDocumentBinaryObject\b[^>]*>([^<]*)"
    rb"</(?:[A-Za-z_][\w.\-]*:)?EmbeddedDocumentBinaryObject\s*>"
)


@dataclass(frozen=True, slots=True)
class Split:
    """A document cut into a skeleton and the parts taken out of it.

    ``parts[i] = (offset, data)``: ``data`` goes back into ``skeleton`` at ``offset``
    (offsets into the skeleton, increasing).
    """

    skeleton: bytes
    parts: tuple[tuple[int, bytes], ...]


def split(content: bytes, min_part: int) -> Split:
    """Cut the embedded binary objects of at least ``min_part`` bytes out of ``content``.

    >>> s = split(b"<a><EmbeddedDocumentBinaryObject>QUJD</EmbeddedDocumentBinaryObject></a>", 4)
    >>> s.skeleton
    b'<a><EmbeddedDocumentBinaryObject></EmbeddedDocumentBinaryObject></a>'
    >>> s.parts
    ((33, b'QUJD'),)
    """
    pieces: list[bytes] = []
    parts: list[tuple[int, bytes]] = []
    position = skeleton_length = 0
    for match in _EMBEDDED.finditer(content):
        start, end = match.span(1)
        if end - start < min_part:
            continue
        pieces.append(content[position:start])
        skeleton_length += start - position
        parts.append((skeleton_length, content[start:end]))
        position = end
    if not parts:
        return Split(content, ())
    pieces.append(content[position:])
    return Split(b"".join(pieces), tuple(parts))


def pack_skeleton(skeleton: bytes, refs: Sequence[tuple[int, bytes]]) -> bytes:
    """Serialize a skeleton with its part references ``(offset, sha256 digest)``."""
    out = bytearray(_MAGIC)
    out += _varint(len(refs))
    previous = 0
    for offset, digest in refs:
        if offset < previous or len(digest) != _DIGEST:
            raise ValueError("part references must be increasing offsets with SHA-256 digests")
        out += _varint(offset - previous)
        out += digest
        previous = offset
    out += skeleton
    return bytes(out)


def unpack_skeleton(data: bytes) -> tuple[list[tuple[int, bytes]], bytes]:
    """Read back what :func:`pack_skeleton` wrote: ``(refs, skeleton)``."""
    if not data.startswith(_MAGIC):
        raise ArchiveError("arşiv iskeleti okunamadı (tanımsız biçim)")
    position = len(_MAGIC)
    count, position = _read_varint(data, position)
    refs: list[tuple[int, bytes]] = []
    offset = 0
    for _ in range(count):
        delta, position = _read_varint(data, position)
        offset += delta
        digest = data[position : position + _DIGEST]
        if len(digest) != _DIGEST:
            raise ArchiveError("arşiv iskeleti kesik")
        refs.append((offset, digest))
        position += _DIGEST
    skeleton = data[position:]
    if refs and refs[-1][0] > len(skeleton):
        raise ArchiveError("arşiv iskeleti tutarsız (parça konumu iskeletin dışında)")
    return refs, skeleton


def join(
    skeleton: bytes, refs: Sequence[tuple[int, bytes]], part: Callable[[bytes], bytes]
) -> bytes:
    """Rebuild the document: ``part(digest)`` gives each part's bytes."""
    pieces: list[bytes] = []
    position = 0
    for offset, digest in refs:
        pieces.append(skeleton[position:offset])
        pieces.append(part(digest))
        position = offset
    pieces.append(skeleton[position:])
    return b"".join(pieces)


class Codec:
    """zstd compression with optional dictionaries; compressors are cached per thread.

    zstandard's (de)compressor objects must not be shared between threads, and building one
    with a dictionary costs more than compressing a small document, so each thread keeps its
    own per dictionary (a bounded, documented per-process cache).
    """

    def __init__(self, level: int) -> None:
        self.level = level
        self._local = threading.local()

    def compress(self, data: bytes, dictionary: tuple[int, bytes] | None = None) -> bytes:
        """Compress ``data`` (with ``dictionary = (id, bytes)`` when given), with checksum."""
        return self._compressor(dictionary).compress(data)

    def decompress(
        self, data: bytes, max_size: int, dictionary: tuple[int, bytes] | None = None
    ) -> bytes:
        """Decompress ``data``; more than ``max_size`` bytes or damage raise ArchiveError."""
        try:
            declared = zstandard.frame_content_size(data)
            if declared > max_size:  # -1 = not declared: max_output_size bounds it
                raise ArchiveError("arşiv içeriği beklenenden büyük (bozuk çerçeve)")
            return self._decompressor(dictionary).decompress(data, max_output_size=max_size)
        except zstandard.ZstdError as exc:
            raise ArchiveError(f"arşiv içeriği açılamadı: {exc}") from exc

    def _compressor(self, dictionary: tuple[int, bytes] | None) -> zstandard.ZstdCompressor:
        cache = self._cache("compressors")
        key = dictionary[0] if dictionary else 0
        found = cache.get(key)
        if found is None:
            found = zstandard.ZstdCompressor(
                level=self.level,
                write_checksum=True,
                dict_data=zstandard.ZstdCompressionDict(dictionary[1]) if dictionary else None,
            )
            cache[key] = found
        return found

    def _decompressor(self, dictionary: tuple[int, bytes] | None) -> zstandard.ZstdDecompressor:
        cache = self._cache("decompressors")
        key = dictionary[0] if dictionary else 0
        found = cache.get(key)
        if found is None:
            found = zstandard.ZstdDecompressor(
                dict_data=zstandard.ZstdCompressionDict(dictionary[1]) if dictionary else None
            )
            cache[key] = found
        return found

    def _cache(self, name: str) -> dict[int, object]:
        cache = getattr(self._local, name, None)
        if cache is None or len(cache) > 64:
            cache = {}
            setattr(self._local, name, cache)
        return cache  # type: ignore[no-any-return]


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= len(data) or shift > 63:
            raise ArchiveError("arşiv iskeleti kesik")
        byte = data[position]
        position += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, position
        shift += 7
