"""Circuit breaker per destination, kept in the database so every worker process shares it.

``closed``: jobs for the destination are claimed normally; each transport failure (an error
with ``retryable=True``) adds one to ``failures``, a success resets it. At
``failure_threshold`` the breaker turns ``open`` until ``open_until``: no job for that
destination is claimed. After the cooldown exactly one worker wins the breaker
(``half_open``, held until ``probe_until``) and runs one probe job: success closes the
breaker, a transport failure opens it for another cooldown. A probe whose worker died is
retried when ``probe_until`` passes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Select, and_, case, exists, literal, or_, select, update

from entegrator.store.dialect import insert_for
from entegrator.store.jobs.policy import BreakerPolicy
from entegrator.store.jobs.tables import BreakerState, JobState, job_breakers, jobs
from entegrator.store.schema import UtcDateTime

__all__ = ["BreakerStatus", "breaker_status", "reset_breaker"]

_b = job_breakers.c


@dataclass(frozen=True, slots=True)
class BreakerStatus:
    """A destination's breaker as stored."""

    destination: str
    state: BreakerState
    failures: int
    open_until: datetime | None
    probe_until: datetime | None


def breaker_status(conn: Connection, destination: str) -> BreakerStatus:
    """The breaker of ``destination`` (closed with no failures when never recorded)."""
    row = conn.execute(select(job_breakers).where(_b.destination == destination)).first()
    if row is None:
        return BreakerStatus(destination, BreakerState.CLOSED, 0, None, None)
    return BreakerStatus(
        row.destination, BreakerState(row.state), row.failures, row.open_until, row.probe_until
    )


def reset_breaker(conn: Connection, destination: str, *, now: datetime) -> None:
    """Close the breaker by hand (operator action)."""
    conn.execute(
        update(job_breakers)
        .where(_b.destination == destination)
        .values(
            state=BreakerState.CLOSED.value,
            failures=0,
            open_until=None,
            probe_until=None,
            updated_at=now,
        )
    )


def blocked_destinations() -> Select[tuple[str]]:
    """Subquery: destinations whose jobs must not be claimed normally (open or probing)."""
    return select(_b.destination).where(_b.state != BreakerState.CLOSED.value)


def take_probes(
    conn: Connection, *, kinds: Sequence[str], now: datetime, probe_until: datetime
) -> list[str]:
    """Move every cooled-down breaker that has a due job to half-open; return their destinations.

    Concurrent workers cannot both win one breaker: the UPDATE re-checks the state.
    """
    has_due_job = exists().where(
        jobs.c.destination == _b.destination,
        jobs.c.state == JobState.PENDING.value,
        jobs.c.run_at <= now,
        jobs.c.kind.in_(kinds),
    )
    stmt = (
        update(job_breakers)
        .where(
            or_(
                and_(_b.state == BreakerState.OPEN.value, _b.open_until <= now),
                and_(_b.state == BreakerState.HALF_OPEN.value, _b.probe_until <= now),
            ),
            has_due_job,
        )
        .values(state=BreakerState.HALF_OPEN.value, probe_until=probe_until, updated_at=now)
        .returning(_b.destination)
    )
    return list(conn.execute(stmt).scalars())


def give_back_probe(conn: Connection, destination: str, *, now: datetime) -> None:
    """A won probe found no job after all: back to open (already cooled down)."""
    conn.execute(
        update(job_breakers)
        .where(_b.destination == destination, _b.state == BreakerState.HALF_OPEN.value)
        .values(state=BreakerState.OPEN.value, probe_until=None, updated_at=now)
    )


def record_success(conn: Connection, destinations: Collection[str], *, now: datetime) -> None:
    """Close the breakers of ``destinations`` (no write when already closed and clean)."""
    if not destinations:
        return
    conn.execute(
        update(job_breakers)
        .where(
            _b.destination.in_(sorted(destinations)),
            or_(_b.failures > 0, _b.state != BreakerState.CLOSED.value),
        )
        .values(
            state=BreakerState.CLOSED.value,
            failures=0,
            open_until=None,
            probe_until=None,
            updated_at=now,
        )
    )


def record_failure(
    conn: Connection, destination: str, policy: BreakerPolicy, *, now: datetime
) -> BreakerState:
    """Count one transport failure; return the breaker's state afterwards."""
    open_until = now + timedelta(seconds=policy.cooldown)
    opens_at_once = policy.failure_threshold <= 1
    stmt = insert_for(conn, job_breakers).values(
        destination=destination,
        state=(BreakerState.OPEN if opens_at_once else BreakerState.CLOSED).value,
        failures=1,
        open_until=open_until if opens_at_once else None,
        probe_until=None,
        updated_at=now,
    )
    trips = or_(
        job_breakers.c.state == BreakerState.HALF_OPEN.value,
        job_breakers.c.failures + 1 >= policy.failure_threshold,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["destination"],
        set_={
            "failures": job_breakers.c.failures + 1,
            "state": case((trips, BreakerState.OPEN.value), else_=job_breakers.c.state),
            "open_until": case(
                (trips, literal(open_until, UtcDateTime())), else_=job_breakers.c.open_until
            ),
            "probe_until": None,
            "updated_at": now,
        },
    )
    state = conn.execute(stmt.returning(job_breakers.c.state)).scalar_one()
    return BreakerState(state)
