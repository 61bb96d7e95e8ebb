"""Handing the status of envelopes that carry no invoices to their owners.

Outbound sends every OUT envelope, but only SENDERENVELOPEs carry its invoices. The status
of a POSTBOXENVELOPE (our KABUL/RED answer) belongs to :mod:`entegrator.core.responses`, that
of a USERENVELOPE (an alias registration) to :mod:`entegrator.core.registration`. Both are
imported when first needed: they sit beside outbound in core and import it themselves.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from entegrator.envelope import Party

if TYPE_CHECKING:
    from entegrator.core.outbound.envelopes import EnvelopeRow
    from entegrator.core.wiring import Integrator

__all__ = ["on_send_failed", "on_status"]

log = logging.getLogger(__name__)

#: Envelope type → (module, function) applying a GİB status code to what it carried.
_OWNERS = {
    "POSTBOXENVELOPE": ("entegrator.core.responses", "apply_response_status"),
    "USERENVELOPE": ("entegrator.core.registration", "apply_status"),
}


def on_status(
    conn: Connection, integrator: Integrator, envelope: EnvelopeRow, code: int, *,
    description: str | None, responder: Party | None,
) -> None:
    """Pass status ``code`` of a POSTBOX or USER envelope to the part that owns it."""
    owner = _OWNERS.get(envelope.type)
    if owner is None:
        return
    module, name = owner
    apply = getattr(importlib.import_module(module), name)
    apply(integrator, conn, envelope.envelope_uuid, code, description, responder=responder)


def on_send_failed(
    conn: Connection, integrator: Integrator, envelope: EnvelopeRow, reason: str
) -> None:
    """A non-invoice envelope Merkez refused outright: recorded on the envelope row only."""
    log.error("%s zarfı %s gönderilemedi: %s", envelope.type, envelope.envelope_uuid, reason)
