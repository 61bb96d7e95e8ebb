"""The simulator as one object: database, ASGI app and workers, embeddable or as a process.

::

    sim = Simulator(config, Database.from_config(StoreConfig(url)))
    with sim:                                  # starts the worker threads
        base = sim.serve_in_thread(port=0)     # uvicorn on 127.0.0.1, in a thread
        merkez = sim.service_url(base, "a")    # integrator a's Merkez endpoint

``entegrator gib-sim`` calls :meth:`Simulator.run`, which blocks in uvicorn. The app serves
the EFatura service (:mod:`.routing`), the user-list downloads (:mod:`.downloads`) and the
admin API (:mod:`.admin`). Start-up creates the simulator's tables if missing
(:func:`.tables.create_schema`), writes the configured integrators, portal users and seed
users, and resumes any pending jobs.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from pathlib import Path
from types import FrameType, TracebackType

import uvicorn
from starlette.applications import Starlette
from starlette.routing import Route

from entegrator.errors import ConfigurationError
from entegrator.gib import HttpxTransport
from entegrator.signing import TrustStore, VerificationPolicy
from entegrator.signing.devpki import DevPki
from entegrator.simulator import users
from entegrator.simulator.admin import admin_routes
from entegrator.simulator.config import PORTAL_OWNER, SimulatorConfig
from entegrator.simulator.directory import IntegratorDirectory, save_integrator
from entegrator.simulator.downloads import userlist_routes
from entegrator.simulator.errors import AliasConflict
from entegrator.simulator.faults import FaultPlan
from entegrator.simulator.portaldesk import PortalDesk
from entegrator.simulator.routing import BOUND_PATH, SHARED_PATH, EFaturaRouter, integrator_path
from entegrator.simulator.runtime import Runtime, Wakers
from entegrator.simulator.signatures import SignatureCheck
from entegrator.simulator.tables import create_schema
from entegrator.simulator.workers import WorkerPool
from entegrator.store import SYSTEM_CLOCK, Clock, Database

__all__ = ["Simulator"]

log = logging.getLogger("entegrator.simulator")


def _note_signal(signum: int, _frame: FrameType | None) -> None:
    log.info("simülatör: %s sinyali; duruyor", signal.Signals(signum).name)


def _trust(config: SimulatorConfig, desk: PortalDesk) -> TrustStore:
    anchors = [*config.trust_anchors, *desk.anchors]
    if config.trust_store is not None:
        anchors.extend(TrustStore.from_directory(config.trust_store).anchors)
    return TrustStore.from_certificates(anchors)


class Simulator:
    """A GİB Merkez simulator on its own database (see the module docstring)."""

    def __init__(self, config: SimulatorConfig, db: Database, *, clock: Clock = SYSTEM_CLOCK,
                 portal_pki: DevPki | None = None) -> None:
        self.config = config
        self.db = db
        create_schema(db.engine)
        self.portal = PortalDesk(config.portal_users, pki=portal_pki, now=clock.now())
        if config.portal_trust_out is not None:
            self.portal.pki.write_trust_directory(config.portal_trust_out)
        checks = config.checks
        policy = VerificationPolicy(trust=_trust(config, self.portal))
        self._seed(clock)
        self.runtime = Runtime(
            config=config, db=db, clock=clock, wakers=Wakers(clock),
            directory=IntegratorDirectory(db), faults=FaultPlan(config.faults),
            signatures=SignatureCheck(
                presence=checks.signature_presence, verify=checks.verify_signatures,
                require_signer_vkn=checks.require_signer_vkn, policy=policy,
                delegates=frozenset()),
            transport=HttpxTransport(config.delivery), portal=self.portal)
        self.workers = WorkerPool(self.runtime)
        router = EFaturaRouter(self.runtime)
        self.app = Starlette(routes=[
            Route(SHARED_PATH, router), Route(BOUND_PATH, router),
            *userlist_routes(self.runtime), *admin_routes(self.runtime)])
        self._servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def _seed(self, clock: Clock) -> None:
        now = clock.now()
        config = self.config
        try:
            with self.db.transaction() as conn:
                for integrator in config.integrators:
                    save_integrator(conn, integrator, now=now)
                for user in config.portal_users:
                    users.register(conn, user.vkn, title=user.title, type=user.type,
                                   owner=PORTAL_OWNER, now=now, gb=(user.gb_alias,),
                                   pk=(user.pk_alias,), account_type="GIBPORTAL")
                for seed in config.users:
                    users.register(conn, seed.vkn, title=seed.title, type=seed.type,
                                   owner=seed.integrator, now=now, gb=seed.gb, pk=seed.pk)
        except AliasConflict as exc:
            raise ConfigurationError(f"simülatör ayarları: {exc.message}") from exc

    # -- running -------------------------------------------------------------------------

    def start(self) -> None:
        """Start the worker threads (pending jobs of an earlier run resume)."""
        self.workers.start()

    def stop(self) -> None:
        """Stop servers started here, the workers, and the HTTP client."""
        for server, thread in self._servers:
            server.should_exit = True
            thread.join(10)
        self._servers.clear()
        self.workers.stop()
        self.runtime.transport.close()

    def __enter__(self) -> Simulator:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()

    def serve_in_thread(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve the app with uvicorn in a daemon thread; return its base URL."""
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        bound = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(self.app, log_config=None, access_log=False,
                                               lifespan="off", ws="none"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                                  name="gib-sim-http")
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("simülatör HTTP sunucusu başlamadı")
            time.sleep(0.01)
        self._servers.append((server, thread))
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        return f"http://{shown}:{bound}"

    def run(self, host: str = "127.0.0.1", port: int = 8085) -> None:
        """Serve in the foreground until SIGINT/SIGTERM (``entegrator gib-sim``).

        uvicorn shuts down gracefully on the signal and then raises it again; the handlers
        installed here absorb that, so the workers are stopped (jobs finished or handed back)
        before the process exits normally.
        """
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGINT, signal.SIGTERM):
                signal.signal(signum, _note_signal)
        self.start()
        try:
            uvicorn.run(self.app, host=host, port=port, log_config=None, access_log=False,
                        lifespan="off", ws="none")
        finally:
            self.stop()

    @staticmethod
    def service_url(base_url: str, integrator_id: str | None = None) -> str:
        """Merkez's EFatura URL under ``base_url`` (GİB's path, or one integrator's path)."""
        path = integrator_path(integrator_id) if integrator_id else SHARED_PATH
        return base_url.rstrip("/") + path

    @staticmethod
    def userlist_url(base_url: str) -> str:
        """Where the user-list zips are (``…/newUserGbListxml.zip`` underneath)."""
        return base_url.rstrip("/") + "/EFaturaMerkez"

    def trust_directory(self, directory: Path) -> Path:
        """Write the portal users' CA certificates (PEM) into ``directory``."""
        return self.portal.pki.write_trust_directory(directory)
