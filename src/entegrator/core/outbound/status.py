"""What GİB's status codes mean for our envelopes and the invoices they carry.

Status codes reach us two ways: system responses pushed to our endpoint (inbound routes those
answering our envelopes here, :func:`apply_system_response`) and ``outbound.poll``. The same
news may come twice or out of order; nothing ever moves backwards
(:func:`entegrator.core.states.allowed_transition`, conditional updates), and an envelope that
reached a final state keeps it.

For the invoices of a SENDERENVELOPE (gib-protocol.md §3, §4.2–4.3; Ek-2 §4.1):

=====================================  ==========================================
code (who says it)                     invoice state
=====================================  ==========================================
1000, 1100 (Merkez)                    SEND_WAIT_GIB_RESPONSE
1200, 1210, 1220 (Merkez)              SEND_WAIT_SYSTEM_RESPONSE
1300 (Merkez), 1200 (the receiver)     SEND_SUCCEED; TICARIFATURA:
                                       SEND_WAIT_APPLICATION_RESPONSE, 8-day window;
                                       recorded as 1300 either way
11xx, 1215, 1230; the receiver's       SEND_FAILED with the code (automatic resend
non-1200 answer                        in a new envelope for 1120/1190/1195/1215)
1235                                   noted on the envelope, no state change
=====================================  ==========================================

POSTBOX (our KABUL/RED) and USER (alias registration) envelopes are handed to their owners
(:mod:`.hooks`). Codes that forbid resending (1163, 1164) or say "wait" (1220) never lead to
a resend.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, func, select, update

from entegrator.core.outbound import history
from entegrator.core.outbound.envelopes import EnvelopeRow, load_envelope
from entegrator.core.outbound.hooks import on_status
from entegrator.core.outbound.jobkinds import RESEND
from entegrator.core.states import DocumentState
from entegrator.envelope import GIB, Party
from entegrator.errors import NotFound
from entegrator.store import jobs
from entegrator.store.domain import documents, envelope_items, envelopes
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import status_codes
from entegrator.ubl.status_codes import StatusKind

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = [
    "DELIVERED_CODE",
    "FINAL_ENVELOPE_STATES",
    "Outcome",
    "apply_system_response",
    "classify",
]

log = logging.getLogger(__name__)
_e = envelopes.c
_d = documents.c
#: Envelope states after which no news changes anything.
FINAL_ENVELOPE_STATES = frozenset({"done", "failed"})
#: Merkez's code for an envelope its receiver confirmed (BASARIYLA TAMAMLANDI).
DELIVERED_CODE = 1300
_TICARI = "TICARIFATURA"


class Outcome(Enum):
    """Where a status code leaves an envelope of ours."""

    AT_MERKEZ = "at_merkez"  # queued or being processed by Merkez
    ON_THE_WAY = "on_the_way"  # passed Merkez, not confirmed by the receiver yet
    DELIVERED = "delivered"  # end-to-end success
    FAILED = "failed"  # final failure of this envelope
    NOTED = "noted"  # informational (1235): recorded, nothing moves


def classify(code: int, *, from_merkez: bool) -> Outcome | None:
    """The outcome of ``code`` as reported by Merkez or by the receiver (None: unknown code).

    >>> classify(1200, from_merkez=True), classify(1200, from_merkez=False)
    (<Outcome.ON_THE_WAY: 'on_the_way'>, <Outcome.DELIVERED: 'delivered'>)
    >>> classify(1163, from_merkez=True)
    <Outcome.FAILED: 'failed'>
    """
    try:
        info = status_codes.status(code)
    except NotFound:
        return None
    if not from_merkez:
        # The receiver answers with 1200 or the code of its first failure (Ek-2 §1).
        return Outcome.DELIVERED if code == 1200 else Outcome.FAILED
    if info.kind is StatusKind.CANCELLED:
        return Outcome.NOTED
    if info.kind is StatusKind.FAILURE:
        return Outcome.FAILED
    if code == 1300:
        return Outcome.DELIVERED
    if code in (1000, 1100):
        return Outcome.AT_MERKEZ
    return Outcome.ON_THE_WAY


def is_merkez(responder: Party | None) -> bool:
    """Whether ``responder`` is GİB Merkez (None: a polled status, which Merkez gives)."""
    return responder is None or responder.vkn_tckn == GIB.vkn_tckn or responder.alias == GIB.alias


def apply_system_response(
    conn: Connection,
    integrator: Integrator,
    envelope_uuid: str,
    code: int,
    *,
    description: str | None = None,
    responder: Party | None = None,
) -> bool:
    """Apply status ``code`` of our OUT envelope ``envelope_uuid`` (in the caller's transaction).

    ``responder`` is the sender of the system response (Merkez ``GIB`` or the receiver's
    alias), None for a polled status. Returns False when the envelope is not ours or the
    code is unknown (the caller keeps the response and ignores it).
    """
    envelope = load_envelope(conn, envelope_uuid=envelope_uuid, for_update=True)
    if envelope is None:
        return False
    from_merkez = is_merkez(responder)
    outcome = classify(code, from_merkez=from_merkez)
    if outcome is None:
        log.warning("zarf %s için tanımsız GİB durum kodu %s: yok sayıldı", envelope_uuid, code)
        return False
    if outcome is Outcome.DELIVERED and not from_merkez:
        # Merkez forwards the receiver's 1200 only after it has recorded 1300 for the
        # envelope (gib-protocol.md §4.2 steps 4-5): the envelope's GİB status is 1300,
        # whichever of the two pieces of news reaches us first.
        code, description = DELIVERED_CODE, None
    if envelope.state in FINAL_ENVELOPE_STATES:
        return True  # late or repeated news about a settled envelope
    now = integrator.clock.now()
    label = description or status_codes.status(code).label
    _record_on_envelope(conn, envelope, code=code, label=label, outcome=outcome, now=now)
    if envelope.type == "SENDERENVELOPE":
        if envelope.tenant_id is not None and outcome is not Outcome.NOTED:
            _apply_to_invoices(conn, integrator, envelope, code=code, label=label,
                               outcome=outcome, now=now)
    else:
        on_status(conn, integrator, envelope, code, description=description,
                  responder=responder)
    return True


def _record_on_envelope(
    conn: Connection, envelope: EnvelopeRow, *, code: int, label: str, outcome: Outcome,
    now: datetime,
) -> None:
    state = {Outcome.DELIVERED: "done", Outcome.FAILED: "failed"}.get(outcome, "sent")
    conn.execute(
        update(envelopes)
        .where(_e.id == envelope.id)
        .values(state=state, gib_status_code=code, gib_status_description=label[:300],
                sent_at=func.coalesce(_e.sent_at, now), processed_at=now, updated_at=now)
    )


def _apply_to_invoices(
    conn: Connection, integrator: Integrator, envelope: EnvelopeRow, *, code: int, label: str,
    outcome: Outcome, now: datetime,
) -> None:
    scope = TenantScope(conn, int(envelope.tenant_id))  # type: ignore[arg-type]
    rows = scope.execute(
        scope.select(documents, _d.id, _d.profile, _d.sent_at)
        .where(_d.envelope_uuid == envelope.envelope_uuid, _d.direction == "OUT")
    ).all()
    if not rows:
        return
    values = {"gib_status_code": code, "gib_status_description": label[:300]}
    common = {
        "at": now, "events": integrator.events, "message": label, "gib_code": code,
        "envelope_uuid": envelope.envelope_uuid, "only_envelope": envelope.envelope_uuid,
    }
    ids = [row.id for row in rows]
    if outcome is Outcome.AT_MERKEZ:
        history.move(scope, ids, DocumentState.SEND_WAIT_GIB_RESPONSE, values=values, **common)
    elif outcome is Outcome.ON_THE_WAY:
        history.move(scope, ids, DocumentState.SEND_WAIT_SYSTEM_RESPONSE, values=values,
                     **common)
    elif outcome is Outcome.DELIVERED:
        plain = [row.id for row in rows if row.profile != _TICARI]
        history.move(scope, plain, DocumentState.SEND_SUCCEED, values=values, **common)
        _await_answers(scope, integrator, [row for row in rows if row.profile == _TICARI],
                       values=values, common=common, now=now)
    elif outcome is Outcome.FAILED:
        moved = history.move(scope, ids, DocumentState.SEND_FAILED, values=values, **common)
        if moved and code in integrator.config.outbound.auto_resend_codes:
            _schedule_resend(conn, integrator, envelope, [i for i, _ in moved], now=now)


def _await_answers(
    scope: TenantScope, integrator: Integrator, rows: list[Any], *, values: dict[str, Any],
    common: dict[str, Any], now: datetime,
) -> None:
    """TICARIFATURA: wait for KABUL/RED, eight days from sending (EntKlv §3.1)."""
    from entegrator.core.responses import RESPONSE_WINDOW, schedule_deadline

    for row in rows:
        deadline = (row.sent_at or now) + RESPONSE_WINDOW
        moved = history.move(
            scope, [row.id], DocumentState.SEND_WAIT_APPLICATION_RESPONSE,
            values={**values, "response_deadline": deadline}, **common,
        )
        if moved:
            schedule_deadline(scope.conn, integrator, scope.tenant_id, row.id, deadline)


def _schedule_resend(
    conn: Connection, integrator: Integrator, envelope: EnvelopeRow, ids: list[int], *,
    now: datetime,
) -> None:
    """Queue the automatic resend of ``ids`` unless they have used up their attempts."""
    config = integrator.config.outbound
    sent = dict(
        conn.execute(
            select(envelope_items.c.document_id, func.count())
            .where(envelope_items.c.document_id.in_(ids))
            .group_by(envelope_items.c.document_id)
        ).all()
    )
    if all(sent.get(i, 1) > config.max_auto_resends for i in ids):
        log.warning("zarf %s: otomatik yeniden gönderim hakkı doldu", envelope.envelope_uuid)
        return
    jobs.enqueue(
        conn, RESEND, {"envelope_id": envelope.id},
        run_at=now + timedelta(seconds=config.auto_resend_delay),
        dedupe_key=f"{RESEND}:{envelope.id}",
        clock=integrator.clock,
    )
