"""core.webhooks — telling a taxpayer's systems what happened, over signed HTTPS callbacks.

A taxpayer subscribes URLs to event types (:class:`EventType`: invoice received, status
changed, KABUL/RED received, response deadline near/passed). :class:`WebhookSink`, plugged
into the Integrator as its :class:`~entegrator.core.events.EventSink`, writes a delivery and
a ``webhooks.deliver`` job in the transaction of each change; the job POSTs the JSON payload
signed with HMAC-SHA256 over timestamp and body (:mod:`.signature`), retries with backoff
through the durable jobs, and logs every attempt where the taxpayer can read it
(:func:`list_deliveries`). Decisions: docs/decisions/api-rest-webhooks.md.
"""

from __future__ import annotations

from entegrator.core.webhooks.delivery import deliver, ping, redeliver, register
from entegrator.core.webhooks.model import (
    SUBSCRIBABLE,
    Delivery,
    DeliveryFailed,
    DeliveryPage,
    DeliveryState,
    DestinationRefused,
    EventType,
    NewWebhook,
    Webhook,
    WebhookSettings,
)
from entegrator.core.webhooks.signature import SIGNATURE_HEADER, signature_header, verify
from entegrator.core.webhooks.sink import DELIVER_JOB, WebhookSink
from entegrator.core.webhooks.subscriptions import (
    create_webhook,
    delete_webhook,
    get_delivery,
    get_webhook,
    list_deliveries,
    list_webhooks,
    rotate_secret,
    update_webhook,
    webhook_settings,
)

__all__ = [
    "DELIVER_JOB",
    "SIGNATURE_HEADER",
    "SUBSCRIBABLE",
    "Delivery",
    "DeliveryFailed",
    "DeliveryPage",
    "DeliveryState",
    "DestinationRefused",
    "EventType",
    "NewWebhook",
    "Webhook",
    "WebhookSettings",
    "WebhookSink",
    "create_webhook",
    "delete_webhook",
    "deliver",
    "get_delivery",
    "get_webhook",
    "list_deliveries",
    "list_webhooks",
    "ping",
    "redeliver",
    "register",
    "rotate_secret",
    "signature_header",
    "update_webhook",
    "verify",
    "webhook_settings",
]
