"""The job kinds outbound owns (registered by :func:`entegrator.core.outbound.jobs.register`)."""

from __future__ import annotations

from typing import Final

__all__ = ["POLL", "PREPARE", "RESEND", "SEND"]

#: Number, sign, archive and pack a taxpayer's queued invoices (payload ``tenant_id``).
PREPARE: Final = "outbound.prepare"
#: Send one OUT envelope of any type to Merkez (payload ``envelope_id``: the row id).
SEND: Final = "outbound.send"
#: Ask Merkez for the status of one sent envelope (payload ``envelope_id``).
POLL: Final = "outbound.poll"
#: Send the invoices of a failed envelope again in a new one (payload ``envelope_id``).
RESEND: Final = "outbound.resend"
