"""archive — the 10-year e-Fatura archive (GİB e-Fatura Saklama Kılavuzu; VUK 253).

Every document sent or received — signed invoices, application responses, system
responses and the envelopes they came in — is kept byte for byte with its SHA-256, written
in the caller's transaction before any acknowledgement, never modified, never deleted before
its retention ends (ten years after the issue year, configurable upward).

Core holds one :class:`Archive` (``integrator.archive``)::

    ref = archive.put(conn, signed_xml, kind=ArchiveKind.INVOICE, direction="OUT",
                      tenant_id=taxpayer_id, meta=ArchiveMeta(ettn=..., number=...))
    data = archive.get(conn, ref)            # verified against ref.sha256
    archive.update(conn, ref, ArchiveMeta(status="SEND_SUCCEED"))

Content is stored once per SHA-256: embedded stylesheets and logos are cut out and shared,
the rest is compressed with zstd and a dictionary trained on earlier documents
(``docs/decisions/archive-storage.md``). Rule of this part: the archive never changes stored
bytes; the index facts are the only mutable data.
"""

from __future__ import annotations

from entegrator.store.archive.config import MIN_RETENTION_YEARS, ArchiveConfig
from entegrator.store.archive.errors import (
    ArchiveError,
    ContentCorrupted,
    DocumentNotArchived,
    ImportRejected,
    RetentionViolation,
)
from entegrator.store.archive.model import (
    ArchiveEntry,
    ArchiveKind,
    ArchiveMeta,
    ArchiveRef,
    Direction,
)
from entegrator.store.archive.service import Archive

__all__ = [
    "MIN_RETENTION_YEARS",
    "Archive",
    "ArchiveConfig",
    "ArchiveEntry",
    "ArchiveError",
    "ArchiveKind",
    "ArchiveMeta",
    "ArchiveRef",
    "ContentCorrupted",
    "Direction",
    "DocumentNotArchived",
    "ImportRejected",
    "RetentionViolation",
]
