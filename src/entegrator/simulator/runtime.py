"""What the simulator's request handlers and job handlers share: database, clock, config,
integrator directory, fault plan, signature policy and the HTTP client to integrators.

One :class:`Runtime` per running simulator (built by :class:`entegrator.simulator.app.Simulator`);
it is passed explicitly, never looked up globally. :meth:`Runtime.enqueue` writes a job in the
caller's transaction; :meth:`Runtime.kick` wakes the in-process workers after the commit, so a
new job does not wait for the next poll.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Connection

from entegrator.gib import GibClient, GibClientConfig, HttpxTransport
from entegrator.simulator.checks import CheckContext
from entegrator.simulator.config import SimulatorConfig
from entegrator.simulator.directory import IntegratorDirectory
from entegrator.simulator.faults import FaultPlan
from entegrator.simulator.portaldesk import PortalDesk
from entegrator.simulator.signatures import SignatureCheck
from entegrator.simulator.users import AliasEntry, find_aliases
from entegrator.store import Clock, Database
from entegrator.store import jobs as store_jobs

__all__ = ["DELIVER", "GROUPS", "POLL", "PROCESS", "PUSH", "Runtime", "Waker", "Wakers"]

PROCESS: Final = "sim.process"
DELIVER: Final = "sim.deliver"
PUSH: Final = "sim.push"
POLL: Final = "sim.poll"

#: The worker group that runs each job kind (:mod:`entegrator.simulator.workers`).
GROUPS: Final = {PROCESS: "process", DELIVER: "network", PUSH: "network", POLL: "network"}


class Waker:
    """A clock for one group of workers that also wakes one of them when a job is queued."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._condition = threading.Condition()
        self._generation = 0

    def now(self) -> datetime:
        """The wrapped clock's time."""
        return self._clock.now()

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Wait up to ``seconds``, or until :meth:`kick` or ``event``; return ``event``'s state."""
        with self._condition:
            generation = self._generation
            self._condition.wait_for(
                lambda: self._generation != generation or event.is_set(), timeout=max(seconds, 0))
        return event.is_set()

    def kick(self, *, everyone: bool = False) -> None:
        """Wake one waiting worker (a busy one looks for more work by itself), or all."""
        with self._condition:
            self._generation += 1
            if everyone:
                self._condition.notify_all()
            else:
                self._condition.notify()


class Wakers:
    """One :class:`Waker` per worker group; remembers, per thread, which groups got jobs.

    On SQLite every claim takes the write lock, so waking only a worker that has something to
    do keeps the lock free for the work itself.
    """

    def __init__(self, clock: Clock) -> None:
        self.groups = {group: Waker(clock) for group in sorted(set(GROUPS.values()))}
        self._pending = threading.local()

    def note(self, kind: str) -> None:
        """Remember that a job of ``kind`` was enqueued in this thread's transaction."""
        pending: set[str] = getattr(self._pending, "groups", set())
        pending.add(GROUPS.get(kind, "network"))
        self._pending.groups = pending

    def kick(self) -> None:
        """Wake a worker of each group noted in this thread (after the commit)."""
        pending: set[str] = getattr(self._pending, "groups", set())
        self._pending.groups = set()
        for group in pending:
            self.groups[group].kick()

    def kick_all(self) -> None:
        """Wake every worker (shutdown)."""
        for waker in self.groups.values():
            waker.kick(everyone=True)


@dataclass(frozen=True, slots=True, eq=False)
class Runtime:
    """The simulator's shared services (see the module docstring)."""

    config: SimulatorConfig
    db: Database
    clock: Clock
    wakers: Wakers
    directory: IntegratorDirectory
    faults: FaultPlan
    signatures: SignatureCheck
    transport: HttpxTransport
    portal: PortalDesk

    def now(self) -> datetime:
        """The current time (aware UTC)."""
        return self.clock.now()

    def later(self, gib_seconds: float) -> datetime:
        """The clock time ``gib_seconds`` of GİB time from now (time factor applied)."""
        return self.now() + self.config.schedule.scaled(gib_seconds)

    def enqueue(self, conn: Connection, kind: str, payload: dict[str, Any], *,
                at: datetime | None = None, destination: str | None = None,
                dedupe_key: str | None = None) -> int:
        """Add a job in the caller's transaction (call :meth:`kick` after the commit)."""
        self.wakers.note(kind)
        return store_jobs.enqueue(conn, kind, payload, run_at=at, destination=destination,
                                  dedupe_key=dedupe_key, clock=self.clock)

    def kick(self) -> None:
        """Wake the workers of the jobs this thread enqueued (after the commit)."""
        self.wakers.kick()

    def client(self, integrator_id: str) -> GibClient:
        """A client of integrator ``integrator_id``'s own EFatura service."""
        integrator = self.directory.get(integrator_id)
        return GibClient(GibClientConfig(integrator.endpoint, soap_version=self.config.soap_version,
                                         mtom=self.config.mtom), self.transport)

    def lookup(self, vkn: str, alias: str) -> list[AliasEntry]:
        """The open aliases of one (VKN, alias) pair."""
        with self.db.transaction(read_only=True) as conn:
            return find_aliases(conn, alias, identifier=vkn)

    def check_context(self, caller: str, *, counter_signature: bool = False) -> CheckContext:
        """What the envelope checks need for an envelope from ``caller``."""
        signatures = replace(self.signatures, delegates=self.directory.vkns(),
                             counter_signature=counter_signature)
        return CheckContext(switches=self.config.checks, signatures=signatures, caller=caller,
                            lookup=self.lookup, now=self.now())

    def poll_delay(self) -> timedelta:
        """Clock time between two polls of a silent receiver."""
        return self.config.schedule.scaled(self.config.schedule.poll_interval)
