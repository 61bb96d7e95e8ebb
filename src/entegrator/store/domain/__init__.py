"""The integrator's own tables: taxpayers and their people, documents, envelopes, responses,
numbering and GİB's registered-user list.

Tables only (SQLAlchemy Core, on :data:`entegrator.store.schema.metadata`); the rules that
move rows between states live in :mod:`entegrator.core`. Tenant-owned tables are made with
:func:`~entegrator.store.tenancy.tenant_table` and reached through a ``TenantScope``.
"""

from __future__ import annotations

from entegrator.store.domain.documents import (
    application_responses,
    document_contents,
    document_events,
    documents,
)
from entegrator.store.domain.envelopes import envelope_items, envelopes
from entegrator.store.domain.gib_users import gib_user_aliases, gib_userlist_syncs, gib_users
from entegrator.store.domain.numbering import invoice_series
from entegrator.store.domain.sessions import session_keys, sessions
from entegrator.store.domain.taxpayers import (
    api_credentials,
    seals,
    taxpayer_aliases,
    taxpayers,
    users,
)
from entegrator.store.domain.webhooks import webhook_deliveries, webhooks

__all__ = [
    "api_credentials",
    "application_responses",
    "document_contents",
    "document_events",
    "documents",
    "envelope_items",
    "envelopes",
    "gib_user_aliases",
    "gib_userlist_syncs",
    "gib_users",
    "invoice_series",
    "seals",
    "session_keys",
    "sessions",
    "taxpayer_aliases",
    "taxpayers",
    "users",
    "webhook_deliveries",
    "webhooks",
]
