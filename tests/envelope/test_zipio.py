"""Zip transport: naming, MD5, and safe unzipping of untrusted zips (each failure's GİB code)."""

from __future__ import annotations

import io
import stat
import struct
import tracemalloc
import zipfile
import zlib
from datetime import datetime
from pathlib import Path

import pytest

from entegrator.envelope import (
    EnvelopeError,
    ZipLimits,
    check_md5,
    envelope_id_from_file_name,
    md5_hex,
    md5_matches,
    unzip,
    zip_envelope,
)
from entegrator.envelope.zipio import DEFAULT_LIMITS, zip_overhead

ENVELOPE_ID = "e002da78-223f-438c-addb-16badeb047b5"
XML = b'<?xml version="1.0" encoding="UTF-8"?>\n<a>zarf</a>'
MOMENT = datetime(2026, 1, 5, 10, 30, 0)


def _zip(
    entries: list[tuple[zipfile.ZipInfo | str, bytes]], method: int = zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return buffer.getvalue()


def _code(data: bytes, limits: ZipLimits = DEFAULT_LIMITS) -> int | None:
    with pytest.raises(EnvelopeError) as caught:
        unzip(data, limits=limits)
    return caught.value.gib_code


def _raw_zip(name: bytes, compressed: bytes, *, crc: int, size: int, method: int = 8) -> bytes:
    """A one-entry zip written by hand, so sizes and CRC say whatever the test wants."""
    local = (
        struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(compressed),
            size,
            len(name),
            0,
        )
        + name
    )
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0,
            method,
            0,
            0x21,
            crc,
            len(compressed),
            size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            0,
        )
        + name
    )
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(central), len(local) + len(compressed), 0
    )
    return local + compressed + central + end


# --- building -----------------------------------------------------------------------------


def test_zip_holds_exactly_the_envelope_xml_under_its_id() -> None:
    zipped = zip_envelope(XML, ENVELOPE_ID, modified=MOMENT)

    with zipfile.ZipFile(io.BytesIO(zipped.data)) as archive:
        assert archive.namelist() == [f"{ENVELOPE_ID}.xml"]
        assert archive.read(f"{ENVELOPE_ID}.xml") == XML
    assert zipped.file_name == f"{ENVELOPE_ID}.zip"
    assert zipped.md5 == md5_hex(zipped.data)


def test_zip_is_deterministic() -> None:
    assert zip_envelope(XML, ENVELOPE_ID, modified=MOMENT) == zip_envelope(
        XML, ENVELOPE_ID, modified=MOMENT
    )


def test_zip_overhead_is_exact() -> None:
    zipped = zip_envelope(XML, ENVELOPE_ID, modified=MOMENT)
    deflated = zlib.compressobj(6, zlib.DEFLATED, -15)

    assert len(zipped.data) == len(deflated.compress(XML) + deflated.flush()) + zip_overhead(
        f"{ENVELOPE_ID}.xml"
    )


def test_zip_of_old_date_is_clamped_to_dos_epoch() -> None:
    zipped = zip_envelope(XML, ENVELOPE_ID, modified=datetime(1970, 1, 1))

    assert unzip(zipped.data).data == XML


def test_sample_zip_md5_matches_its_md5_file(samples_dir: Path) -> None:
    folder = samples_dir / "envelope-zip"
    data = (folder / f"{ENVELOPE_ID}.zip").read_bytes()

    assert md5_matches(data, (folder / f"{ENVELOPE_ID}.zip.md5").read_text())


# --- MD5 and names ------------------------------------------------------------------------


def test_md5_compares_case_insensitively() -> None:
    digest = md5_hex(b"zarf")

    assert md5_matches(b"zarf", digest.upper())
    assert md5_matches(b"zarf", f" {digest} ")


@pytest.mark.parametrize("wrong", ["", "0" * 32, "z" * 32, "abc", None, 12])
def test_md5_mismatch_is_false(wrong: object) -> None:
    assert md5_matches(b"zarf", wrong) is False  # type: ignore[arg-type]


def test_check_md5_raises_2000() -> None:
    with pytest.raises(EnvelopeError) as caught:
        check_md5(b"zarf", md5_hex(b"zarf!"))

    assert caught.value.gib_code == 2000


def test_check_md5_accepts_upper_case() -> None:
    check_md5(b"zarf", md5_hex(b"zarf").upper())


def test_file_name_gives_the_envelope_id() -> None:
    assert envelope_id_from_file_name(f"{ENVELOPE_ID.upper()}.ZIP") == ENVELOPE_ID.upper()


@pytest.mark.parametrize(
    "name",
    [
        f"{ENVELOPE_ID}.xml",
        f"{ENVELOPE_ID}.zip.zip",
        "zarf.zip",
        f"../{ENVELOPE_ID}.zip",
        f" {ENVELOPE_ID}.zip",
        ENVELOPE_ID,
        "",
    ],
)
def test_bad_file_name_is_2006(name: str) -> None:
    with pytest.raises(EnvelopeError) as caught:
        envelope_id_from_file_name(name)

    assert caught.value.gib_code == 2006


# --- unzip: each failure's code -------------------------------------------------------------


def test_unzip_returns_the_single_entry() -> None:
    entry = unzip(_zip([(f"{ENVELOPE_ID}.xml", XML)]))

    assert (entry.name, entry.data) == (f"{ENVELOPE_ID}.xml", XML)


def test_stored_entry_is_accepted() -> None:
    assert unzip(_zip([(f"{ENVELOPE_ID}.xml", XML)], zipfile.ZIP_STORED)).data == XML


@pytest.mark.parametrize(
    "data", [XML, b"", b"\x1f\x8b\x08gzip", b"Rar!\x1a\x07\x00", b"MZ" + bytes(100)]
)
def test_not_a_zip_is_1110(data: bytes) -> None:
    assert _code(data) == 1110


@pytest.mark.parametrize("cut", [10, 40, -30])
def test_truncated_zip_is_1130(cut: int) -> None:
    assert _code(_zip([(f"{ENVELOPE_ID}.xml", XML * 50)])[:cut]) == 1130


def test_corrupted_data_is_1130() -> None:
    data = bytearray(_zip([(f"{ENVELOPE_ID}.xml", XML * 50)]))
    data[60] ^= 0xFF

    assert _code(bytes(data)) == 1130


def test_oversized_zip_is_refused_unread() -> None:
    assert _code(_zip([(f"{ENVELOPE_ID}.xml", XML)]), ZipLimits(max_zip_bytes=50)) == 1130


def test_empty_zip_is_1131() -> None:
    assert _code(_zip([])) == 1131


def test_two_entries_is_1131() -> None:
    assert _code(_zip([(f"{ENVELOPE_ID}.xml", XML), ("other.xml", XML)])) == 1131


def test_directory_entry_is_1131() -> None:
    assert _code(_zip([(f"{ENVELOPE_ID}/", b"")])) == 1131


def test_symlink_entry_is_1131() -> None:
    info = zipfile.ZipInfo(f"{ENVELOPE_ID}.xml")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16

    assert _code(_zip([(info, b"/etc/passwd")])) == 1131


@pytest.mark.parametrize(
    "name",
    [
        "../x.xml",
        "../../etc/passwd.xml",
        "/abs.xml",
        "a/b.xml",
        "..\\x.xml",
        "C:x.xml",
        "C:\\x.xml",
        "x\n.xml",
        " x.xml",
        "..xml",
    ],
)
def test_path_tricks_are_1133(name: str) -> None:
    assert _code(_zip([(zipfile.ZipInfo(name), XML)])) == 1133


def test_nul_in_entry_name_is_refused() -> None:
    """zipfile cuts a name at NUL ("x.xml\\0.exe" reads as "x.xml"); "x\\0.xml" reads as
    "x", which is not an XML file name."""
    data = _raw_zip(b"x\x00.xml", zlib.compress(XML)[2:-4], crc=zlib.crc32(XML), size=len(XML))

    assert _code(data) == 1132


def test_non_xml_entry_is_1132() -> None:
    assert _code(_zip([(f"{ENVELOPE_ID}.txt", XML)])) == 1132


def test_encrypted_entry_is_1130() -> None:
    compressed = zlib.compress(XML)[2:-4]
    data = bytearray(
        _raw_zip(f"{ENVELOPE_ID}.xml".encode(), compressed, crc=zlib.crc32(XML), size=len(XML))
    )
    struct.pack_into("<H", data, 6, 1)  # local header: encrypted
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<H", data, central + 8, 1)  # central directory: encrypted

    assert _code(bytes(data)) == 1130


def test_unsupported_compression_is_1130() -> None:
    assert _code(_zip([(f"{ENVELOPE_ID}.xml", XML)], zipfile.ZIP_BZIP2)) == 1130


def test_local_name_differing_from_directory_is_1130() -> None:
    data = bytearray(_zip([(f"{ENVELOPE_ID}.xml", XML)]))
    data[30] = ord("X")  # first byte of the local header's file name

    assert _code(bytes(data)) == 1130


# --- zip bombs ----------------------------------------------------------------------------

_GIB = 1024 * 1024 * 1024


def _zeros_stream(total: int) -> tuple[bytes, int]:
    """Raw deflate of ``total`` zero bytes, and its CRC, without allocating ``total``.

    A full flush after each 1 MiB block resets the compressor, so every block compresses to
    the same bytes and the stream is that block repeated."""
    block = bytes(1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush()
    crc = 0
    for _ in range(total // len(block)):
        crc = zlib.crc32(block, crc)
    return unit * (total // len(block)) + tail, crc


@pytest.fixture(scope="module")
def gigabyte_of_zeros() -> tuple[bytes, int]:
    return _zeros_stream(_GIB)


def test_zeros_stream_really_inflates_to_zeros() -> None:
    stream, crc = _zeros_stream(3 * 1024 * 1024)

    assert zlib.decompress(stream, -15) == bytes(3 * 1024 * 1024)
    assert crc == zlib.crc32(bytes(3 * 1024 * 1024))


def test_gigabyte_bomb_is_refused_with_bounded_memory(gigabyte_of_zeros: tuple[bytes, int]) -> None:
    stream, crc = gigabyte_of_zeros
    bomb = _raw_zip(f"{ENVELOPE_ID}.xml".encode(), stream, crc=crc, size=_GIB)
    limits = ZipLimits(max_zip_bytes=len(bomb) + 1)

    tracemalloc.start()
    try:
        code = _code(bomb, limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert code == 1130
    assert peak < 16 * 1024 * 1024


def test_bomb_lying_about_its_size_is_refused_with_bounded_memory(
    gigabyte_of_zeros: tuple[bytes, int],
) -> None:
    """The headers claim 10 kB: zipfile stops inflating there, and the CRC then fails."""
    stream, _ = gigabyte_of_zeros
    bomb = _raw_zip(
        f"{ENVELOPE_ID}.xml".encode(), stream, crc=zlib.crc32(bytes(10_000)) ^ 1, size=10_000
    )
    limits = ZipLimits(max_zip_bytes=len(bomb) + 1)

    tracemalloc.start()
    try:
        code = _code(bomb, limits)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert code == 1130
    assert peak < 16 * 1024 * 1024


def test_bomb_lying_about_its_size_inflates_no_further_than_declared(
    gigabyte_of_zeros: tuple[bytes, int],
) -> None:
    stream, _ = gigabyte_of_zeros
    bomb = _raw_zip(
        f"{ENVELOPE_ID}.xml".encode(), stream, crc=zlib.crc32(bytes(10_000)), size=10_000
    )

    entry = unzip(bomb, limits=ZipLimits(max_zip_bytes=len(bomb) + 1))

    assert entry.data == bytes(10_000)


def test_high_ratio_below_the_size_cap_is_refused() -> None:
    stream, crc = _zeros_stream(4 * 1024 * 1024)
    data = _raw_zip(f"{ENVELOPE_ID}.xml".encode(), stream, crc=crc, size=4 * 1024 * 1024)

    assert _code(data) == 1130


def test_content_over_the_xml_cap_is_refused() -> None:
    data = _zip([(f"{ENVELOPE_ID}.xml", XML * 100)])

    assert _code(data, ZipLimits(max_xml_bytes=len(XML) * 10)) == 1130


def test_small_highly_compressible_entry_is_accepted() -> None:
    content = b"<a>" + b" " * 500_000 + b"</a>"

    assert unzip(_zip([(f"{ENVELOPE_ID}.xml", content)])).data == content
