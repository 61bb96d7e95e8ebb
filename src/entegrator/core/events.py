"""Things that happen to a taxpayer's documents, and the hook through which faces hear of them.

Core publishes one :data:`Event` per happening — an invoice arrived, a document's state
changed, a KABUL/RED arrived for one of our invoices, an 8-day response window is about to
close or has closed (TTK 21/2) — to the :class:`EventSink` the composition root plugged in.

The sink is called **inside the transaction** that makes the change, with its connection, so
a face can record a durable delivery (a webhook job enqueued with
:func:`entegrator.store.jobs.enqueue`) that commits or rolls back together with the change:
no event for a change that did not happen, no change without its event. A sink must
therefore be quick, must not do network I/O, and must not raise for a delivery problem (an
exception rolls the change back). Core's layering forbids it to know the faces; this
protocol is the seam (style guide §1: "core takes a callback protocol and the face plugs in").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import Connection

from entegrator.core.states import Direction, DocumentState

__all__ = [
    "NULL_SINK",
    "Event",
    "EventSink",
    "FanOut",
    "InvoiceReceived",
    "NullSink",
    "ResponseDeadlineNear",
    "ResponseDeadlinePassed",
    "ResponseReceived",
    "StatusChanged",
    "publish_many",
]


@dataclass(frozen=True, slots=True)
class InvoiceReceived:
    """An invoice reached the taxpayer's mailbox (state RECEIVED or waiting for our answer)."""

    tenant_id: int
    document_id: int
    ettn: str
    number: str | None
    profile: str
    supplier_vkn_tckn: str
    response_deadline: datetime | None


@dataclass(frozen=True, slots=True)
class StatusChanged:
    """A document moved from ``old`` to ``new``; ``gib_status_code`` is GİB's code if one came."""

    tenant_id: int
    document_id: int
    direction: Direction
    old: DocumentState | None
    new: DocumentState
    gib_status_code: int | None = None


@dataclass(frozen=True, slots=True)
class ResponseReceived:
    """The customer answered one of our TICARIFATURA invoices with KABUL or RED.

    ``counted`` is False when the answer was ignored: it came after the 8-day window or
    after a first answer (Entegrasyon Kılavuzu §3.1).
    """

    tenant_id: int
    document_id: int
    response_code: str
    description: str | None
    counted: bool


@dataclass(frozen=True, slots=True)
class ResponseDeadlineNear:
    """A TICARIFATURA's 8-day response window closes at ``deadline`` and nobody answered yet.

    ``direction`` IN: the taxpayer must answer soon; OUT: the customer has not answered.
    """

    tenant_id: int
    document_id: int
    direction: Direction
    deadline: datetime


@dataclass(frozen=True, slots=True)
class ResponseDeadlinePassed:
    """The 8-day window closed without an answer: the invoice counts as accepted (TTK 21/2)."""

    tenant_id: int
    document_id: int
    direction: Direction
    deadline: datetime


Event = (
    InvoiceReceived
    | StatusChanged
    | ResponseReceived
    | ResponseDeadlineNear
    | ResponseDeadlinePassed
)


class EventSink(Protocol):
    """Receives core's events inside the transaction that caused them (module docstring)."""

    def publish(self, conn: Connection, event: Event) -> None:
        """Take note of ``event``; ``conn`` is the open transaction of the change."""
        ...


class NullSink:
    """The sink used when no face listens: drops every event."""

    def publish(self, conn: Connection, event: Event) -> None:
        """Do nothing."""

    def publish_many(self, conn: Connection, events: Sequence[Event]) -> None:
        """Do nothing."""


#: The default sink (stateless, so one shared instance is fine).
NULL_SINK = NullSink()


class FanOut:
    """Passes every event to several sinks, in order (e.g. webhooks and the mail notifier)."""

    def __init__(self, sinks: Iterable[EventSink]) -> None:
        self._sinks = tuple(sinks)

    def publish(self, conn: Connection, event: Event) -> None:
        """Publish ``event`` to each sink."""
        for sink in self._sinks:
            sink.publish(conn, event)

    def publish_many(self, conn: Connection, events: Sequence[Event]) -> None:
        """Publish a batch to each sink (at once to sinks that have ``publish_many``)."""
        for sink in self._sinks:
            publish_many(sink, conn, events)


def publish_many(sink: EventSink, conn: Connection, events: Sequence[Event]) -> None:
    """Hand ``events`` to ``sink``: in one call when it has ``publish_many`` (a batch costs
    it one query, not one per event), else one by one."""
    many = getattr(sink, "publish_many", None)
    if many is not None:
        many(conn, events)
        return
    for event in events:
        sink.publish(conn, event)
