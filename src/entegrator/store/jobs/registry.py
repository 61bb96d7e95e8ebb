"""Explicit handler registry: job kind → the function that runs it and its retry policy.

Handlers are registered by the code that wires the application (``core``), never discovered.
A handler takes a :class:`~entegrator.store.jobs.context.JobContext` and returns nothing;
it raises to fail. An error's ``retryable`` attribute
(:attr:`entegrator.errors.EntegratorError.retryable`) decides retry (with backoff) or parking;
errors that are not EntegratorErrors (bugs, database hiccups) are retried too, and park after
``max_attempts``. Handlers must be idempotent: execution is at-least-once, unless the handler
writes its effects with ``JobContext.transaction()`` (then the effects happen exactly once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from entegrator.store.jobs.policy import RetryPolicy

if TYPE_CHECKING:
    from entegrator.store.jobs.context import JobContext

__all__ = ["Handler", "HandlerRegistry", "JobHandler"]

Handler = Callable[["JobContext"], None]


@dataclass(frozen=True, slots=True)
class JobHandler:
    """One registered kind."""

    kind: str
    run: Handler
    retry: RetryPolicy = field(default_factory=RetryPolicy)


class HandlerRegistry:
    """The kinds one worker can run (a worker claims only these kinds)."""

    def __init__(self, handlers: Iterable[JobHandler] = ()) -> None:
        self._by_kind: dict[str, JobHandler] = {}
        for handler in handlers:
            self.add(handler)

    def add(self, handler: JobHandler) -> None:
        """Register ``handler``; a kind can be registered once."""
        if not handler.kind or len(handler.kind) > 100:
            raise ValueError(f"invalid job kind {handler.kind!r}")
        if handler.kind in self._by_kind:
            raise ValueError(f"job kind {handler.kind!r} registered twice")
        self._by_kind[handler.kind] = handler

    def register(self, kind: str, run: Handler, *, retry: RetryPolicy | None = None) -> None:
        """Shorthand for ``add(JobHandler(kind, run, retry))``."""
        self.add(JobHandler(kind, run, retry or RetryPolicy()))

    def get(self, kind: str) -> JobHandler:
        """The handler for ``kind``; KeyError when none is registered."""
        return self._by_kind[kind]

    @property
    def kinds(self) -> tuple[str, ...]:
        """Registered kinds, sorted."""
        return tuple(sorted(self._by_kind))
