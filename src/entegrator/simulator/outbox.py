"""Queueing what Merkez sends to integrators: its own system responses and forwarded ones.

Every envelope Merkez pushes is first stored as an ``out`` row with its zip (so the push job
sends exactly those bytes, and an operator can see what went out), and a ``sim.push`` job is
written in the same transaction. Envelopes for GİB portal users (``portal``) and for Merkez
itself (``gib``) need no push: their state is read from the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from entegrator.envelope import GIB, BuiltEnvelope, EnvelopeHeader, Party, ZippedEnvelope
from entegrator.errors import EntegratorError
from entegrator.simulator import records
from entegrator.simulator.config import GIB_OWNER, PORTAL_OWNER
from entegrator.simulator.responses import UNKNOWN_ALIAS, push_envelope
from entegrator.simulator.runtime import PUSH, Runtime

__all__ = ["LOCAL_OWNERS", "Response", "prepare_response", "queue_forward", "queue_response"]

#: Parties served by the simulator itself (no endpoint to push to).
LOCAL_OWNERS = frozenset({PORTAL_OWNER, GIB_OWNER})


@dataclass(frozen=True, slots=True)
class Response:
    """A Merkez system response built (outside any transaction) and ready to be queued."""

    answered: str
    code: int
    built: BuiltEnvelope
    zipped: ZippedEnvelope


def prepare_response(rt: Runtime, answered: EnvelopeHeader, code: int, *, fallback_vkn: str,
                     detail: str | None = None) -> Response:
    """Build Merkez's SYSTEMENVELOPE answering ``answered`` with ``code``.

    When the answered header's sender cannot be written into a system response (a malformed
    VKN or alias, which is why the envelope failed), the answer names ``fallback_vkn`` (the
    caller's) at :data:`~entegrator.simulator.responses.UNKNOWN_ALIAS` instead.
    """
    try:
        built = push_envelope(answered, code, now=rt.now(), detail=detail)
    except EntegratorError:
        unknown = EnvelopeHeader(answered.envelope_id, answered.type,
                                 Party(UNKNOWN_ALIAS, fallback_vkn), GIB, answered.created_at)
        built = push_envelope(unknown, code, now=rt.now(), detail=detail)
    return Response(answered.envelope_id.lower(), code, built, built.zipped())


def queue_response(rt: Runtime, conn: Connection, answered: EnvelopeHeader | Response,
                   code: int | None = None, *, to: str, fallback_vkn: str = "",
                   detail: str | None = None) -> str:
    """Store Merkez's system response (built here, or by :func:`prepare_response`) and
    queue its push to ``to``; return the system response envelope's id."""
    if isinstance(answered, Response):
        response = answered
    else:
        if code is None:
            raise ValueError("code is required with a header")
        response = prepare_response(rt, answered, code, fallback_vkn=fallback_vkn,
                                    detail=detail)
    built, zipped = response.built, response.zipped
    header = built.header
    pk = records.insert_envelope(
        conn, zipped.file_name, zipped.data, origin=GIB_OWNER, direction="out", now=rt.now(),
        status=None, type=header.type.value, element_type=built.element_type.value,
        element_count=1, sender_alias=header.sender.alias, sender_vkn=header.sender.vkn_tckn,
        receiver_alias=header.receiver.alias[:250], receiver_vkn=header.receiver.vkn_tckn,
        header_created=header.created_at.isoformat(), target=to,
        answers=response.answered)
    queue_forward(rt, conn, pk, to=to)
    return header.envelope_id


def queue_forward(rt: Runtime, conn: Connection, pk: int, *, to: str) -> None:
    """Queue the push of stored envelope ``pk`` (its zip, unchanged) to integrator ``to``."""
    if to in LOCAL_OWNERS:
        return
    rt.enqueue(conn, PUSH, {"envelope": pk, "to": to}, destination=to,
               dedupe_key=f"push:{pk}:{to}")
