"""The SOAP faces as Starlette routes: every registered dialect at each of its paths.

:func:`soap_routes` is what the ASGI assembly mounts; :class:`SoapFaces` is the same with a
handle to close (it writes the last buffered audit rows when it owns the audit buffer).
The default dialects are an explicit tuple (style-examples §8): İzibiz's AuthenticationWS,
EInvoiceWS and EFaturaOIB, and EDM's EFaturaEDM.svc.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from starlette.routing import Route

from entegrator.api import edm, izibiz
from entegrator.api.protection import CallAudit, Protection
from entegrator.api.settings import ApiSettings
from entegrator.api.soap.call import SoapServices
from entegrator.api.soap.config import SoapSettings
from entegrator.api.soap.dialect import Dialect, DialectRegistry
from entegrator.api.soap.endpoint import Endpoint
from entegrator.core.sessions import Sessions

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["DEFAULT_DIALECTS", "SoapFaces", "soap_routes"]

#: Every SOAP service entegrator offers, in mounting order.
DEFAULT_DIALECTS: tuple[Dialect, ...] = (*izibiz.DIALECTS, *edm.DIALECTS)


class SoapFaces:
    """The SOAP endpoints of one server and the services they share."""

    def __init__(self, integrator: Integrator, *, settings: SoapSettings | None = None,
                 protection: Protection | None = None, audit: CallAudit | None = None,
                 sessions: Sessions | None = None,
                 dialects: Iterable[Dialect] = DEFAULT_DIALECTS) -> None:
        settings = settings or SoapSettings()
        self.registry = DialectRegistry(dialects)
        self._owns_audit = audit is None
        self.services = SoapServices(
            integrator,
            sessions=sessions or Sessions(integrator.db, auth=integrator.config.auth,
                                          clock=integrator.clock, settings=settings.sessions),
            protection=protection or Protection(ApiSettings()),
            audit=audit or CallAudit(integrator.db, integrator.clock,
                                     flush_interval=settings.audit_flush_seconds),
            settings=settings,
        )
        self.endpoints = {d.id: Endpoint(d, self.services) for d in self.registry}

    @property
    def routes(self) -> list[Route]:
        """One route per dialect path (GET for the description, POST for calls)."""
        return [Route(path, endpoint.handle, methods=["GET", "POST"], name=f"soap-{dialect_id}")
                for dialect_id, endpoint in self.endpoints.items()
                for path in endpoint.dialect.paths]

    def close(self) -> None:
        """Write the last buffered audit rows, when the audit is this object's own."""
        if self._owns_audit:
            self.services.audit.close()


def soap_routes(integrator: Integrator, *, settings: SoapSettings | None = None,
                protection: Protection | None = None,
                audit: CallAudit | None = None) -> list[Route]:
    """The routes of every default SOAP service, for mounting in the ASGI app.

    Pass the API app's ``protection`` and ``audit`` so every face shares one set of limits
    and one audit buffer (:mod:`entegrator.api.app`).
    """
    return SoapFaces(integrator, settings=settings, protection=protection, audit=audit).routes
