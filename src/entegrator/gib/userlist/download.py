"""Download the GB and PK user-list zips from GİB Merkez (or the simulator).

GİB publishes ``newUserGbListxml.zip`` and ``newUserPkListxml.zip`` under ``…/EFaturaMerkez/``,
reachable only from integrators' allow-listed addresses (gib-protocol.md §5.1); integrators
refresh them at most hourly (Özel Entegrasyon Kılavuzu §4). Files go through the same
:class:`~entegrator.gib.transport.Transport` as the web service, are streamed to disk, checked
to be zips, and only then moved into place — a failed download never replaces a good list.
"""

from __future__ import annotations

import contextlib
import zipfile
from pathlib import Path

from entegrator.errors import TransportError
from entegrator.gib.errors import UserListError
from entegrator.gib.transport import Transport
from entegrator.gib.userlist.model import UserListKind

__all__ = ["DEFAULT_MAX_DOWNLOAD", "download_user_list", "download_user_lists"]

#: Cap on one downloaded zip.
DEFAULT_MAX_DOWNLOAD = 512 * 1024 * 1024


def download_user_list(transport: Transport, base_url: str, kind: UserListKind, dest_dir: Path,
                       *, max_bytes: int = DEFAULT_MAX_DOWNLOAD) -> Path:
    """Download one list zip from ``base_url`` into ``dest_dir``; return its path."""
    url = f"{base_url.rstrip('/')}/{kind.file_name}"
    target = dest_dir / kind.file_name
    partial = dest_dir / f".{kind.file_name}.part"
    try:
        with partial.open("wb") as sink:
            reply = transport.download(url, sink, max_bytes=max_bytes)
        if reply.status != 200:
            raise TransportError(f"{url} indirilemedi: HTTP {reply.status}", status=reply.status)
        if not zipfile.is_zipfile(partial):
            raise UserListError(f"{url} bir zip dosyası değil")
        partial.replace(target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return target


def download_user_lists(transport: Transport, base_url: str, dest_dir: Path, *,
                        max_bytes: int = DEFAULT_MAX_DOWNLOAD) -> dict[UserListKind, Path]:
    """Download both the GB and the PK list zip; return their paths by kind."""
    return {kind: download_user_list(transport, base_url, kind, dest_dir, max_bytes=max_bytes)
            for kind in UserListKind}
