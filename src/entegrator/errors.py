"""The root of entegrator's error tree.

Every error that entegrator raises on purpose derives from :class:`EntegratorError`, so a
caller can catch "anything we meant" in one clause. Parts subclass these in their own
``errors.py`` and carry the facts a caller needs (a GİB status code, a field path, whether a
retry makes sense). Mapping errors to HTTP status codes or SOAP faults is the faces' job,
never the exception's.
"""

from __future__ import annotations

from typing import ClassVar

__all__ = [
    "ConfigurationError",
    "DocumentError",
    "EntegratorError",
    "InvalidIdentifier",
    "NotFound",
    "PermissionDenied",
    "TransportError",
]


class EntegratorError(Exception):
    """Base class of every error entegrator raises on purpose.

    ``retryable`` tells the durable job runner whether trying again later can succeed.
    ``gib_code`` is the GİB status code (1000–1300) or fault code (2000–2007) the error
    corresponds to, when there is one.
    """

    retryable: ClassVar[bool] = False
    gib_code: int | None = None

    def __init__(self, message: str, *, gib_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if gib_code is not None:
            self.gib_code = gib_code


class ConfigurationError(EntegratorError):
    """The configuration is incomplete or contradictory."""


class InvalidIdentifier(EntegratorError, ValueError):
    """A VKN, TCKN, ETTN, invoice number or alias is malformed."""


class DocumentError(EntegratorError, ValueError):
    """A document (XML, JSON, zip) cannot be read or is not what it claims to be."""


class NotFound(EntegratorError, LookupError):
    """The requested object does not exist (or is not visible to the caller)."""


class PermissionDenied(EntegratorError):
    """The caller may not do this."""


class TransportError(EntegratorError):
    """A network exchange failed; trying again later may succeed."""

    retryable: ClassVar[bool] = True

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
