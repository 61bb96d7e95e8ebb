"""Tests of entegrator.store.archive.codec: byte-exact split/join and zstd framing."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entegrator.store.archive.codec import Codec, join, pack_skeleton, split, unpack_skeleton
from entegrator.store.archive.errors import ArchiveError

_TAGS = st.sampled_from([
    b"<cbc:EmbeddedDocumentBinaryObject mimeCode='x'>",
    b"<EmbeddedDocumentBinaryObject>",
    b"<x:EmbeddedDocumentBinaryObject a=\"1\" >",
])
_CLOSE = st.sampled_from([
    b"</cbc:EmbeddedDocumentBinaryObject>", b"</EmbeddedDocumentBinaryObject >", b"</x:Other>",
])


def _rebuild(content: bytes, min_part: int) -> bytes:
    pieces = split(content, min_part)
    parts = {hashlib.sha256(data).digest(): data for _, data in pieces.parts}
    refs = [(offset, hashlib.sha256(data).digest()) for offset, data in pieces.parts]
    restored_refs, skeleton = unpack_skeleton(pack_skeleton(pieces.skeleton, refs))
    return join(skeleton, restored_refs, parts.__getitem__)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=300), _TAGS, _CLOSE), max_size=12),
       st.integers(min_value=1, max_value=40))
def test_any_bytes_are_rebuilt_exactly(chunks: list[bytes], min_part: int) -> None:
    content = b"".join(chunks)
    assert _rebuild(content, min_part) == content


@settings(max_examples=100, deadline=None)
@given(st.binary(min_size=64, max_size=400), st.binary(max_size=80), st.binary(max_size=80))
def test_embedded_payloads_become_parts(payload: bytes, before: bytes, after: bytes) -> None:
    text = payload.replace(b"<", b"_")
    content = (before.replace(b"<", b"") + b"<cbc:EmbeddedDocumentBinaryObject>" + text
               + b"</cbc:EmbeddedDocumentBinaryObject>" + after)
    pieces = split(content, 64)
    assert [data for _, data in pieces.parts] == [text]
    assert _rebuild(content, 64) == content


def test_short_payloads_stay_in_the_skeleton() -> None:
    content = b"<a><EmbeddedDocumentBinaryObject>QUJD</EmbeddedDocumentBinaryObject></a>"
    assert split(content, 5).parts == ()
    assert split(content, 5).skeleton == content


@pytest.mark.parametrize(
    "data",
    [b"", b"XXXX", b"EAS1", b"EAS1\x01\x05", b"EAS1\x01\xff\xff\xff", b"EAS1\x01\x63" + b"\0" * 32],
)
def test_a_damaged_skeleton_is_refused(data: bytes) -> None:
    with pytest.raises(ArchiveError):
        unpack_skeleton(data)


def test_compression_round_trips_with_and_without_a_dictionary() -> None:
    codec = Codec(6)
    data = b"<Invoice>" + b"<cbc:Note>merhaba</cbc:Note>" * 50 + b"</Invoice>"
    dictionary = (1, b"<cbc:Note>merhaba</cbc:Note>" * 40)
    for used in (None, dictionary):
        packed = codec.compress(data, used)
        assert len(packed) < len(data)
        assert codec.decompress(packed, len(data), used) == data


def test_decompression_refuses_damage_and_oversize() -> None:
    codec = Codec(3)
    data = b"abc" * 1000
    packed = bytearray(codec.compress(data))
    with pytest.raises(ArchiveError):
        codec.decompress(bytes(packed), 100)
    packed[-2] ^= 0xFF
    with pytest.raises(ArchiveError):
        codec.decompress(bytes(packed), len(data))
