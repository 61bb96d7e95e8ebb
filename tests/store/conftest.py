"""Fixtures of the store tests (the database fixtures come from tests/dbfixtures.py)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from entegrator.store import Database, FakeClock
from entegrator.store.jobs import (
    BreakerPolicy,
    Handler,
    HandlerRegistry,
    RetryPolicy,
    Worker,
    WorkerConfig,
)

START = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)

MakeWorker = Callable[..., Worker]


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock at 2030-01-01 12:00 UTC."""
    return FakeClock(START)


@pytest.fixture
def make_worker(db: Database, clock: FakeClock) -> MakeWorker:
    """Build a Worker on the test database and fake clock: make_worker({"kind": handler}, …)."""

    def build(
        handlers: dict[str, Handler],
        *,
        retry: RetryPolicy | None = None,
        breaker: BreakerPolicy | None = None,
        **config: Any,
    ) -> Worker:
        registry = HandlerRegistry()
        for kind, run in handlers.items():
            registry.register(kind, run, retry=retry or RetryPolicy(jitter=0))
        settings = WorkerConfig(breaker=breaker or BreakerPolicy(), **config)
        return Worker(db, registry, settings, clock=clock, rng=random.Random(7))

    return build
