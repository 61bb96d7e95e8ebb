"""The receiver port: what :mod:`entegrator.gib.server` needs from whoever hosts the service.

The integrator (``core``) and the GİB simulator each implement :class:`DocumentReceiver`; the
server decodes SOAP, checks what the transport layer can check, and calls the port. GİB's
service is the same in both directions (Ek-3 §7.2.2, gib-protocol.md §1.2), so one port fits
Merkez pushing envelopes to an integrator and integrators pushing envelopes to the simulator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["Caller", "DocumentReceiver", "ReceiveResult"]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who called: the remote IP address (after the allow-list let it through)."""

    address: str


@dataclass(frozen=True, slots=True)
class ReceiveResult:
    """The answer of :meth:`DocumentReceiver.receive`: ``message`` is ``documentResponse/msg``."""

    message: str = "ZARF BASARIYLA ALINDI"


class DocumentReceiver(Protocol):
    """Implemented by core (integrator side) and by the simulator (Merkez side).

    Called from a worker thread, so implementations may block (database, disk); they must be
    safe to call from several threads at once.

    Before :meth:`receive` is called the server has already checked that ``file_name`` is
    ``<envelope UUID>.zip`` (else fault 2006) and that ``hash`` equals the MD5 of ``data``
    (else 2000). Nothing else about ``data`` has been checked: it may not even be a zip — such
    problems are reported asynchronously with status codes 1110…1143, never as faults.

    To answer with a fault, raise the typed error from :mod:`entegrator.gib.errors`:
    :class:`~entegrator.gib.errors.AlreadyReceived` (2001, envelope UUID already stored),
    :class:`~entegrator.gib.errors.ArchiveFailure` (2002),
    :class:`~entegrator.gib.errors.QueueFailure` (2003),
    :class:`~entegrator.gib.errors.UnknownEnvelope` (2004),
    :class:`~entegrator.gib.errors.Suspended` (2007). Any other exception is answered with
    2005 SISTEM HATASI (and logged); the caller never sees its text.
    """

    def receive(self, file_name: str, data: bytes, hash: str, *, caller: Caller) -> ReceiveResult:
        """Store the zipped envelope ``data`` (named ``file_name``, MD5 ``hash``, lower case).

        **Contract: the envelope is stored durably before this returns.** The SOAP answer that
        tells the sender "received" goes out only after this method returned, and a sender
        that got that answer will never send the envelope again. Return only once the bytes
        would survive a crash; queueing further processing may happen afterwards.
        Raise :class:`~entegrator.gib.errors.AlreadyReceived` if an envelope with this UUID is
        already stored.
        """
        ...

    def application_response(self, instance_id: str, *, caller: Caller) -> bytes:
        """Return the SYSTEMENVELOPE XML (UTF-8 bytes) answering envelope ``instance_id``.

        The server sends it as the text of ``applicationResponse`` (Ek-3 §7.2.2). Raise
        :class:`~entegrator.gib.errors.UnknownEnvelope` if the envelope is unknown.
        """
        ...
