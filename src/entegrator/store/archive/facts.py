"""Search facts read from a document's own bytes, for callers that pass none (and imports).

Best effort: a document that cannot be read yields the facts that could be read, or none —
the archive stores every document it is given, readable or not. The counterpart is the
other party: the customer of an invoice we sent, the supplier of one we received.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from lxml import etree

from entegrator.envelope import EnvelopeError, read_envelope
from entegrator.errors import EntegratorError
from entegrator.store.archive.model import ArchiveKind, ArchiveMeta, Direction
from entegrator.ubl import responses
from entegrator.ubl.summary import InvoiceSummary, summarize

__all__ = [
    "derive",
    "envelope_facts",
    "invoice_facts",
    "response_facts",
    "summary_facts",
]


def derive(content: bytes, kind: ArchiveKind, direction: Direction, zone: ZoneInfo) -> ArchiveMeta:
    """The facts of ``content`` read as a document of ``kind``; empty when unreadable."""
    try:
        if kind is ArchiveKind.INVOICE:
            return invoice_facts(content, direction)
        if kind is ArchiveKind.ENVELOPE:
            return envelope_facts(content, direction, zone)
        return response_facts(content, direction)
    except (EntegratorError, etree.LxmlError, ValueError):
        return ArchiveMeta()


def invoice_facts(content: bytes, direction: Direction) -> ArchiveMeta:
    """Facts of a UBL-TR invoice (raises NotAnInvoice for anything else)."""
    return summary_facts(summarize(content), direction)


def summary_facts(summary: InvoiceSummary, direction: Direction) -> ArchiveMeta:
    """Facts of an invoice from its summary."""
    other = summary.customer if direction == "OUT" else summary.supplier
    return ArchiveMeta(
        ettn=summary.ettn,
        number=summary.number,
        issue_date=summary.issue_date,
        counterpart_vkn_tckn=other.id,
        counterpart_name=other.name,
        profile=summary.profile,
        invoice_type=summary.invoice_type,
        payable_amount=summary.payable_amount,
        currency=summary.currency,
    )


def response_facts(content: bytes, direction: Direction) -> ArchiveMeta:
    """Facts of an application response: KABUL/RED or a system response (S_APR)."""
    response = responses.parse(content)
    other = response.receiver if direction == "OUT" else response.sender
    name = other.name or " ".join(p for p in (other.first_name, other.family_name) if p) or None
    if isinstance(response, responses.SystemResponse):
        return ArchiveMeta(
            ettn=response.uuid,
            number=response.id,
            envelope_uuid=response.envelope.id,
            issue_date=response.issue_date,
            counterpart_vkn_tckn=other.identifier or None,
            counterpart_name=name,
            profile=response.profile_id,
            invoice_type=response.status,
        )
    return ArchiveMeta(
        ettn=response.uuid,
        number=response.id,
        issue_date=response.issue_date,
        counterpart_vkn_tckn=other.identifier or None,
        counterpart_name=name,
        profile=response.profile_id,
        invoice_type=response.code,
    )


def envelope_facts(content: bytes, direction: Direction, zone: ZoneInfo) -> ArchiveMeta:
    """Facts of an envelope (zip or XML): id, creation day, the other end."""
    try:
        envelope = read_envelope(content)
    except EnvelopeError:
        return ArchiveMeta()
    header = envelope.header
    other = header.receiver if direction == "OUT" else header.sender
    created: datetime = header.created_at
    return ArchiveMeta(
        envelope_uuid=header.envelope_id,
        issue_date=created.astimezone(zone).date() if created.tzinfo else created.date(),
        counterpart_vkn_tckn=other.vkn_tckn or None,
        counterpart_name=other.title,
        invoice_type=str(header.type),
    )
