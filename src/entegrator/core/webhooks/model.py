"""What the webhook services deal in: event types, settings, subscriptions, deliveries, errors."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from entegrator.errors import DocumentError, EntegratorError
from entegrator.types import Secret

__all__ = [
    "Delivery",
    "DeliveryFailed",
    "DeliveryPage",
    "DeliveryState",
    "DestinationRefused",
    "EventType",
    "NewWebhook",
    "Webhook",
    "WebhookSettings",
]


class EventType(StrEnum):
    """The events a taxpayer can subscribe to (``webhook.ping`` is sent on request only)."""

    INVOICE_RECEIVED = "invoice.received"
    STATUS_CHANGED = "invoice.status_changed"
    RESPONSE_RECEIVED = "invoice.response_received"
    RESPONSE_DEADLINE_NEAR = "invoice.response_deadline_near"
    RESPONSE_DEADLINE_PASSED = "invoice.response_deadline_passed"
    PING = "webhook.ping"


#: Event types a subscription may name.
SUBSCRIBABLE: frozenset[EventType] = frozenset(EventType) - {EventType.PING}


class DeliveryState(StrEnum):
    """Where one delivery stands."""

    PENDING = "pending"  # not delivered yet; a job will (re)try
    SUCCEEDED = "succeeded"  # the receiver answered 2xx
    FAILED = "failed"  # given up: attempts exhausted, or the address is refused


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """How deliveries are made.

    ``max_attempts`` tries spaced ``base_delay · 2^(n-1)`` seconds apart (capped at
    ``max_delay``, jittered by the job queue) before a delivery is given up. Addresses must be
    HTTPS and resolve to public IP addresses unless ``allow_http`` / ``allow_private_networks``
    say otherwise (tests, closed networks): a taxpayer must not be able to make the
    integrator call into its own network (SSRF).
    """

    timeout: float = 10.0
    max_attempts: int = 8
    base_delay: float = 30.0
    max_delay: float = 6 * 3600.0
    allow_http: bool = False
    allow_private_networks: bool = False
    max_per_taxpayer: int = 20
    user_agent: str = "entegrator-webhooks/1"


@dataclass(frozen=True, slots=True)
class Webhook:
    """One subscription (never its secret)."""

    id: int
    url: str
    events: tuple[EventType, ...]
    description: str | None
    active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class NewWebhook:
    """A subscription and its signing secret, shown to the taxpayer once."""

    webhook: Webhook
    secret: Secret


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event sent (or to be sent) to one subscription, with its latest attempts."""

    id: int
    webhook_id: int
    event_id: str
    event_type: str
    document_id: int | None
    state: DeliveryState
    attempts: int
    last_status_code: int | None
    last_error: str | None
    attempt_log: tuple[dict[str, Any], ...]
    payload: dict[str, Any]
    created_at: dt.datetime
    updated_at: dt.datetime
    delivered_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    """A page of the delivery log, newest first, and the cursor of the next page."""

    items: tuple[Delivery, ...]
    next_cursor: str | None


class DestinationRefused(DocumentError):
    """The webhook address is not allowed (scheme, credentials, private network)."""


class DeliveryFailed(EntegratorError):
    """The receiver did not answer 2xx; the job queue tries again later."""

    retryable: ClassVar[bool] = True

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
