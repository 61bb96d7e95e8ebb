"""The job worker: claim due jobs in batches, run their handlers, record the outcomes.

Any number of worker processes may run against PostgreSQL (claims use ``SKIP LOCKED``); on
SQLite run one worker in the application process (claims are serialised by the write lock,
so more are safe but gain nothing). Execution is at-least-once: a worker that dies leaves
its jobs to others when their lease runs out. Outcomes of plain handlers are written in one
transaction per batch; a handler that needs exactly-once effects uses
``JobContext.transaction()``.

Graceful shutdown: :meth:`Worker.stop` (or SIGTERM/SIGINT after :func:`stop_on_signals`)
lets the running handler finish, records what finished and gives unstarted jobs back.
"""

from __future__ import annotations

import itertools
import logging
import os
import random
import secrets
import signal
import socket
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection
from sqlalchemy.exc import InterfaceError, OperationalError

from entegrator.errors import EntegratorError
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.db import Database
from entegrator.store.errors import LeaseLost
from entegrator.store.jobs import breaker, claims
from entegrator.store.jobs.claims import ClaimedJob
from entegrator.store.jobs.context import JobContext
from entegrator.store.jobs.policy import WorkerConfig
from entegrator.store.jobs.registry import HandlerRegistry, JobHandler
from entegrator.store.jobs.tables import BreakerState

__all__ = ["Worker", "stop_on_signals"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class _Outcomes:
    """Results not yet written: flushed together at the end of a batch or before a failure."""

    done: list[int] = field(default_factory=list)
    rescheduled: list[tuple[int, datetime]] = field(default_factory=list)
    healthy: set[str] = field(default_factory=set)

    def clear(self) -> None:
        self.done.clear()
        self.rescheduled.clear()
        self.healthy.clear()


@dataclass(slots=True)
class _Batch:
    token: str
    jobs: list[ClaimedJob]
    lease_until: datetime
    outcomes: _Outcomes = field(default_factory=_Outcomes)
    blocked: set[str] = field(default_factory=set)


class Worker:
    """Runs jobs of the kinds in ``registry`` until stopped."""

    def __init__(
        self,
        db: Database,
        registry: HandlerRegistry,
        config: WorkerConfig | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        rng: random.Random | None = None,
    ) -> None:
        if not registry.kinds:
            raise ValueError("a worker needs at least one registered job kind")
        self.db = db
        self.registry = registry
        self.config = config or WorkerConfig()
        self.clock = clock
        self.worker_id = self.config.worker_id or (
            f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        )
        self._rng = rng or random.Random()
        self._claims = itertools.count(1)
        self._stop = threading.Event()
        self._last_reap: datetime | None = None
        self._last_probe: datetime | None = None

    # -- loop -----------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the worker to finish the current job and return from :meth:`run`."""
        self._stop.set()

    def run(self) -> None:
        """Process jobs until :meth:`stop`.

        Database outages (OperationalError, InterfaceError) are waited out with growing
        pauses; any other error escapes (the process supervisor restarts the worker, and the
        leases hand its jobs to others).
        """
        outages = 0
        while not self._stop.is_set():
            try:
                processed = self.run_once()
            except (OperationalError, InterfaceError) as exc:
                outages += 1
                pause = min(30.0, self.config.poll_interval * 2**outages)
                log.warning(
                    "job worker %s: database unavailable (%s); retrying in %.1fs",
                    self.worker_id,
                    exc.orig or exc,
                    pause,
                )
                self.clock.wait(self._stop, pause)
                continue
            outages = 0
            if processed == 0:
                self.clock.wait(self._stop, self.config.poll_interval)

    def run_until_idle(self, max_rounds: int = 100_000) -> int:
        """Process due jobs until none is left (tests, one-shot commands); return the count."""
        total = 0
        for _ in range(max_rounds):
            processed = self.run_once()
            total += processed
            if processed == 0 or self._stop.is_set():
                break
        return total

    def run_once(self) -> int:
        """Reap expired leases when due, claim one batch and run it; return jobs claimed."""
        now = self.clock.now()
        if (
            self._last_reap is None
            or (now - self._last_reap).total_seconds() >= self.config.reap_interval
        ):
            self.reap()
        batch = self._claim()
        if batch.jobs:
            self._process(batch)
        return len(batch.jobs)

    def reap(self) -> int:
        """Return jobs with expired leases to the queue; return how many."""
        now = self.clock.now()
        with self.db.transaction() as conn:
            count = claims.reap_expired(conn, now=now)
        self._last_reap = now
        if count:
            log.warning(
                "job worker %s: %d job(s) with expired leases re-queued", self.worker_id, count
            )
        return count

    # -- claim ----------------------------------------------------------------------------

    def _claim(self) -> _Batch:
        now = self.clock.now()
        lease_until = now + timedelta(seconds=self.config.lease)
        token = f"{self.worker_id}#{next(self._claims)}"
        kinds = self.registry.kinds
        taken: list[ClaimedJob] = []
        probe = (
            self._last_probe is None
            or (now - self._last_probe).total_seconds() >= self.config.probe_interval
        )
        with self.db.transaction() as conn:
            cooled = (
                breaker.take_probes(conn, kinds=kinds, now=now, probe_until=lease_until)
                if probe
                else []
            )
            for destination in cooled:
                probe_job = claims.claim(
                    conn,
                    token=token,
                    kinds=kinds,
                    limit=1,
                    now=now,
                    lease_until=lease_until,
                    destination=destination,
                )
                if not probe_job:
                    breaker.give_back_probe(conn, destination, now=now)
                taken.extend(probe_job)
            if probe:
                self._last_probe = now
            room = self.config.batch_size - len(taken)
            if room > 0:
                taken.extend(
                    claims.claim(
                        conn, token=token, kinds=kinds, limit=room, now=now, lease_until=lease_until
                    )
                )
        return _Batch(token, taken, lease_until)

    # -- run ------------------------------------------------------------------------------

    def _process(self, batch: _Batch) -> None:
        waiting = list(batch.jobs)
        given_back: list[int] = []
        try:
            while waiting and not self._stop.is_set():
                job = waiting.pop(0)
                if job.destination in batch.blocked:
                    given_back.append(job.id)
                    continue
                if not self._still_held(batch, job, waiting):
                    continue
                self._run(batch, job)
        finally:
            given_back.extend(job.id for job in waiting)
            with self.db.transaction() as conn:
                self._flush(conn, batch)
                claims.release(conn, given_back, token=batch.token, now=self.clock.now())

    def _still_held(self, batch: _Batch, job: ClaimedJob, waiting: list[ClaimedJob]) -> bool:
        """Renew the batch's lease when half of it is used; drop jobs lost meanwhile."""
        now = self.clock.now()
        remaining = (batch.lease_until - now).total_seconds()
        if remaining > self.config.lease / 2:
            return True
        lease_until = now + timedelta(seconds=self.config.lease)
        ids = [
            job.id,
            *(j.id for j in waiting),
            *batch.outcomes.done,
            *(i for i, _ in batch.outcomes.rescheduled),
        ]
        with self.db.transaction() as conn:
            held = claims.renew(conn, ids, token=batch.token, lease_until=lease_until, now=now)
        batch.lease_until = lease_until
        lost = set(ids) - held
        if lost:
            log.warning("job worker %s: lost the lease of job(s) %s", self.worker_id, sorted(lost))
            waiting[:] = [j for j in waiting if j.id not in lost]
        return job.id in held

    def _run(self, batch: _Batch, job: ClaimedJob) -> None:
        handler = self.registry.get(job.kind)
        if job.attempt > handler.retry.max_attempts:
            error = f"deneme hakkı doldu ({job.attempt - 1} deneme; son kilit süresi aşıldı)"
            self._fail(batch, job, handler, error, retry=False, transport=False)
            return
        ctx = JobContext(job, db=self.db, clock=self.clock, token=batch.token)
        try:
            handler.run(ctx)
        except LeaseLost:
            log.warning(
                "job worker %s: job %d was taken over; its effects were rolled back",
                self.worker_id,
                job.id,
            )
            return
        except Exception as exc:
            if not ctx.finished:
                retryable = exc.retryable if isinstance(exc, EntegratorError) else True
                transport = isinstance(exc, EntegratorError) and exc.retryable
                if isinstance(exc, EntegratorError) and not transport and job.destination:
                    batch.outcomes.healthy.add(job.destination)  # the destination answered
                log.warning(
                    "job %d (%s) attempt %d failed: %s",
                    job.id,
                    job.kind,
                    job.attempt,
                    exc,
                    exc_info=not isinstance(exc, EntegratorError),
                )
                self._fail(
                    batch,
                    job,
                    handler,
                    f"{type(exc).__name__}: {exc}",
                    retry=retryable,
                    transport=transport,
                )
                return
            log.exception("job %d (%s) raised after its transaction committed", job.id, job.kind)
        if not ctx.finished:
            if ctx.next_run is not None:
                batch.outcomes.rescheduled.append((job.id, ctx.next_run))
            else:
                batch.outcomes.done.append(job.id)
        if job.destination:
            batch.outcomes.healthy.add(job.destination)

    def _fail(
        self,
        batch: _Batch,
        job: ClaimedJob,
        handler: JobHandler,
        error: str,
        *,
        retry: bool,
        transport: bool,
    ) -> None:
        now = self.clock.now()
        retry_at = None
        if retry and job.attempt < handler.retry.max_attempts:
            retry_at = now + timedelta(seconds=handler.retry.delay(job.attempt, self._rng))
        with self.db.transaction() as conn:
            self._flush(conn, batch)
            claims.fail(conn, job.id, token=batch.token, now=now, error=error, retry_at=retry_at)
            if transport and job.destination:
                state = breaker.record_failure(conn, job.destination, self.config.breaker, now=now)
                if state is BreakerState.OPEN:
                    batch.blocked.add(job.destination)
        if retry_at is None:
            log.error(
                "job %d (%s) parked as dead after %d attempt(s): %s",
                job.id,
                job.kind,
                job.attempt,
                error,
            )

    def _flush(self, conn: Connection, batch: _Batch) -> None:
        now = self.clock.now()
        outcomes = batch.outcomes
        claims.complete(conn, outcomes.done, token=batch.token, now=now)
        claims.reschedule(conn, outcomes.rescheduled, token=batch.token, now=now)
        breaker.record_success(conn, outcomes.healthy, now=now)
        outcomes.clear()


def stop_on_signals(
    worker: Worker, signals: tuple[int, ...] = (signal.SIGTERM, signal.SIGINT)
) -> None:
    """Make ``signals`` stop ``worker`` gracefully (call from the main thread)."""

    def _handler(signum: int, _frame: object) -> None:
        log.info(
            "job worker %s: signal %d, stopping after the current job", worker.worker_id, signum
        )
        worker.stop()

    for signum in signals:
        signal.signal(signum, _handler)
