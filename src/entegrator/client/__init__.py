"""client — a Python client for entegrator's REST API (``/api/v1``), on httpx.

A face of its own: it talks HTTP only and imports nothing of the server, so an ERP can use
it against any entegrator installation::

    from entegrator.client import EntegratorClient

    with EntegratorClient("https://entegrator.example.com", api_key="ek_….…") as api:
        sent = api.send(invoice_json, idempotency_key="ERP-000123")
        for doc in api.iter_invoices(direction="IN", unread=True):
            xml = api.download(doc.id, "xml")
            api.mark([doc.id])

:func:`verify_webhook` checks the signature of a webhook call on the receiving side.
"""

from __future__ import annotations

from entegrator.client.errors import ApiError
from entegrator.client.http import EntegratorClient
from entegrator.client.models import (
    Document,
    GibUser,
    HistoryStep,
    Page,
    ResponseSent,
    Submitted,
)
from entegrator.client.webhooks import verify_webhook

__all__ = [
    "ApiError",
    "Document",
    "EntegratorClient",
    "GibUser",
    "HistoryStep",
    "Page",
    "ResponseSent",
    "Submitted",
    "verify_webhook",
]
