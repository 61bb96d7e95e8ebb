"""``CONTENT`` payloads: base64 text that holds a UBL document, zipped or not.

İzibiz treats ``CONTENT`` as a ZIP with one XML file unless ``REQUEST_HEADER/COMPRESSED`` is
``N``; EDM clients send ``N`` and raw UBL (integrator-api.md §2, §4.5, §8.4). Reading is
generous — a zip is opened whatever the flag says and plain XML is taken even under
``COMPRESSED=Y`` — and refuses only what is neither (10007). Zips come from outside, so
:func:`read_single_entry` caps sizes, the compression ratio and the entry count, and reads
in chunks (a zip bomb never allocates more than the cap). Answers are zipped when the
client asked for it, one ``<name>.xml`` entry each.
"""

from __future__ import annotations

import base64
import binascii
import io
import zipfile
import zlib
from typing import Final

from entegrator.api.soap.errors import BadRequest, NotZip, TooLarge

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "decode_base64",
    "open_content",
    "read_single_entry",
    "zip_one",
]

#: Largest single document we unpack (a UBL-TR invoice with attachments stays far below).
MAX_DOCUMENT_BYTES: Final = 50 * 1024 * 1024
_MAX_RATIO: Final = 200
_RATIO_FLOOR: Final = 1024 * 1024
_CHUNK: Final = 64 * 1024
_ZIP_MAGIC: Final = (b"PK\x03\x04", b"PK\x05\x06")


def decode_base64(value: str | None, name: str = "CONTENT") -> bytes:
    """The bytes of a base64 element text (whitespace allowed); BadRequest if not base64."""
    if value is None or not value.strip():
        raise BadRequest(f"{name} boş")
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise BadRequest(f"{name} geçerli bir base64 metni değil") from None


def open_content(data: bytes, *, compressed: bool, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The document in decoded ``CONTENT`` bytes: unzipped when a zip, else taken as XML."""
    if data[:4] in _ZIP_MAGIC:
        return read_single_entry(data, max_bytes=max_bytes)
    if data.lstrip()[:1] == b"<" or data[:3] == b"\xef\xbb\xbf":
        return data
    if compressed:
        raise NotZip("CONTENT bir ZIP dosyası değil (COMPRESSED=Y)")
    raise BadRequest("CONTENT bir XML belgesi değil")


def read_single_entry(data: bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> bytes:
    """The one file of a client's zip (any name), with size, ratio and count caps."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise NotZip(f"ZIP dosyası açılamadı: {exc}") from exc
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if len(entries) != 1:
            raise BadRequest(f"ZIP tam olarak bir dosya içermeli, {len(entries)} dosya var")
        info = entries[0]
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                               zipfile.ZIP_DEFLATED):
            raise BadRequest("ZIP şifreli ya da desteklenmeyen biçimde sıkıştırılmış")
        if info.file_size > max_bytes:
            raise TooLarge(f"ZIP içindeki dosya çok büyük: {info.file_size} bayt")
        if info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * max(
                info.compress_size, 1):
            raise BadRequest("ZIP sıkıştırma oranı şüpheli; açılmadı")
        return _read_capped(archive, info, min(info.file_size, max_bytes))


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                total += len(chunk)
                if total > cap:
                    raise BadRequest("ZIP içeriği bildirilen boyuttan büyük")
                chunks.append(chunk)
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError, RuntimeError,
            NotImplementedError) as exc:
        raise NotZip(f"ZIP dosyası açılamadı: {exc}") from exc
    return b"".join(chunks)


def zip_one(name: str, data: bytes) -> bytes:
    """A zip holding ``data`` as the single entry ``name`` (deflated at level 1: answers are
    zipped per document on every GetInvoice, where CPU matters more than a few bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()
