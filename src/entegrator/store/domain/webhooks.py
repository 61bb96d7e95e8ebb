"""Webhook subscriptions of taxpayers and the log of every delivery made to them.

A taxpayer registers HTTPS URLs for events (an invoice arrived, a status changed, a KABUL/RED
arrived, a response window is about to close); :mod:`entegrator.core.webhooks` writes one
``webhook_deliveries`` row per (event, subscription) in the transaction of the change and a
durable job delivers it. The secret signs the payloads (HMAC-SHA256), so it is kept as given
to the taxpayer; a deleted subscription is only marked (``deleted_at``) so its log stays.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)

from entegrator.store.schema import BigId, Json, UtcDateTime, metadata
from entegrator.store.tenancy import tenant_table

__all__ = ["webhook_deliveries", "webhooks"]

webhooks = tenant_table(
    "webhooks",
    metadata,
    Column("url", String(2000), nullable=False),
    Column("events", Json, nullable=False),  # list of event type names
    Column("secret", String(100), nullable=False),  # HMAC key, shown to the taxpayer once
    Column("description", String(200), nullable=True),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    tenant_fk="taxpayers.id",
)

webhook_deliveries = tenant_table(
    "webhook_deliveries",
    metadata,
    Column("webhook_id", BigId, ForeignKey("webhooks.id", ondelete="RESTRICT"), nullable=False),
    Column("event_id", String(36), nullable=False, unique=True),  # receivers dedupe on it
    Column("event_type", String(64), nullable=False),
    Column("document_id", BigId, nullable=True),
    Column("payload", Json, nullable=False),
    Column("state", String(16), nullable=False),  # pending | succeeded | failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_status_code", Integer, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("attempt_log", Json, nullable=True),  # the latest attempts: at, status, error, ms
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime, nullable=True),
    CheckConstraint("state IN ('pending', 'succeeded', 'failed')", name="state"),
    Index("ix_webhook_deliveries_log", "tenant_id", "webhook_id", "id"),
    tenant_fk="taxpayers.id",
)
