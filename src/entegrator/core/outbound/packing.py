"""Packing a prepared batch into SENDERENVELOPEs with one compression pass when it fits.

:func:`entegrator.envelope.pack` measures each envelope's zipped size on a running deflate
stream while filling it and then zips the result: every document is compressed twice. A
prepare batch is at most GİB's 100 invoices, usually for few receivers, and a group whose
*uncompressed* documents already fit the size limit (deflate never grows XML beyond a few
bytes per 16 KB block) needs no measuring: it is built directly
(:func:`entegrator.envelope.build_envelope`, one compression). Anything else — a group over
the limits, an IHRACAT/YOLCUBERABERFATURA invoice (alone in its envelope), repeated signature
``Id`` s — goes through :func:`~entegrator.envelope.pack`, which handles it all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Final

from entegrator.envelope import (
    EnvelopeHeader,
    EnvelopeType,
    Outgoing,
    Packed,
    PackLimits,
    Party,
    Payload,
    build_envelope,
    pack,
)
from entegrator.envelope.packing import DEFAULT_PACK_LIMITS
from entegrator.envelope.rules import SOLO_PROFILES

__all__ = ["pack_invoices"]

#: Room kept for the envelope header, the zip structure and deflate's worst case.
_HEADROOM: Final = 64 * 1024


def pack_invoices(
    payloads: Sequence[Payload],
    parties: Sequence[tuple[Party, Party]],
    *,
    new_id: Callable[[], str],
    now: Callable[[], datetime],
    limits: PackLimits = DEFAULT_PACK_LIMITS,
) -> list[Packed]:
    """Pack signed invoices (``payloads[i]`` from ``parties[i]`` = (sender, receiver)).

    Same result shape as :func:`entegrator.envelope.pack`: every item in exactly one
    envelope, ``Packed.items`` indexing ``payloads``.
    """
    groups: dict[tuple[Party, Party], list[int]] = {}
    for index, key in enumerate(parties):
        groups.setdefault(key, []).append(index)
    created_at = now()
    result: list[Packed] = []
    for (sender, receiver), indexes in groups.items():
        members = [payloads[i] for i in indexes]
        if _fits(members, limits):
            header = EnvelopeHeader(new_id(), EnvelopeType.SENDER, sender, receiver, created_at)
            built = build_envelope(header, members)
            result.append(Packed(built, built.zipped(), tuple(indexes)))
            continue
        for packed in pack([Outgoing(p, sender, receiver) for p in members],
                           envelope_type=EnvelopeType.SENDER, new_id=new_id,
                           now=lambda: created_at, limits=limits):
            result.append(Packed(packed.envelope, packed.zipped,
                                 tuple(indexes[i] for i in packed.items)))
    return result


def _fits(members: Sequence[Payload], limits: PackLimits) -> bool:
    if len(members) > limits.max_documents:
        return False
    if any(p.profile_id in SOLO_PROFILES for p in members) and len(members) > 1:
        return False
    ids = [len(p.xml_ids) for p in members]
    if len(frozenset().union(*(p.xml_ids for p in members))) != sum(ids):
        return False
    return sum(len(p.data) for p in members) + _HEADROOM <= limits.max_zip_bytes
