"""The ``outbound.poll`` job: ask Merkez for the status of one sent envelope until it settles.

System responses are pushed to us and usually settle an envelope first; polling
(``getApplicationResponse``, Ek-3 §7.2.2) is the safety net for pushes that never came. The
answer is a SYSTEMENVELOPE whose status code goes through the same
:func:`~entegrator.core.outbound.status.apply_system_response` as a pushed one, in the
transaction that also reschedules or finishes the job. The interval grows with the
envelope's age (half its age, between ``poll_interval`` and ``poll_max_interval``); after
``poll_give_up`` the job stops and the envelope keeps its last known status.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from entegrator.core.outbound.config import OutboundConfig
from entegrator.core.outbound.envelopes import load_envelope
from entegrator.core.outbound.status import FINAL_ENVELOPE_STATES, apply_system_response
from entegrator.envelope import EnvelopeError, read_envelope, read_system_response
from entegrator.gib import UnknownEnvelope
from entegrator.store.jobs import JobContext

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["next_delay", "run_poll"]

log = logging.getLogger(__name__)


def next_delay(config: OutboundConfig, sent_at: datetime, now: datetime) -> float:
    """Seconds until the next poll of an envelope sent at ``sent_at``.

    >>> from datetime import UTC, timedelta
    >>> t = datetime(2030, 1, 1, tzinfo=UTC)
    >>> next_delay(OutboundConfig(), t, t + timedelta(hours=2))
    3600.0
    """
    age = max((now - sent_at).total_seconds(), 0.0)
    return min(config.poll_max_interval, max(config.poll_interval, age / 2))


def run_poll(integrator: Integrator, ctx: JobContext) -> None:
    """Handler of ``outbound.poll`` (see the module docstring)."""
    config = integrator.config.outbound
    envelope_id = int(ctx.payload["envelope_id"])
    with integrator.db.transaction(read_only=True) as conn:
        envelope = load_envelope(conn, envelope_id=envelope_id)
    if envelope is None or envelope.state in FINAL_ENVELOPE_STATES:
        return
    now = integrator.clock.now()
    sent_at = envelope.sent_at or envelope.created_at
    if (now - sent_at).total_seconds() > config.poll_give_up:
        log.warning("zarf %s %s sonra hâlâ sonuçlanmadı; sorgulama bırakıldı",
                    envelope.envelope_uuid, now - sent_at)
        return
    code: int | None = None
    description: str | None = None
    try:
        answer = integrator.gib_client.get_application_response(envelope.envelope_uuid)
        response = read_system_response(read_envelope(answer))
        status = response.status_code
        if status is not None:
            code, description = status.code, response.status_description
    except UnknownEnvelope:
        log.info("Merkez zarf %s'i henüz tanımıyor (2004)", envelope.envelope_uuid)
    except EnvelopeError as exc:
        log.warning("zarf %s için Merkez'in yanıtı okunamadı: %s", envelope.envelope_uuid, exc)
    with ctx.transaction() as conn:
        if code is not None:
            apply_system_response(conn, integrator, envelope.envelope_uuid, code,
                                  description=description, responder=None)
        current = load_envelope(conn, envelope_id=envelope_id)
        if current is not None and current.state not in FINAL_ENVELOPE_STATES:
            ctx.reschedule(delay=next_delay(config, sent_at, integrator.clock.now()))
