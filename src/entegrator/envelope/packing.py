"""Pack many signed documents into as few envelopes as GİB's limits allow.

Documents are grouped by (sender, receiver, element type) — a party is alias + VKN/TCKN +
title, so the group key covers GİB's (sender alias, receiver alias, receiver VKN) — and
packed greedily in input order. Each envelope holds at most ``max_documents`` documents
(GİB: 100 invoices) and at most ``max_zip_bytes`` once zipped; the zipped size is measured
while packing (a running deflate stream is copied to try each next document) and checked
again on the finished zip. A document whose ``Id`` attributes (signature ids) repeat one
already in the envelope starts the next envelope. IHRACAT and YOLCUBERABERFATURA invoices
travel alone, one per envelope (the schematron allows one of each per envelope; alone keeps
GTB's answers unambiguous), after the group's other envelopes.

Output is deterministic: groups in order of first appearance, documents in input order,
``new_id`` called once per envelope in output order, ``now`` called once per call.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from entegrator.envelope.errors import EnvelopeError
from entegrator.envelope.model import ElementType, EnvelopeHeader, EnvelopeType, Party
from entegrator.envelope.payload import DocumentInput, Payload, prepare
from entegrator.envelope.rules import MAX_INVOICES, SOLO_PROFILES
from entegrator.envelope.sbdh import BuiltEnvelope, assemble, build_envelope
from entegrator.envelope.zipio import COMPRESS_LEVEL, ZippedEnvelope, zip_overhead

__all__ = ["DEFAULT_PACK_LIMITS", "Outgoing", "PackLimits", "Packed", "pack"]

_SEPARATOR: Final = b"\n"
#: Bytes kept free below the limit while measuring (ElementCount digits, deflate framing).
_MARGIN: Final = 64


@dataclass(frozen=True, slots=True, eq=False)
class Outgoing:
    """One document to send, with the envelope parties it travels between."""

    document: DocumentInput | Payload
    sender: Party
    receiver: Party


@dataclass(frozen=True, slots=True)
class PackLimits:
    """Envelope limits; defaults are GİB's (100 invoices, 5 MB zipped, read as 5 000 000)."""

    max_documents: int = MAX_INVOICES
    max_zip_bytes: int = 5_000_000


#: GİB's limits.
DEFAULT_PACK_LIMITS: Final = PackLimits()


@dataclass(frozen=True, slots=True)
class Packed:
    """A built envelope, its zip, and the input positions of the documents it carries."""

    envelope: BuiltEnvelope
    zipped: ZippedEnvelope
    items: tuple[int, ...]


def pack(
    items: Sequence[Outgoing],
    *,
    envelope_type: EnvelopeType = EnvelopeType.SENDER,
    new_id: Callable[[], str],
    now: Callable[[], datetime],
    limits: PackLimits = DEFAULT_PACK_LIMITS,
) -> list[Packed]:
    """Pack ``items`` into envelopes of ``envelope_type`` (see the module docstring).

    Every item ends up in exactly one envelope. Raises :class:`EnvelopeError` when a single
    document does not fit the size limit on its own, or when an envelope is invalid.
    """
    if limits.max_documents < 1:
        raise EnvelopeError("Zarf başına belge sınırı en az 1 olmalı")
    payloads = [prepare(item.document) for item in items]
    groups: dict[tuple[Party, Party, ElementType], list[int]] = {}
    for index, (item, payload) in enumerate(zip(items, payloads, strict=True)):
        groups.setdefault((item.sender, item.receiver, payload.element_type), []).append(index)
    created_at = now()
    result: list[Packed] = []
    for (sender, receiver, element_type), indexes in groups.items():
        packer = _Packer(payloads, element_type, limits)
        regular = [i for i in indexes if not _is_solo(payloads[i])]
        position = 0
        while position < len(regular):
            header = EnvelopeHeader(new_id(), envelope_type, sender, receiver, created_at)
            packed = packer.fill(header, regular[position:])
            position += len(packed.items)
            result.append(packed)
        for index in indexes:
            if _is_solo(payloads[index]):
                header = EnvelopeHeader(new_id(), envelope_type, sender, receiver, created_at)
                result.append(packer.fill(header, [index]))
    return result


def _is_solo(payload: Payload) -> bool:
    return payload.element_type is ElementType.INVOICE and payload.profile_id in SOLO_PROFILES


class _Packer:
    """Fills one envelope at a time from a queue of documents of one group."""

    def __init__(self, payloads: list[Payload], element_type: ElementType, limits: PackLimits):
        self._payloads = payloads
        self._element_type = element_type
        self._limits = limits

    def fill(self, header: EnvelopeHeader, queue: list[int]) -> Packed:
        """Build the envelope ``header`` with as many documents from the head of ``queue``
        as fit; the measured size is confirmed on the finished zip."""
        limit = self._limits.max_zip_bytes
        # ElementCount is written with its final digits only at build time; measure with
        # the most digits it can have and keep a small margin for that difference.
        prefix, suffix = assemble(header, self._element_type, self._limits.max_documents)
        meter = _Meter(prefix, suffix, zip_overhead(f"{header.envelope_id}.xml"))
        batch: list[int] = []
        xml_ids: set[str] = set()
        for index in queue[: self._limits.max_documents]:
            payload = self._payloads[index]
            if xml_ids & payload.xml_ids:
                break  # signature Ids must be unique within one envelope
            if meter.add(payload.data, first=not batch, limit=limit - _MARGIN) is None:
                break
            batch.append(index)
            xml_ids |= payload.xml_ids
        while batch:
            built = build_envelope(header, [self._payloads[i] for i in batch])
            zipped = built.zipped()
            if len(zipped.data) <= limit:
                return Packed(built, zipped, tuple(batch))
            batch.pop()  # the margin was not enough: give the last document back
        raise EnvelopeError(
            f"Belge ({self._payloads[queue[0]].uuid or 'UUID yok'}) tek başına bile zarf "
            f"boyut sınırını ({limit} bayt) aşıyor"
        )


class _Meter:
    """Zipped size of skeleton + documents, measured on a running deflate stream."""

    def __init__(self, prefix: bytes, suffix: bytes, overhead: int) -> None:
        self._stream = zlib.compressobj(COMPRESS_LEVEL, zlib.DEFLATED, -15)
        self._emitted = len(self._stream.compress(prefix))
        self._suffix = suffix
        self._overhead = overhead

    def add(self, data: bytes, *, first: bool, limit: int) -> int | None:
        """Add ``data`` if the zip stays within ``limit``; return the size, or ``None``."""
        trial = self._stream.copy()
        emitted = self._emitted + len(trial.compress(data if first else _SEPARATOR + data))
        end = trial.copy()
        size = emitted + len(end.compress(self._suffix)) + len(end.flush()) + self._overhead
        if size > limit:
            return None
        self._stream, self._emitted = trial, emitted
        return size
