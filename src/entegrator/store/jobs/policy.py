"""Settings of the job runner: retry backoff, circuit breaker, worker loop.

Backoff is exponential with jitter: attempt *n* waits ``base_delay * factor**(n-1)`` seconds,
capped at ``max_delay``, then spread by ±``jitter`` so that jobs that failed together do not
come back together. After ``max_attempts`` failed runs a job is parked (state ``dead``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from entegrator.errors import ConfigurationError

__all__ = ["BreakerPolicy", "RetryPolicy", "WorkerConfig"]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how late a failing job of one kind is tried again."""

    max_attempts: int = 10
    base_delay: float = 5.0
    factor: float = 2.0
    max_delay: float = 3600.0
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ConfigurationError("max_attempts en az 1 olmalı")
        if self.base_delay < 0 or self.max_delay < 0 or self.factor < 1:
            raise ConfigurationError("geri çekilme süreleri negatif, çarpan 1'den küçük olamaz")
        if not 0 <= self.jitter < 1:
            raise ConfigurationError("jitter 0 ile 1 arasında olmalı")

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based).

        >>> RetryPolicy(base_delay=5, jitter=0).delay(3, random.Random(0))
        20.0
        """
        raw = min(self.max_delay, self.base_delay * self.factor ** max(attempt - 1, 0))
        if self.jitter:
            raw *= 1 + rng.uniform(-self.jitter, self.jitter)
        return max(0.0, min(raw, self.max_delay))


@dataclass(frozen=True, slots=True)
class BreakerPolicy:
    """When a destination's circuit opens and for how long.

    After ``failure_threshold`` consecutive transport failures (errors with
    ``retryable=True``) the breaker opens: no job for that destination is claimed for
    ``cooldown`` seconds; then one probe job runs (half-open) and its outcome closes or
    re-opens the breaker.
    """

    failure_threshold: int = 5
    cooldown: float = 60.0

    def __post_init__(self) -> None:
        if self.failure_threshold < 1 or self.cooldown < 0:
            raise ConfigurationError("failure_threshold en az 1, cooldown negatif olmayan olmalı")


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    """How one worker claims and runs jobs.

    ``lease`` is how long a claimed job stays reserved: a worker that dies leaves its jobs
    to others after that time, so a single handler run must finish well within it (the
    worker renews the lease of the rest of its batch as it goes). ``batch_size`` jobs are
    claimed per round trip. Every ``reap_interval`` seconds the worker re-queues jobs whose
    lease expired; every ``probe_interval`` seconds it looks for cooled-down breakers.
    """

    batch_size: int = 50
    lease: float = 60.0
    poll_interval: float = 0.5
    reap_interval: float = 10.0
    probe_interval: float = 1.0
    breaker: BreakerPolicy = field(default_factory=BreakerPolicy)
    worker_id: str | None = None

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ConfigurationError("batch_size en az 1 olmalı")
        if self.lease <= 0 or min(self.poll_interval, self.reap_interval, self.probe_interval) < 0:
            raise ConfigurationError("lease pozitif, bekleme süreleri negatif olmayan olmalı")
