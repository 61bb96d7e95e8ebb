"""Zips made by hand for the tests of what receives them (names and contents as given)."""

from __future__ import annotations

import io
import zipfile


def zip_of(entries: dict[str, bytes]) -> bytes:
    """A deflated zip holding ``entries`` (name → bytes), in the given order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()
