"""The life cycle of a document at the integrator, and its faces on the wire.

One enum, :class:`DocumentState`, names every state an outgoing or incoming invoice can be
in. Each state maps one-to-one onto the ERP-facing status the i2i-family APIs report
(integrator-api.md §5.1: the ``"<STATE> - <SUBSTATE>"`` literal, İzibiz's numeric
``STATUS_CODE``) and carries a Turkish description for the portal. GİB's own envelope code
(1000…1300) is kept beside the state, not folded into it (integrator-api.md §5.2).

>>> DocumentState.SEND_WAIT_APPLICATION_RESPONSE.status
'SEND - WAIT_APPLICATION_RESPONSE'
>>> DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE.status_code
132
>>> DocumentState.SEND_SUCCEED.is_final
True
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Direction", "DocumentState", "allowed_transition"]


class Direction(StrEnum):
    """Whether the taxpayer issued the document (OUT) or received it (IN)."""

    OUT = "OUT"
    IN = "IN"


class DocumentState(StrEnum):
    """Every state of a document; the value is the stable name stored in the database."""

    # Outgoing invoices.
    DRAFT = "draft"
    QUEUED = "queued"
    PACKAGE_FAILED = "package_failed"
    SIGN_FAILED = "sign_failed"
    SENDING = "sending"
    SEND_WAIT_GIB_RESPONSE = "send_wait_gib_response"
    SEND_WAIT_SYSTEM_RESPONSE = "send_wait_system_response"
    SEND_WAIT_APPLICATION_RESPONSE = "send_wait_application_response"
    SEND_SUCCEED = "send_succeed"
    SEND_FAILED = "send_failed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    # Incoming invoices.
    RECEIVED = "received"
    RECEIVE_WAIT_APPLICATION_RESPONSE = "receive_wait_application_response"
    ACCEPT_PROCESSING = "accept_processing"
    ACCEPT_WAIT_SYSTEM_RESPONSE = "accept_wait_system_response"
    ACCEPT_SUCCEED = "accept_succeed"
    ACCEPT_FAILED = "accept_failed"
    REJECT_PROCESSING = "reject_processing"
    REJECT_WAIT_SYSTEM_RESPONSE = "reject_wait_system_response"
    REJECT_SUCCEED = "reject_succeed"
    REJECT_FAILED = "reject_failed"

    @property
    def direction(self) -> Direction:
        """OUT for the issuer's states, IN for the receiver's."""
        return _FACES[self][0]

    @property
    def status(self) -> str:
        """The ``"<STATE> - <SUBSTATE>"`` literal of the i2i-family APIs."""
        return _FACES[self][1]

    @property
    def status_description(self) -> str:
        """The substate alone (``STATUS_DESCRIPTION``)."""
        return self.status.split(" - ", 1)[1]

    @property
    def status_code(self) -> int:
        """İzibiz's numeric ``STATUS_CODE`` for this state."""
        return _FACES[self][2]

    @property
    def label(self) -> str:
        """Turkish description for people (portal, CLI)."""
        return _FACES[self][3]

    @property
    def is_final(self) -> bool:
        """No further state change is expected without a new action by someone."""
        return self in _FINAL


_O, _I = Direction.OUT, Direction.IN
_S = DocumentState
_FACES: dict[DocumentState, tuple[Direction, str, int, str]] = {
    _S.DRAFT: (_O, "LOAD - SUCCEED", 100, "Taslak"),
    _S.QUEUED: (_O, "LOAD - PROCESSING", 102, "Gönderim için sırada"),
    _S.PACKAGE_FAILED: (_O, "PACKAGE - FAILED", 105, "Zarflama başarısız"),
    _S.SIGN_FAILED: (_O, "SIGN - FAILED", 106, "İmzalama başarısız"),
    _S.SENDING: (_O, "SEND - PROCESSING", 135, "GİB'e gönderiliyor"),
    _S.SEND_WAIT_GIB_RESPONSE: (_O, "SEND - WAIT_GIB_RESPONSE", 109, "GİB yanıtı bekleniyor"),
    _S.SEND_WAIT_SYSTEM_RESPONSE: (
        _O, "SEND - WAIT_SYSTEM_RESPONSE", 110, "Alıcının sistem yanıtı bekleniyor"),
    _S.SEND_WAIT_APPLICATION_RESPONSE: (
        _O, "SEND - WAIT_APPLICATION_RESPONSE", 111, "Alıcının kabul/red yanıtı bekleniyor"),
    _S.SEND_SUCCEED: (_O, "SEND - SUCCEED", 137, "Alıcıya başarıyla iletildi"),
    _S.SEND_FAILED: (_O, "SEND - FAILED", 136, "Gönderim başarısız"),
    _S.ACCEPTED: (_O, "ACCEPTED - SUCCEED", 112, "Alıcı kabul etti"),
    _S.REJECTED: (_O, "REJECTED - SUCCEED", 120, "Alıcı reddetti"),
    _S.CANCELLED: (_O, "CANCELLED - SUCCEED", 138, "Taslak iptal edildi"),
    _S.RECEIVED: (_I, "RECEIVE - SUCCEED", 133, "Alındı"),
    _S.RECEIVE_WAIT_APPLICATION_RESPONSE: (
        _I, "RECEIVE - WAIT_APPLICATION_RESPONSE", 132, "Kabul/red yanıtınız bekleniyor"),
    _S.ACCEPT_PROCESSING: (_I, "ACCEPT - PROCESSING", 123, "Kabul yanıtı gönderiliyor"),
    _S.ACCEPT_WAIT_SYSTEM_RESPONSE: (
        _I, "ACCEPT - WAIT_SYSTEM_RESPONSE", 125, "Kabul yanıtı için sistem yanıtı bekleniyor"),
    _S.ACCEPT_SUCCEED: (_I, "ACCEPT - SUCCEED", 122, "Kabul edildi"),
    _S.ACCEPT_FAILED: (_I, "ACCEPT - FAILED", 126, "Kabul yanıtı gönderilemedi"),
    _S.REJECT_PROCESSING: (_I, "REJECT - PROCESSING", 129, "Red yanıtı gönderiliyor"),
    _S.REJECT_WAIT_SYSTEM_RESPONSE: (
        _I, "REJECT - WAIT_SYSTEM_RESPONSE", 127, "Red yanıtı için sistem yanıtı bekleniyor"),
    _S.REJECT_SUCCEED: (_I, "REJECT - SUCCEED", 130, "Reddedildi"),
    _S.REJECT_FAILED: (_I, "REJECT - FAILED", 131, "Red yanıtı gönderilemedi"),
}

_FINAL = frozenset(
    {
        _S.SEND_SUCCEED, _S.SEND_FAILED, _S.ACCEPTED, _S.REJECTED, _S.CANCELLED,
        _S.RECEIVED, _S.ACCEPT_SUCCEED, _S.REJECT_SUCCEED,
    }
)

_TRANSITIONS: dict[DocumentState, frozenset[DocumentState]] = {
    _S.DRAFT: frozenset({_S.DRAFT, _S.QUEUED, _S.CANCELLED}),
    _S.QUEUED: frozenset({_S.SENDING, _S.PACKAGE_FAILED, _S.SIGN_FAILED}),
    _S.PACKAGE_FAILED: frozenset({_S.QUEUED}),
    _S.SIGN_FAILED: frozenset({_S.QUEUED}),
    _S.SENDING: frozenset(
        {_S.SEND_WAIT_GIB_RESPONSE, _S.SEND_WAIT_SYSTEM_RESPONSE, _S.SEND_SUCCEED,
         _S.SEND_WAIT_APPLICATION_RESPONSE, _S.SEND_FAILED}
    ),
    # A KABUL/RED answer proves delivery: it may overtake the system response (ACCEPTED,
    # REJECTED straight from the waiting states).
    _S.SEND_WAIT_GIB_RESPONSE: frozenset(
        {_S.SEND_WAIT_SYSTEM_RESPONSE, _S.SEND_SUCCEED, _S.SEND_WAIT_APPLICATION_RESPONSE,
         _S.SEND_FAILED, _S.ACCEPTED, _S.REJECTED}
    ),
    _S.SEND_WAIT_SYSTEM_RESPONSE: frozenset(
        {_S.SEND_SUCCEED, _S.SEND_WAIT_APPLICATION_RESPONSE, _S.SEND_FAILED, _S.ACCEPTED,
         _S.REJECTED}
    ),
    _S.SEND_WAIT_APPLICATION_RESPONSE: frozenset({_S.ACCEPTED, _S.REJECTED}),
    _S.SEND_FAILED: frozenset({_S.SENDING}),
    _S.RECEIVE_WAIT_APPLICATION_RESPONSE: frozenset({_S.ACCEPT_PROCESSING, _S.REJECT_PROCESSING}),
    _S.ACCEPT_PROCESSING: frozenset(
        {_S.ACCEPT_WAIT_SYSTEM_RESPONSE, _S.ACCEPT_SUCCEED, _S.ACCEPT_FAILED}),
    _S.ACCEPT_WAIT_SYSTEM_RESPONSE: frozenset({_S.ACCEPT_SUCCEED, _S.ACCEPT_FAILED}),
    _S.ACCEPT_FAILED: frozenset({_S.ACCEPT_PROCESSING}),
    _S.REJECT_PROCESSING: frozenset(
        {_S.REJECT_WAIT_SYSTEM_RESPONSE, _S.REJECT_SUCCEED, _S.REJECT_FAILED}),
    _S.REJECT_WAIT_SYSTEM_RESPONSE: frozenset({_S.REJECT_SUCCEED, _S.REJECT_FAILED}),
    _S.REJECT_FAILED: frozenset({_S.REJECT_PROCESSING}),
}


def allowed_transition(current: DocumentState, new: DocumentState) -> bool:
    """Whether a document may move from ``current`` to ``new``.

    >>> allowed_transition(DocumentState.SEND_WAIT_APPLICATION_RESPONSE, DocumentState.ACCEPTED)
    True
    >>> allowed_transition(DocumentState.SEND_SUCCEED, DocumentState.SENDING)
    False
    """
    return new in _TRANSITIONS.get(current, frozenset())
