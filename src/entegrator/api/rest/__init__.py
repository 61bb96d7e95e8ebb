"""api.rest — the REST/JSON API under ``/api/v1`` for ERPs and scripts.

Routers per resource — ``invoices`` (send, batch, list, read as JSON/XML/HTML/PDF, history,
KABUL/RED, return, read flags, resend), ``drafts``, ``gib-users`` (CheckUser), ``archive``
(search, read, export), ``webhooks`` (subscriptions, delivery log), ``oauth/token`` and
``me`` — each route authenticates (:mod:`.auth`: API key or OAuth2 access token, one
taxpayer and one role per credential) and calls ONE core service with the resulting
:class:`~entegrator.core.context.Caller`. Errors are RFC 9457 problem details from one table
(:mod:`.problems`). Decisions: docs/decisions/api-rest-*.md.
"""

from __future__ import annotations

from fastapi import APIRouter

from entegrator.api.rest.archive import archive_router
from entegrator.api.rest.context import RestContext
from entegrator.api.rest.directory import directory_router
from entegrator.api.rest.drafts import drafts_router
from entegrator.api.rest.invoices import invoices_router
from entegrator.api.rest.oauth import oauth_router
from entegrator.api.rest.webhooks import webhooks_router

__all__ = ["PREFIX", "RestContext", "rest_router"]

#: Where the REST API lives.
PREFIX = "/api/v1"


def rest_router(ctx: RestContext) -> APIRouter:
    """Every REST route over ``ctx``, under :data:`PREFIX`."""
    router = APIRouter(prefix=PREFIX)
    for make in (oauth_router, invoices_router, drafts_router, directory_router,
                 archive_router, webhooks_router):
        router.include_router(make(ctx))
    return router
