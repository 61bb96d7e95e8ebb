"""Our system response to a received envelope (Ek-2 Sistem Yanıtı Şema Yapısı v1.5).

The receiver of an envelope answers its sender with a SYSTEMENVELOPE carrying one status
code: 1200 when everything passed, else the code of the first failure (Ek-2 §1, §4). The
answering pair is the received one swapped — the envelope's receiver (alias + VKN) sends,
its sender receives (Ek-2 §1; :func:`entegrator.envelope.system_envelope`). Only SENDER- and
POSTBOXENVELOPEs are answered: never a system response (Ek-2 §4.3), never a user envelope.

The answer is stored as an OUT envelope with its send job in the transaction that records
the received envelope's outcome, so either both happen or neither.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from sqlalchemy import Connection

from entegrator.core.inbound.outgoing import store_outgoing
from entegrator.envelope import EnvelopeError, EnvelopeHeader, system_envelope
from entegrator.envelope.system_response import ANSWERABLE
from entegrator.errors import InvalidIdentifier
from entegrator.ubl import status_codes
from entegrator.ubl.identifiers import ettn
from entegrator.ubl.responses.model import TURKEY_TIME

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["SUCCESS", "answer_envelope", "describe"]

log = logging.getLogger("entegrator.core.inbound")

#: ZARF BASARIYLA ISLENDI: the envelope passed every check (Ek-2 §4).
SUCCESS: Final = 1200
#: Longest ``cbc:Description`` we write (GİB fixes no limit; keep answers small).
_MAX_DESCRIPTION: Final = 500


def describe(code: int, detail: str | None) -> str:
    """GİB's label for ``code``, followed by our explanation of a failure (if any)."""
    label = status_codes.status(code).label
    if not detail or code == SUCCESS:
        return label
    text = f"{label}: {' '.join(detail.split())}"
    return text if len(text) <= _MAX_DESCRIPTION else text[: _MAX_DESCRIPTION - 1] + "…"


def answer_envelope(
    conn: Connection,
    integrator: Integrator,
    answered: EnvelopeHeader,
    code: int,
    *,
    detail: str | None,
    tenant_id: int | None,
) -> str | None:
    """Build, store and queue our answer to ``answered``; return its envelope UUID.

    Returns None when no answer may or can be built: ``answered`` is a system or user
    envelope, or its sender/receiver are so malformed that no valid envelope can address
    them (the received envelope keeps its status code for the operator).
    """
    if answered.type not in ANSWERABLE:
        return None
    try:
        built = system_envelope(
            answered, code,
            new_id=ettn.new,
            now=lambda: integrator.clock.now().astimezone(TURKEY_TIME),
            description=describe(code, detail),
        )
    except (EnvelopeError, InvalidIdentifier) as exc:
        log.warning("zarf %s yanıtlanamıyor (%s): %s", answered.envelope_id, code, exc)
        return None
    store_outgoing(conn, integrator, built, tenant_id=tenant_id, answers=answered.envelope_id)
    return built.envelope_id.lower()
