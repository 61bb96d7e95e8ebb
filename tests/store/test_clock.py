"""Tests of entegrator.store.clock."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta, timezone

import pytest

from entegrator.store import SYSTEM_CLOCK, FakeClock


def test_fake_clock_advances_only_when_told() -> None:
    clock = FakeClock(datetime(2030, 1, 1, tzinfo=UTC))
    before = clock.now()
    clock.advance(1.5)
    assert clock.now() - before == timedelta(seconds=1.5)


def test_fake_clock_wait_moves_time_instead_of_sleeping() -> None:
    clock = FakeClock(datetime(2030, 1, 1, tzinfo=UTC))
    assert clock.wait(threading.Event(), 3600) is False
    assert clock.now() == datetime(2030, 1, 1, 1, tzinfo=UTC)


def test_fake_clock_wait_returns_at_once_when_event_set() -> None:
    clock = FakeClock(datetime(2030, 1, 1, tzinfo=UTC))
    event = threading.Event()
    event.set()
    assert clock.wait(event, 60) is True
    assert clock.now() == datetime(2030, 1, 1, tzinfo=UTC)


def test_fake_clock_normalises_start_to_utc() -> None:
    start = datetime(2030, 1, 1, 3, tzinfo=timezone(timedelta(hours=3)))
    assert FakeClock(start).now() == datetime(2030, 1, 1, tzinfo=UTC)
    assert FakeClock(start).now().tzinfo is UTC


def test_fake_clock_refuses_naive_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FakeClock(datetime(2030, 1, 1))


def test_system_clock_is_aware_utc() -> None:
    assert SYSTEM_CLOCK.now().tzinfo is UTC
