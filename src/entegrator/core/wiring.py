"""The composition root: :func:`build_integrator` turns an :class:`EntegratorConfig` into the
one :class:`Integrator` object every face and every job handler receives.

Nothing here is a singleton: a process builds one Integrator (tests build many, one per
database) and closes it. The schema is checked, not silently upgraded: ``serve`` and
``worker`` refuse a database that is not at the newest revision (``entegrator db upgrade``
does that, the demo does it itself) — see docs/decisions/core-wiring.md.
"""

from __future__ import annotations

from typing import Literal

from entegrator.core.archive import open_archive
from entegrator.core.config import EntegratorConfig
from entegrator.core.events import NULL_SINK, EventSink
from entegrator.core.seals import SealResolver
from entegrator.core.userlist import UserDirectory
from entegrator.core.webhooks import WebhookSink
from entegrator.gib import GibClient, GibClientConfig, HttpxTransport, Transport
from entegrator.signing import TrustStore
from entegrator.store import Database, migrate
from entegrator.store.archive import Archive
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.jobs import HandlerRegistry
from entegrator.validation import ValidationEngine, default_engine

__all__ = ["Integrator", "SchemaPolicy", "build_integrator"]

#: What build_integrator does with the schema: check it, upgrade it, or leave it alone.
SchemaPolicy = Literal["require", "upgrade", "ignore"]


class Integrator:
    """Everything a core service or job needs: database, clock, seals, GİB client, archive.

    ``transport`` is the GİB transport (HTTP in production, in-process in tests); ``events``
    the sink faces plug in (webhooks later); ``gib_users`` GİB's registered-user list
    (:class:`~entegrator.core.userlist.UserDirectory`). :attr:`jobs` is the handler
    registry, built on first use from every owner's ``register`` function
    (:mod:`entegrator.core.jobs`).
    """

    def __init__(
        self,
        config: EntegratorConfig,
        *,
        db: Database,
        clock: Clock,
        seals: SealResolver,
        transport: Transport,
        archive: Archive,
        events: EventSink = NULL_SINK,
        owns_transport: bool = True,
    ) -> None:
        self.config = config
        self.db = db
        self.clock = clock
        self.seals = seals
        self.transport = transport
        self.archive = archive
        self.events = events
        self.gib_client = GibClient(
            GibClientConfig(endpoint=config.gib.merkez_url, mtom=config.gib.mtom), transport
        )
        self.gib_users = UserDirectory(db)
        self._owns_transport = owns_transport
        self._jobs: HandlerRegistry | None = None

    @property
    def trust(self) -> TrustStore:
        """Certificates trusted to issue seals (also used to verify received documents)."""
        return self.seals.trust

    @property
    def validator(self) -> ValidationEngine:
        """This process's validation engine (XSD + schematron, built on first use)."""
        return default_engine()

    @property
    def jobs(self) -> HandlerRegistry:
        """Every job kind this integrator runs, with its handler."""
        if self._jobs is None:
            from entegrator.core.jobs import build_registry  # jobs imports the services

            self._jobs = build_registry(self)
        return self._jobs

    def close(self) -> None:
        """Release seals (token sessions), the HTTP client and the database pool."""
        self.seals.close()
        close = getattr(self.transport, "close", None)
        if self._owns_transport and callable(close):
            close()
        self.db.dispose()


def build_integrator(
    config: EntegratorConfig,
    *,
    clock: Clock = SYSTEM_CLOCK,
    transport: Transport | None = None,
    schema: SchemaPolicy = "require",
    events: EventSink | None = None,
) -> Integrator:
    """Build the integrator for ``config``.

    ``schema="require"`` raises :class:`~entegrator.store.SchemaNotCurrent` for an old
    schema, ``"upgrade"`` migrates first. ``transport`` replaces the HTTP transport to
    GİB (tests; it is then not closed by :meth:`Integrator.close`). ``events`` defaults to
    the webhook sink (:class:`~entegrator.core.webhooks.WebhookSink`).
    """
    db = Database.from_config(config.database)
    try:
        if schema == "upgrade":
            migrate.upgrade(db.engine)
        elif schema == "require":
            migrate.require_current(db.engine)
        seals = SealResolver(db, config.signing, integrator_vkn=config.integrator.vkn,
                             clock=clock)
        archive = open_archive(config.archive, db=db, clock=clock)
    except BaseException:
        db.dispose()
        raise
    owns = transport is None
    return Integrator(
        config,
        db=db,
        clock=clock,
        seals=seals,
        transport=transport or HttpxTransport(config.gib.transport),
        archive=archive,
        events=events if events is not None else WebhookSink(clock),
        owns_transport=owns,
    )

