"""The project's own display stylesheets, compiled once per thread and reused.

Two stylesheets ship in :mod:`entegrator.ubl` (the builder embeds the invoice one into every
invoice it makes): ``xslt/invoice.xslt`` and ``xslt/application_response.xslt``.

Threads: lxml lets an ``XSLT`` object be shared between threads, but its FAQ warns that
libxslt works much faster with stylesheets used in the thread that created them and suggests
caching them in thread-local storage. So each thread compiles its own copy on first use (a few
milliseconds) and keeps it in a :class:`threading.local` — the documented per-process cache of
this part; nothing else in it holds state.
"""

from __future__ import annotations

import threading
from typing import Literal

from lxml import etree

from entegrator.ubl import xml
from entegrator.ubl.stylesheet import default_application_response_xslt, default_invoice_xslt

__all__ = ["OwnKind", "own_stylesheet_bytes", "own_transform"]

OwnKind = Literal["invoice", "application_response"]

_local = threading.local()


def own_stylesheet_bytes(kind: OwnKind) -> bytes:
    """Bytes of the project's stylesheet for ``kind`` (the invoice one is what gets embedded)."""
    if kind == "invoice":
        return default_invoice_xslt()
    return default_application_response_xslt()


def own_transform(kind: OwnKind) -> etree.XSLT:
    """The compiled stylesheet for ``kind``, private to the calling thread."""
    cache: dict[str, etree.XSLT] | None = getattr(_local, "transforms", None)
    if cache is None:
        cache = _local.transforms = {}
    transform = cache.get(kind)
    if transform is None:
        # Our own file, but it gets no more rights than a stranger's: no files, no network.
        transform = etree.XSLT(
            xml.parse(own_stylesheet_bytes(kind)),
            access_control=etree.XSLTAccessControl.DENY_ALL,
            regexp=False,
        )
        cache[kind] = transform
    return transform
