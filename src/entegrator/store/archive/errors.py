"""Errors of the archive: missing documents, damaged content, refused deletions."""

from __future__ import annotations

from entegrator.errors import DocumentError, NotFound, PermissionDenied
from entegrator.store.errors import StoreError

__all__ = [
    "ArchiveError",
    "ContentCorrupted",
    "DocumentNotArchived",
    "ImportRejected",
    "RetentionViolation",
]


class ArchiveError(StoreError):
    """Base class of the archive's errors."""


class DocumentNotArchived(ArchiveError, NotFound):
    """No archived document has this reference (or it is not visible to the caller)."""


class ContentCorrupted(ArchiveError):
    """Stored bytes no longer hash to their recorded SHA-256, or a stored part is missing."""

    def __init__(self, message: str, *, sha256: str, vanished: bool = False) -> None:
        super().__init__(message)
        self.sha256 = sha256
        self.vanished = vanished  # the bytes are gone, rather than changed


class RetentionViolation(ArchiveError, PermissionDenied):
    """A deletion was asked for documents still under retention or a legal hold."""


class ImportRejected(ArchiveError, DocumentError):
    """A file offered for import is not a document the archive can take."""
