"""SYSTEMENVELOPEs delivered to us: the status of one of our envelopes, or GİB's heartbeat.

A system response names the envelope it answers in ``cac:DocumentReference/cbc:ID`` (Ek-2
§3). When that is one of our OUT envelopes — invoices (SENDERENVELOPE), KABUL/RED answers
(POSTBOXENVELOPE), even our own system responses never are — outbound applies the code
(:func:`entegrator.core.outbound.status.apply_system_response`; it hands POSTBOXENVELOPE
codes on to :func:`entegrator.core.responses.apply_response_status`). The responder tells
Merkez's view (alias ``GIB``) from the receiver's.

GİB periodically sends sender units system responses labelled ``GIB`` that refer to no
envelope (Test Planı §7 b: "no action needed"); such responses, and any naming an envelope
we do not know, are kept (archive + the envelope row) and otherwise ignored. A system
response is never answered (Ek-2 §4.3).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import Connection, select

from entegrator.core.outbound.status import apply_system_response
from entegrator.envelope import EnvelopeHeader
from entegrator.store.domain import envelopes
from entegrator.ubl.responses import SystemResponse

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["route_system_response"]

log = logging.getLogger("entegrator.core.inbound")


def route_system_response(
    conn: Connection, integrator: Integrator, header: EnvelopeHeader, response: SystemResponse
) -> int | None:
    """Apply ``response`` to the OUT envelope it answers; return that envelope's taxpayer."""
    answered = response.envelope.id.strip().lower()
    code = response.status_code
    target = conn.execute(
        select(envelopes.c.id, envelopes.c.tenant_id).where(
            envelopes.c.envelope_uuid == answered, envelopes.c.direction == "OUT")
    ).first()
    if target is None or code is None:
        log.info("sistem yanıtı %s bilinen bir zarfa ait değil (%s, kod %s): yok sayıldı",
                 header.envelope_id, answered or "-", response.status)
        return None
    apply_system_response(
        conn, integrator, answered, code.code,
        description=response.status_description, responder=header.sender,
    )
    return None if target.tenant_id is None else int(target.tenant_id)
