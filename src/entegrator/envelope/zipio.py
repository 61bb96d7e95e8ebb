"""Envelope transport form: ``<uuid>.zip`` holding exactly ``<uuid>.xml``, plus its MD5.

GİB's rules (Ek-3 §4–5, §7; Ek-2 §4; gib-protocol.md §2.5): standard ZIP only; exactly one
file, named after the envelope's ``sh:InstanceIdentifier``; the zip itself is named the same
way and is the ``fileName`` of ``sendDocument``; ``hash`` is the MD5 of the zip bytes as 32
hex characters (letter case unspecified, so compared case-insensitively).

:func:`unzip` reads untrusted zips safely: an input size cap; standard ZIP signature
(else 1110); only one regular, unencrypted, stored/deflated entry (1131/1130); no path tricks
in its name (absolute paths, ``..``, separators, drive letters, control characters: 1133);
the declared size and compression ratio are checked before anything is decompressed, and the
entry is then read in chunks with a byte cap, because ``ZipInfo.file_size`` is written by the
attacker (zipfile stops at the declared size and then fails the CRC: 1130). A zip bomb thus
never allocates more than the cap.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from entegrator.envelope.errors import EnvelopeError
from entegrator.ubl.identifiers import ettn

__all__ = [
    "COMPRESS_LEVEL",
    "DEFAULT_LIMITS",
    "ZipEntry",
    "ZipLimits",
    "ZippedEnvelope",
    "check_md5",
    "envelope_id_from_file_name",
    "is_zip",
    "md5_hex",
    "md5_matches",
    "unzip",
    "zip_envelope",
    "zip_overhead",
]

_MIB: Final = 1024 * 1024

#: Deflate level of the zips this part writes (zlib's default; packing measures with it).
COMPRESS_LEVEL: Final = 6

_ZIP_SIGNATURES: Final = (b"PK\x03\x04", b"PK\x05\x06")
_HEX32: Final = re.compile(r"[0-9A-Fa-f]{32}")
_UNSAFE_NAME: Final = re.compile(r"(^[/\\])|([/\\:])|(\.\.)|[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """Caps for reading an untrusted envelope zip (all configurable, safe defaults).

    GİB limits a zipped envelope to 5 MB; ``max_zip_bytes`` leaves room above that.
    ``max_ratio`` applies once the entry is larger than ``ratio_floor`` (tiny XML files
    compress extremely well and are harmless).
    """

    max_zip_bytes: int = 10 * _MIB
    max_xml_bytes: int = 100 * _MIB
    max_ratio: int = 200
    ratio_floor: int = 1 * _MIB
    chunk_size: int = 64 * 1024


#: The default caps (GİB's 5 MB envelope, generous room for XML).
DEFAULT_LIMITS: Final = ZipLimits()


@dataclass(frozen=True, slots=True)
class ZippedEnvelope:
    """An envelope in transport form: ``fileName``, ``binaryData`` and ``hash`` of sendDocument."""

    file_name: str
    data: bytes
    md5: str


@dataclass(frozen=True, slots=True)
class ZipEntry:
    """The single file of an envelope zip: its name and its (uncompressed) bytes."""

    name: str
    data: bytes


def md5_hex(data: bytes) -> str:
    """MD5 of ``data`` as 32 lower-case hex characters (the ``hash`` of sendDocument).

    >>> md5_hex(b"")
    'd41d8cd98f00b204e9800998ecf8427e'
    """
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def md5_matches(data: bytes, expected: str) -> bool:
    """True if ``expected`` is the MD5 of ``data``, in either letter case; never raises.

    >>> md5_matches(b"", "D41D8CD98F00B204E9800998ECF8427E")
    True
    """
    if not isinstance(expected, str):
        return False
    value = expected.strip()
    return bool(_HEX32.fullmatch(value)) and value.lower() == md5_hex(data)


def check_md5(data: bytes, expected: str) -> None:
    """Raise :class:`EnvelopeError` (GİB fault 2000) unless ``expected`` is ``data``'s MD5."""
    if not md5_matches(data, expected):
        raise EnvelopeError(
            f"Özet değerler eşit değil: gönderilen {str(expected)[:40]!r}, "
            f"hesaplanan {md5_hex(data)!r}",
            gib_code=2000,
        )


def envelope_id_from_file_name(file_name: str) -> str:
    """Return the envelope id of ``<uuid>.zip``; else :class:`EnvelopeError` (fault 2006).

    >>> envelope_id_from_file_name("e002da78-223f-438c-addb-16badeb047b5.zip")
    'e002da78-223f-438c-addb-16badeb047b5'
    """
    if not isinstance(file_name, str) or not file_name.lower().endswith(".zip"):
        raise EnvelopeError(
            f"Geçersiz zarf adı: {file_name!r} (<zarf UUID>.zip olmalı)", gib_code=2006
        )
    stem = file_name[: -len(".zip")]
    if not ettn.is_valid(stem) or stem != stem.strip():
        raise EnvelopeError(
            f"Geçersiz zarf adı: {file_name!r} (<zarf UUID>.zip olmalı)", gib_code=2006
        )
    return stem


def zip_overhead(entry_name: str) -> int:
    """Bytes a one-entry zip adds around the deflated data (headers, directory, end record)."""
    name = len(entry_name.encode("utf-8"))
    return 30 + name + 46 + name + 22


def zip_envelope(xml: bytes, envelope_id: str, *, modified: datetime) -> ZippedEnvelope:
    """Zip an envelope as ``<envelope_id>.zip`` holding ``<envelope_id>.xml``.

    Deterministic: the entry's timestamp is ``modified`` (the envelope's creation time),
    attributes are fixed and the deflate level is :data:`COMPRESS_LEVEL`.
    """
    info = zipfile.ZipInfo(f"{envelope_id}.xml", date_time=_dos_time(modified))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 0
    info.external_attr = 0
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            info, xml, compress_type=zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL
        )
    data = buffer.getvalue()
    return ZippedEnvelope(file_name=f"{envelope_id}.zip", data=data, md5=md5_hex(data))


def is_zip(data: bytes) -> bool:
    """True if ``data`` starts like a standard ZIP file."""
    return bytes(data[:4]) in _ZIP_SIGNATURES


def unzip(data: bytes, *, limits: ZipLimits = DEFAULT_LIMITS) -> ZipEntry:
    """Safely read the single XML file of an envelope zip (see the module docstring)."""
    if len(data) > limits.max_zip_bytes:
        raise EnvelopeError(
            f"Zip dosyası çok büyük: {len(data)} bayt (sınır {limits.max_zip_bytes})", gib_code=1130
        )
    if not is_zip(data):
        raise EnvelopeError("Gönderilen dosya zip değil", gib_code=1110)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise EnvelopeError(f"Zip dosyası açılamadı: {exc}", gib_code=1130) from exc
    with archive:
        entries = archive.infolist()
        if len(entries) != 1:
            raise EnvelopeError(
                f"Zip tam olarak bir dosya içermeli, {len(entries)} girdi var", gib_code=1131
            )
        info = entries[0]
        _check_entry(info, limits)
        return ZipEntry(name=info.filename, data=_read_capped(archive, info, limits))


def _check_entry(info: zipfile.ZipInfo, limits: ZipLimits) -> None:
    mode = info.external_attr >> 16
    if info.is_dir() or stat.S_ISLNK(mode) or stat.S_ISDIR(mode):
        raise EnvelopeError(f"Zip girdisi düz bir dosya değil: {info.filename!r}", gib_code=1131)
    if _UNSAFE_NAME.search(info.filename) or info.filename != info.filename.strip():
        raise EnvelopeError(
            f"Zip içindeki dosya adı güvenli değil: {info.filename[:80]!r}", gib_code=1133
        )
    if info.flag_bits & 0x1:
        raise EnvelopeError("Şifreli zip dosyaları açılmaz", gib_code=1130)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise EnvelopeError(
            f"Desteklenmeyen sıkıştırma yöntemi {info.compress_type} (yalnız standart ZIP)",
            gib_code=1130,
        )
    if not info.filename.lower().endswith(".xml"):
        raise EnvelopeError(f"Zip içindeki dosya XML değil: {info.filename!r}", gib_code=1132)
    if info.file_size > limits.max_xml_bytes:
        raise EnvelopeError(
            f"Zip içindeki dosya çok büyük: {info.file_size} bayt (sınır {limits.max_xml_bytes})",
            gib_code=1130,
        )
    if info.file_size > limits.ratio_floor and (
        info.file_size > limits.max_ratio * max(info.compress_size, 1)
    ):
        raise EnvelopeError(
            f"Zip sıkıştırma oranı şüpheli ({info.file_size}/{info.compress_size}); açılmadı",
            gib_code=1130,
        )


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits) -> bytes:
    cap = min(info.file_size, limits.max_xml_bytes)
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(limits.chunk_size):
                total += len(chunk)
                if total > cap:
                    raise EnvelopeError("Zip içeriği bildirilen boyuttan büyük", gib_code=1130)
                chunks.append(chunk)
    except EnvelopeError:
        raise
    except (
        zipfile.BadZipFile,
        EOFError,
        zlib.error,
        OSError,
        ValueError,
        RuntimeError,
        NotImplementedError,
    ) as exc:
        raise EnvelopeError(f"Zip dosyası açılamadı: {exc}", gib_code=1130) from exc
    if total != info.file_size:
        raise EnvelopeError("Zip içeriği bildirilen boyutla uyuşmuyor", gib_code=1130)
    return b"".join(chunks)


def _dos_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    if moment.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
