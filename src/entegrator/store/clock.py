"""The clock the store reads: real time in production, a fake one in tests.

Every timestamp the store writes (job ``run_at``, leases, audit ``at``) comes from a
:class:`Clock` in Python, never from the database's ``now()``: the same rule on SQLite and
PostgreSQL, and tests can move time forward without sleeping. Times are timezone-aware UTC.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["SYSTEM_CLOCK", "Clock", "FakeClock", "SystemClock"]


class Clock(Protocol):
    """Source of the current time and of waiting."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Wait up to ``seconds`` or until ``event`` is set; return whether it is set."""
        ...


class SystemClock:
    """The machine's clock (keep hosts NTP-synchronised: leases compare their times)."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        return datetime.now(UTC)

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Block until ``event`` is set or ``seconds`` have passed."""
        return event.wait(max(seconds, 0.0))


SYSTEM_CLOCK = SystemClock()


class FakeClock:
    """A clock that only moves when told to; waiting moves it instead of sleeping.

    >>> clock = FakeClock(datetime(2030, 1, 1, tzinfo=UTC))
    >>> clock.advance(90)
    >>> clock.now().isoformat()
    '2030-01-01T00:01:30+00:00'
    """

    def __init__(self, start: datetime | None = None) -> None:
        start = start or datetime(2030, 1, 1, tzinfo=UTC)
        if start.tzinfo is None:
            raise ValueError("FakeClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The fake current time."""
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        with self._lock:
            self._now += timedelta(seconds=seconds)

    def wait(self, event: threading.Event, seconds: float) -> bool:
        """Advance time by ``seconds`` at once (yielding the thread briefly)."""
        if not event.is_set():
            self.advance(max(seconds, 0.0))
            time.sleep(0)
        return event.is_set()
