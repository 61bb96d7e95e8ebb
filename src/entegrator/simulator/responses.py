"""Merkez's system responses: pushed ones (to the sender) and status answers (polling).

Merkez answers as GİB (alias ``GIB``, VKN 3900383669; PKT ``1_SISTEM_YANITI_MERKEZ.xml``) to
the envelope's sender (Ek-2 §1). Two kinds:

* **pushed** (:func:`push_envelope`): 1200 or the 11xx failure, sent to the sender's endpoint
  with ``sendDocument``. Built with :func:`entegrator.envelope.system_envelope`, which allows
  only the codes of GİB's ``AppResponseCodeType`` list. A USERENVELOPE is answered as if it
  were a SENDERENVELOPE: GİB's system response may only name SENDER- or POSTBOXENVELOPE as
  the answered type (Ek-2 §3.15), and the integrator is the sender of a USERENVELOPE.
* **status answers** (:func:`status_envelope`): ``getApplicationResponse`` returns the current
  code, which may be a Merkez-internal state (1210, 1215, 1220, 1230, 1300) that never travels
  pushed, so this one is built from :func:`entegrator.ubl.responses.new_system_response`.

An envelope that could not be read has no header to answer; the answer then names the
calling integrator's VKN with the placeholder alias :data:`UNKNOWN_ALIAS`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Final

from entegrator.envelope import (
    GIB,
    BuiltEnvelope,
    EnvelopeHeader,
    EnvelopeType,
    Party,
    build_envelope,
    system_envelope,
)
from entegrator.simulator.records import EnvelopeRecord
from entegrator.ubl import status_codes
from entegrator.ubl.identifiers import ettn
from entegrator.ubl.responses import ResponseParty, new_system_response, to_element
from entegrator.ubl.responses.model import TURKEY_TIME

__all__ = [
    "UNKNOWN_ALIAS",
    "answered_header",
    "describe",
    "local_time",
    "push_envelope",
    "status_envelope",
]

#: Receiver alias of answers to envelopes whose header could not be read.
UNKNOWN_ALIAS: Final = "urn:mail:bilinmeyen-zarf@merkez.efatura.gov.tr"
_MAX_DETAIL: Final = 400


def local_time(moment: datetime) -> datetime:
    """``moment`` as Turkish local time without offset (how GİB writes envelope times)."""
    return moment.astimezone(TURKEY_TIME).replace(tzinfo=None, microsecond=0)


def describe(code: int, detail: str | None) -> str:
    """GİB's label of ``code``, followed by the reason for a failure."""
    label = status_codes.status(code).label
    if not detail or code in (1000, 1100, 1200, 1220, 1300):
        return label
    return f"{label}: {detail[:_MAX_DETAIL]}"


def answered_header(record: EnvelopeRecord, fallback_vkn: str) -> EnvelopeHeader:
    """The header facts of ``record`` as needed to answer it.

    For an envelope that could not be read, the sender is ``fallback_vkn`` (the caller) at
    :data:`UNKNOWN_ALIAS` and the type SENDERENVELOPE.
    """
    if record.type is not None and record.sender_vkn and record.sender_alias:
        created = _created(record)
        return EnvelopeHeader(
            record.envelope_id, EnvelopeType(record.type),
            Party(record.sender_alias, record.sender_vkn),
            Party(record.receiver_alias or GIB.alias, record.receiver_vkn or GIB.vkn_tckn),
            created)
    return EnvelopeHeader(record.envelope_id, EnvelopeType.SENDER,
                          Party(UNKNOWN_ALIAS, fallback_vkn), GIB,
                          local_time(record.received_at))


def _created(record: EnvelopeRecord) -> datetime:
    try:
        return datetime.fromisoformat(record.header_created or "")
    except ValueError:
        return local_time(record.received_at)


def _answerable(header: EnvelopeHeader) -> EnvelopeHeader:
    if header.type in (EnvelopeType.SENDER, EnvelopeType.POSTBOX):
        return header
    return replace(header, type=EnvelopeType.SENDER)


def push_envelope(answered: EnvelopeHeader, code: int, *, now: datetime,
                  detail: str | None = None) -> BuiltEnvelope:
    """The SYSTEMENVELOPE Merkez pushes to the sender of ``answered`` with ``code``."""
    return system_envelope(_answerable(answered), code, new_id=ettn.new,
                           now=lambda: local_time(now), responder=GIB,
                           description=describe(code, detail))


def status_envelope(answered: EnvelopeHeader, code: int, *, now: datetime,
                    detail: str | None = None) -> bytes:
    """The SYSTEMENVELOPE XML answering ``getApplicationResponse`` with the current ``code``."""
    header = _answerable(answered)
    response = new_system_response(
        code, envelope_id=header.envelope_id,
        envelope_type="POSTBOXENVELOPE" if header.type is EnvelopeType.POSTBOX
        else "SENDERENVELOPE",
        envelope_issue_date=header.created_at.date(),
        sender=ResponseParty(GIB.vkn_tckn, name=GIB.title),
        receiver=ResponseParty(header.sender.vkn_tckn),
        issued_at=now)
    response = replace(response, status_description=describe(code, detail))
    envelope = build_envelope(
        EnvelopeHeader(ettn.new(), EnvelopeType.SYSTEM, GIB, header.sender, local_time(now)),
        [to_element(response)])
    return envelope.xml
