"""Fixtures for the validation tests: a warmed engine and GİB's valid TICARIFATURA sample.

``TicariFaturaOrnegi.xml`` (UBL-TR 1.2.1 package) passes efatura-kontrol's ``kontrol_et``
and our validation; tests derive failing and passing documents from it with
:mod:`tests.validation.support`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.validation import ValidationEngine, default_engine


@pytest.fixture(scope="session")
def engine() -> ValidationEngine:
    """This process's engine, warmed once for the whole session."""
    return default_engine().warm()


@pytest.fixture(scope="session")
def ticari(samples_dir: Path) -> bytes:
    """GİB's TICARIFATURA sample: valid for GİB's XSD and schematron and for our rules."""
    return (samples_dir / "gib-ubltr-1.2.1" / "TicariFaturaOrnegi.xml").read_bytes()
