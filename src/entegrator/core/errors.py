"""Errors of the integrator's services. Faces map them to HTTP statuses, SOAP faults and
İzibiz/EDM error codes; here they only carry the facts."""

from __future__ import annotations

from entegrator.errors import EntegratorError, PermissionDenied

__all__ = [
    "DeadlineExpired",
    "DuplicateDocument",
    "InvalidState",
    "NotRegisteredUser",
    "PermissionDenied",
    "ProfileRuleViolation",
]


class DuplicateDocument(EntegratorError):
    """A document with this ETTN, number or idempotency key already exists."""

    def __init__(self, message: str, *, ettn: str | None = None, number: str | None = None) -> None:
        super().__init__(message)
        self.ettn = ettn
        self.number = number


class NotRegisteredUser(EntegratorError):
    """The counterpart is not a registered e-Fatura user (or not with that alias)."""

    def __init__(self, message: str, *, identifier: str) -> None:
        super().__init__(message)
        self.identifier = identifier


class InvalidState(EntegratorError):
    """The action is not allowed in the document's current state."""

    def __init__(self, message: str, *, state: str) -> None:
        super().__init__(message)
        self.state = state


class DeadlineExpired(EntegratorError):
    """The 8-day window for an application response has passed (EntKlv §3)."""


class ProfileRuleViolation(EntegratorError):
    """The scenario (ProfileID) or type rules forbid this document or action."""
