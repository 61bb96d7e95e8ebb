"""SYSTEMENVELOPEs: the status of an answered envelope, carried as an S_APR response.

The S_APR ``ApplicationResponse`` itself is modelled, written and read by
:mod:`entegrator.ubl.responses` (Ek-2 Sistem Yanıtı v1.5 §3); this module adds what the
envelope knows: which envelope is answered (its id, date and type), who answers whom — the
responder swaps the pair it received, the answered envelope's receiver (alias + VKN) sends
and its sender receives (Ek-2 §1), except Merkez, which answers as GİB — and which status
codes may travel in a SYSTEMENVELOPE at all (GİB code list ``AppResponseCodeType``; 1210–1300
are Merkez-internal states seen only through ``getApplicationResponse``; no response to a
response, Ek-2 §4.3).

Ids come from an injected factory and times from an injected clock, so the same inputs give
the same bytes. A naive time is taken as Turkish local time; an aware one is converted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final

from entegrator.envelope.errors import EnvelopeError
from entegrator.envelope.model import ElementType, EnvelopeHeader, EnvelopeType, Party
from entegrator.envelope.reader import Envelope
from entegrator.envelope.sbdh import BuiltEnvelope, build_envelope
from entegrator.ubl import codelists, status_codes
from entegrator.ubl.responses import (
    DocumentReference,
    ResponseParty,
    SystemResponse,
    from_element,
    to_element,
)
from entegrator.ubl.responses.model import ENVELOPE_TYPES, TURKEY_TIME

__all__ = [
    "ANSWERABLE",
    "read_system_response",
    "sendable_codes",
    "system_envelope",
    "system_response_for",
]

#: Envelope types a system response may answer: those ubl.responses writes as
#: ``DocumentTypeCode`` (Ek-2 §3.15: SENDERENVELOPE, POSTBOXENVELOPE). Never SYSTEMENVELOPE.
ANSWERABLE: Final = frozenset(EnvelopeType(value) for value in ENVELOPE_TYPES) - {
    EnvelopeType.SYSTEM
}


def sendable_codes() -> frozenset[int]:
    """Status codes a SYSTEMENVELOPE may carry (GİB code list ``AppResponseCodeType``)."""
    return frozenset(int(code) for code in codelists.values("AppResponseCodeType"))


def system_response_for(
    answered: EnvelopeHeader,
    code: int,
    *,
    sender: Party,
    receiver: Party,
    new_id: Callable[[], str],
    issued_at: datetime,
    description: str | None = None,
) -> SystemResponse:
    """The S_APR response reporting ``code`` for ``answered``, from ``sender`` to ``receiver``.

    ``description`` defaults to GİB's label of ``code``. ``new_id`` is called three times,
    in order: response id (``cbc:ID`` = ``cbc:UUID``), document-response reference,
    line-response reference.
    """
    if answered.type not in ANSWERABLE:
        names = ", ".join(sorted(ANSWERABLE))
        raise EnvelopeError(
            f"{answered.type} zarfına sistem yanıtı verilmez (yanıtlanabilen: {names}; "
            "Ek-2 §3.15, §4.3)"
        )
    if code not in sendable_codes():
        raise EnvelopeError(f"{code} sistem yanıtı zarfında gönderilebilen bir durum kodu değil")
    local = issued_at.astimezone(TURKEY_TIME) if issued_at.utcoffset() is not None else issued_at
    response_id = new_id()
    return SystemResponse(
        id=response_id,
        uuid=response_id,
        issue_date=local.date(),
        issue_time=local.time().replace(microsecond=0, tzinfo=None),
        sender=_party(sender),
        receiver=_party(receiver),
        envelope=DocumentReference(
            answered.envelope_id,
            answered.created_at.date(),
            answered.type.value,
            answered.type.value,
        ),
        status=str(code),
        status_description=description or status_codes.status(code).label,
        reference_id=new_id(),
        line_reference_id=new_id(),
    )


def system_envelope(
    answered: EnvelopeHeader,
    code: int,
    *,
    new_id: Callable[[], str],
    now: Callable[[], datetime],
    responder: Party | None = None,
    description: str | None = None,
) -> BuiltEnvelope:
    """Build the SYSTEMENVELOPE answering ``answered`` with status ``code``.

    The envelope goes to ``answered.sender``; it comes from ``answered.receiver`` unless a
    ``responder`` is given (Merkez answers as :data:`~entegrator.envelope.model.GIB`).
    ``new_id`` is called four times, in order: envelope id, then the three ids of
    :func:`system_response_for`; ``now`` is called once.
    """
    sender = responder if responder is not None else answered.receiver
    receiver = answered.sender
    envelope_id = new_id()
    created_at = now()
    response = system_response_for(
        answered,
        code,
        sender=sender,
        receiver=receiver,
        new_id=new_id,
        issued_at=created_at,
        description=description,
    )
    header = EnvelopeHeader(envelope_id, EnvelopeType.SYSTEM, sender, receiver, created_at)
    return build_envelope(header, [to_element(response)])


def read_system_response(envelope: Envelope) -> SystemResponse:
    """The system response a SYSTEMENVELOPE carries (raises :class:`EnvelopeError` if none)."""
    if envelope.header.type is not EnvelopeType.SYSTEM:
        raise EnvelopeError(f"Sistem yanıtı zarfı değil: {envelope.header.type}", gib_code=1150)
    if envelope.element_type is not ElementType.APPLICATION_RESPONSE or len(envelope.elements) != 1:
        raise EnvelopeError(
            "Sistem yanıtı zarfı tek bir ApplicationResponse taşımalı", gib_code=1150
        )
    response = from_element(envelope.document(0))
    if not isinstance(response, SystemResponse):
        raise EnvelopeError(
            "Zarftaki ApplicationResponse bir sistem yanıtı (S_APR) değil", gib_code=1150
        )
    return response


def _party(end: Party) -> ResponseParty:
    return ResponseParty(identifier=end.vkn_tckn, name=end.title)
