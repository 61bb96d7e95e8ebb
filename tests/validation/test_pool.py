"""Batches on several processes give exactly the serial results, in order."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entegrator.validation import (
    RuleMode,
    ValidationEngine,
    ValidationOptions,
    ValidationPool,
    validate_many,
)
from entegrator.validation.pool import MAX_CHUNK, guided_chunks
from tests.validation.support import edit, set_text


@pytest.fixture(scope="module")
def batch(samples_dir: Path, ticari: bytes) -> list[bytes]:
    names = ("TemelFaturaOrnegi.xml", "HKS-Ornek1.xml", "KabulUygulamaYanitiOrnegi.xml")
    documents = [(samples_dir / "gib-ubltr-1.2.1" / name).read_bytes() for name in names]
    documents += [
        (samples_dir / "gib-efatura-paketi" / "2_TICARI_FATURA_ZARF.xml").read_bytes(),
        edit(ticari, set_text("/inv:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", "1")),
        b"<not xml",
        ticari,
    ]
    return documents * 3


def test_pool_gives_the_serial_findings(engine: ValidationEngine, batch: list[bytes]) -> None:
    serial = [engine.validate(data).to_dict() for data in batch]
    parallel = [report.to_dict() for report in validate_many(batch, processes=2)]
    assert parallel == serial


def test_options_reach_the_workers(engine: ValidationEngine, batch: list[bytes]) -> None:
    options = ValidationOptions(rules=RuleMode.OFF)
    serial = [engine.validate(data, options).to_dict() for data in batch]
    with ValidationPool(2) as pool:
        first = [r.to_dict() for r in pool.validate_many(batch, options)]
        again = [r.to_dict() for r in pool.validate_many(reversed(batch), options)]
    assert first == serial
    assert again == serial[::-1]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_other_start_methods_give_the_same_findings(
    engine: ValidationEngine, batch: list[bytes], start_method: str
) -> None:
    serial = [engine.validate(data).to_dict() for data in batch[:7]]
    reports = validate_many(batch[:7], processes=2, start_method=start_method)
    assert [r.to_dict() for r in reports] == serial


def test_one_process_runs_here(batch: list[bytes]) -> None:
    reports = validate_many(batch[:7], processes=1)
    assert [r.ok for r in reports] == [False, False, False, False, False, False, True]


def test_empty_batch() -> None:
    assert validate_many([], processes=2) == []


@given(st.integers(min_value=0, max_value=2000), st.integers(min_value=1, max_value=8))
def test_guided_chunks_keep_every_document_once_in_order(size: int, processes: int) -> None:
    batch = [str(i).encode() for i in range(size)]
    chunks = list(guided_chunks(batch, processes))
    assert [doc for chunk in chunks for doc in chunk] == batch
    assert all(1 <= len(chunk) <= MAX_CHUNK for chunk in chunks)
    sizes = [len(chunk) for chunk in chunks]
    assert sizes == sorted(sizes, reverse=True)  # shrinking towards the end
    if batch:
        assert sizes[-1] == 1  # the tail is handed out one document at a time
