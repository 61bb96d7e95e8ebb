"""The integrator's ASGI application: the GİB-facing EFatura service, a health check, and
the faces (ERP APIs, portal) mounted beside them.

:func:`create_app` serves GİB's ``sendDocument`` / ``getApplicationResponse`` at
``config.serve.gib.path`` with core's :class:`~entegrator.core.inbound.receiver.Receiver`
(the allow-list of ``config.serve.gib`` applies), and ``GET /healthz`` (200 when the
database answers, else 503). Faces live in higher layers, so core cannot import them: the
command line builds their routes and passes them in ``faces`` (``entegrator.cli.serve``
lists them).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import anyio.to_thread
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from entegrator.core.inbound.receiver import Receiver
from entegrator.core.wiring import Integrator
from entegrator.gib import efatura_routes

__all__ = ["HEALTH_PATH", "create_app"]

log = logging.getLogger("entegrator.core.server")

HEALTH_PATH = "/healthz"


def create_app(integrator: Integrator, *, faces: Sequence[BaseRoute] = ()) -> Starlette:
    """The ASGI app of ``entegrator serve`` for ``integrator`` (closed by the caller)."""

    def database_answers() -> bool:
        try:
            with integrator.db.transaction(read_only=True) as conn:
                conn.execute(text("SELECT 1"))
        except SQLAlchemyError:
            log.exception("health check: database unavailable")
            return False
        return True

    async def healthz(_request: Request) -> JSONResponse:
        if await anyio.to_thread.run_sync(database_answers):
            return JSONResponse({"durum": "hazır"})
        return JSONResponse({"durum": "veritabanına ulaşılamıyor"}, status_code=503)

    routes: list[BaseRoute] = [
        *efatura_routes(integrator.config.serve.gib, Receiver(integrator)),
        Route(HEALTH_PATH, healthz, methods=["GET"]),
        *faces,
    ]
    return Starlette(routes=routes)
