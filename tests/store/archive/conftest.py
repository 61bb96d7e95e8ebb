"""Fixtures of the archive tests: an Archive on the test database, built invoices."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import pytest

from entegrator.store import FakeClock
from entegrator.store.archive import Archive, ArchiveConfig
from entegrator.ubl import build_invoice, load_invoice

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@cache
def example_invoice(name: str = "01-temel-satis.json", **changes: str) -> bytes:
    """A built invoice from examples/ (with the embedded XSLT), fields changed as given."""
    data = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    data.update(changes)
    return build_invoice(load_invoice(data))


@pytest.fixture
def clock() -> FakeClock:
    """A fake clock at 2026-03-10 09:00 UTC."""
    return FakeClock(START)


@pytest.fixture
def archive(clock: FakeClock) -> Archive:
    """An Archive with the database back end."""
    return Archive(ArchiveConfig(), clock=clock)


@pytest.fixture
def invoice() -> Callable[..., bytes]:
    """Build an example invoice: invoice(name=..., number=..., ettn=...)."""
    return example_invoice
