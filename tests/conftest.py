"""Fixtures shared by every part's tests; part-specific ones live in tests/<part>/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.cli.main import use_turkish_time

# GİB's schematron judges "today" in Turkish time, as the CLI's processes do.
use_turkish_time()

pytest_plugins = ["tests.dbfixtures"]

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
SAMPLES = SHARED / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    """../shared/samples: GİB's and others' real documents (read-only)."""
    if not SAMPLES.is_dir():
        pytest.fail(f"../shared/samples is missing (looked in {SAMPLES})")
    return SAMPLES
