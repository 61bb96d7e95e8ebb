"""Tests of entegrator.store.jobs.registry."""

from __future__ import annotations

import pytest

from entegrator.store.jobs import HandlerRegistry, JobContext, JobHandler, RetryPolicy


def _noop(ctx: JobContext) -> None:
    return None


def test_registry_returns_the_registered_handler() -> None:
    registry = HandlerRegistry([JobHandler("a", _noop, RetryPolicy(max_attempts=3))])
    assert registry.get("a").retry.max_attempts == 3


def test_registry_lists_kinds_sorted() -> None:
    registry = HandlerRegistry()
    registry.register("b", _noop)
    registry.register("a", _noop)
    assert registry.kinds == ("a", "b")


def test_registry_refuses_a_kind_twice() -> None:
    registry = HandlerRegistry()
    registry.register("a", _noop)
    with pytest.raises(ValueError, match="twice"):
        registry.register("a", _noop)


@pytest.mark.parametrize("kind", ["", "x" * 101])
def test_registry_refuses_invalid_kind(kind: str) -> None:
    with pytest.raises(ValueError, match="invalid"):
        HandlerRegistry().register(kind, _noop)


def test_registry_raises_key_error_for_unknown_kind() -> None:
    with pytest.raises(KeyError):
        HandlerRegistry().get("missing")
