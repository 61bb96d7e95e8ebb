"""What a handler gets: the job, the clock, and the transactional-completion helper.

``with ctx.transaction() as conn:`` runs the handler's database effects and the job's
completion (done, or rescheduled by :meth:`JobContext.reschedule`) in ONE transaction. If the
worker crashes before the commit, neither happened and the job runs again; if the lease was
lost meanwhile (another worker took the job over), :class:`~entegrator.store.errors.LeaseLost`
rolls the effects back. Effects kept in the same database therefore happen exactly once.
Do slow work (network calls) before entering the block: on SQLite the transaction holds the
database's write lock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection

from entegrator.store.clock import Clock
from entegrator.store.db import Database
from entegrator.store.errors import LeaseLost
from entegrator.store.jobs import claims
from entegrator.store.jobs.claims import ClaimedJob

__all__ = ["JobContext"]


class JobContext:
    """One run of one job."""

    def __init__(self, job: ClaimedJob, *, db: Database, clock: Clock, token: str) -> None:
        self.job = job
        self.db = db
        self.clock = clock
        self._token = token
        self._next_run: datetime | None = None
        self.finished = False

    @property
    def id(self) -> int:
        """The job id."""
        return self.job.id

    @property
    def payload(self) -> dict[str, Any]:
        """The JSON payload given at enqueue time."""
        return self.job.payload

    @property
    def attempt(self) -> int:
        """1 on the first run, 2 on the first retry, …"""
        return self.job.attempt

    @property
    def next_run(self) -> datetime | None:
        """When the job runs again, if the handler asked for it."""
        return self._next_run

    def reschedule(self, *, delay: float | None = None, at: datetime | None = None) -> None:
        """Run this job again later instead of finishing it (e.g. a status not final yet).

        Not a failure: attempts start again from zero. Inside :meth:`transaction` the
        reschedule is committed with the handler's effects.
        """
        if (delay is None) == (at is None):
            raise ValueError("give exactly one of delay and at")
        if at is not None and at.tzinfo is None:
            raise ValueError("at must be timezone-aware")
        self._next_run = at if at is not None else self.clock.now() + timedelta(seconds=delay or 0)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A transaction whose commit also finishes the job (see the module docstring)."""
        if self.finished:
            raise RuntimeError(f"job {self.id} is already finished")
        with self.db.transaction() as conn:
            yield conn
            now = self.clock.now()
            if self._next_run is not None:
                held = claims.reschedule(
                    conn, [(self.id, self._next_run)], token=self._token, now=now
                )
            else:
                held = claims.complete(conn, [self.id], token=self._token, now=now)
            if held != 1:
                raise LeaseLost(self.id)
        self.finished = True
