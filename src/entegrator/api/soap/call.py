"""One SOAP call as handlers see it: the request, its REQUEST_HEADER, the caller, the services.

:class:`SoapServices` is what every endpoint of one server shares (the integrator, the
session service, the protection and call audit of :mod:`entegrator.api.protection`, the
settings, a small cache of taxpayer facts);
:class:`Call` is built per request by :mod:`.endpoint` and handed to the operation's handler.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from lxml import etree

from entegrator.api.protection import CallAudit, Protection
from entegrator.api.soap import xmlread
from entegrator.api.soap.config import SoapSettings
from entegrator.api.soap.errors import BadRequest
from entegrator.api.soap.xmlwrite import add, element
from entegrator.core.auth import RequestOrigin
from entegrator.core.context import Caller
from entegrator.core.sessions import Session, SessionInvalid, Sessions
from entegrator.core.tenants import Taxpayer, get_taxpayer

if TYPE_CHECKING:
    from entegrator.api.soap.dialect import Dialect, Operation
    from entegrator.core.wiring import Integrator

__all__ = ["Call", "RequestHeader", "SoapServices"]

_TAXPAYER_TTL: Final = 60.0


@dataclass(frozen=True, slots=True)
class RequestHeader:
    """What the faces use of ``REQUEST_HEADER`` (integrator-api.md §3.1)."""

    session_id: str | None = None
    client_txn_id: str | None = None
    application_name: str | None = None
    compressed: bool | None = None

    @classmethod
    def read(cls, request: etree._Element) -> RequestHeader:
        """Read the header of ``request`` leniently; never raises (absent header: all None;
        a COMPRESSED value that is no flag counts as not given)."""
        header = xmlread.child(request, "REQUEST_HEADER")
        try:
            compressed = xmlread.flag(header, "COMPRESSED")
        except BadRequest:
            compressed = None
        return cls(
            session_id=xmlread.text(header, "SESSION_ID"),
            client_txn_id=xmlread.text(header, "CLIENT_TXN_ID"),
            application_name=xmlread.text(header, "APPLICATION_NAME"),
            compressed=compressed,
        )


class SoapServices:
    """The shared services of the SOAP endpoints of one server: the integrator, sessions, the
    API's protection (rate and brute-force limits) and call audit, the settings."""

    def __init__(self, integrator: Integrator, *, sessions: Sessions, protection: Protection,
                 audit: CallAudit, settings: SoapSettings) -> None:
        self.integrator = integrator
        self.sessions = sessions
        self.protection = protection
        self.audit = audit
        self.settings = settings
        self._txn = itertools.count(int(time.time() * 1000) % 10**12 * 1000)
        self._taxpayers: dict[int, tuple[float, Taxpayer]] = {}
        self._lock = threading.Lock()

    def next_txn_id(self) -> int:
        """A new ``INTL_TXN_ID`` (unique in this process, increasing)."""
        with self._lock:
            return next(self._txn)

    def taxpayer(self, tenant_id: int) -> Taxpayer:
        """The taxpayer's facts (VKN, title), cached for a minute."""
        now = time.monotonic()
        with self._lock:
            cached = self._taxpayers.get(tenant_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        with self.integrator.db.transaction(read_only=True) as conn:
            found = get_taxpayer(conn, tenant_id)
        with self._lock:
            self._taxpayers[tenant_id] = (now + _TAXPAYER_TTL, found)
        return found


@dataclass(slots=True)
class Call:
    """One request being answered (see the module docstring)."""

    services: SoapServices
    dialect: Dialect
    operation: Operation
    request: etree._Element
    header: RequestHeader
    origin: RequestOrigin
    txn_id: int
    session: Session | None = None
    subject: str | None = field(default=None)  # what the audit row names (ETTN, user…)

    @property
    def integrator(self) -> Integrator:
        """The integrator behind the face."""
        return self.services.integrator

    @property
    def settings(self) -> SoapSettings:
        """The SOAP settings."""
        return self.services.settings

    @property
    def caller(self) -> Caller:
        """The authenticated caller (only for operations that need a session)."""
        if self.session is None:
            raise SessionInvalid("Oturum gerekli")
        return self.session.caller(self.origin)

    @property
    def taxpayer(self) -> Taxpayer:
        """The caller's taxpayer."""
        if self.session is None:
            raise SessionInvalid("Oturum gerekli")
        return self.services.taxpayer(self.session.tenant_id)

    def compressed(self, *, default: bool) -> bool:
        """``COMPRESSED`` of the header, or ``default`` when the client did not say."""
        return default if self.header.compressed is None else self.header.compressed

    def request_return(self) -> etree._Element:
        """A ``REQUEST_RETURN`` block with RETURN_CODE 0 (integrator-api.md §3.2)."""
        block = element("REQUEST_RETURN")
        add(block, "INTL_TXN_ID", self.txn_id)
        add(block, "CLIENT_TXN_ID", self.header.client_txn_id)
        add(block, "RETURN_CODE", 0)
        return block
