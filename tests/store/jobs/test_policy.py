"""Tests of entegrator.store.jobs.policy: backoff arithmetic and validation."""

from __future__ import annotations

import random

import pytest

from entegrator.errors import ConfigurationError
from entegrator.store.jobs import BreakerPolicy, RetryPolicy, WorkerConfig


def test_delay_doubles_from_the_base_delay() -> None:
    policy = RetryPolicy(base_delay=5, factor=2, jitter=0)
    assert [policy.delay(n, random.Random(0)) for n in (1, 2, 3, 4)] == [5, 10, 20, 40]


def test_delay_is_capped() -> None:
    policy = RetryPolicy(base_delay=5, factor=2, max_delay=30, jitter=0)
    assert policy.delay(10, random.Random(0)) == 30


def test_delay_jitter_stays_within_its_band() -> None:
    policy = RetryPolicy(base_delay=100, factor=1, jitter=0.2)
    rng = random.Random(1)
    delays = [policy.delay(1, rng) for _ in range(500)]
    assert min(delays) >= 80 and max(delays) <= 120
    assert len({round(d, 6) for d in delays}) > 100  # spread, not constant


def test_delay_with_jitter_never_exceeds_the_cap() -> None:
    policy = RetryPolicy(base_delay=100, factor=1, max_delay=100, jitter=0.5)
    rng = random.Random(2)
    assert max(policy.delay(1, rng) for _ in range(200)) <= 100


@pytest.mark.parametrize(
    "kwargs",
    [{"max_attempts": 0}, {"base_delay": -1}, {"factor": 0.5}, {"jitter": 1.0}],
)
def test_retry_policy_refuses_bad_values(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_breaker_policy_refuses_zero_threshold() -> None:
    with pytest.raises(ConfigurationError):
        BreakerPolicy(failure_threshold=0)


@pytest.mark.parametrize("kwargs", [{"batch_size": 0}, {"lease": 0}, {"poll_interval": -1}])
def test_worker_config_refuses_bad_values(kwargs: dict[str, float]) -> None:
    with pytest.raises(ConfigurationError):
        WorkerConfig(**kwargs)  # type: ignore[arg-type]
