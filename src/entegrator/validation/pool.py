"""Validating batches on several cores: one warmed engine per worker process.

Saxon's transform does not run in parallel inside one process, so a batch is spread over
processes (:class:`concurrent.futures.ProcessPoolExecutor`). Each worker builds and warms
its own engine in the pool initializer, so the first document of a batch does not pay for
compiling GİB's stylesheet. Workers start with ``forkserver`` by default: a fresh server
process (which never touched Saxon) forks them, which is quicker than ``spawn`` and never
copies a parent's Saxon state (the measured alternatives are in
``docs/decisions/validation-engine.md``). A batch is handed over in chunks that shrink
towards its end (guided scheduling): big chunks amortise the hand-over, small last ones keep
every worker busy until the batch is done. Reports come back in input order.

A :class:`ValidationPool` is meant to live as long as its owner (a batch job runner);
:func:`validate_many` makes a pool for one call.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType
from typing import Final

from entegrator.validation.engine import default_engine
from entegrator.validation.options import ValidationOptions
from entegrator.validation.report import ValidationReport

__all__ = ["DEFAULT_START_METHOD", "ValidationPool", "validate_many"]

DEFAULT_START_METHOD: Final = "forkserver"
#: The largest chunk handed to a worker at once.
MAX_CHUNK: Final = 16


def _warm_worker() -> None:
    default_engine().warm()


def _validate_chunk(
    documents: list[bytes], options: ValidationOptions | None
) -> list[ValidationReport]:
    engine = default_engine()
    return [engine.validate(data, options) for data in documents]


def guided_chunks(batch: Sequence[bytes], processes: int) -> Iterator[list[bytes]]:
    """Split ``batch`` into chunks of at most :data:`MAX_CHUNK`, each a ``2 × processes``-th
    of what remains: the last chunks are single documents, so no worker idles at the end."""
    start = 0
    while start < len(batch):
        size = max(1, min(MAX_CHUNK, (len(batch) - start) // (2 * processes)))
        yield list(batch[start:start + size])
        start += size


class ValidationPool:
    """A pool of worker processes, each with a warmed validation engine."""

    def __init__(
        self, processes: int | None = None, *, start_method: str = DEFAULT_START_METHOD
    ) -> None:
        self.processes = processes or os.cpu_count() or 1
        self._executor = ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context(start_method),
            initializer=_warm_worker,
        )

    def validate_many(
        self, documents: Iterable[bytes], options: ValidationOptions | None = None
    ) -> list[ValidationReport]:
        """Validate ``documents``; the reports come back in the same order."""
        futures = [self._executor.submit(_validate_chunk, chunk, options)
                   for chunk in guided_chunks(list(documents), self.processes)]
        return [report for future in futures for report in future.result()]

    def close(self) -> None:
        """Stop the workers (waits for running work)."""
        self._executor.shutdown(wait=True)

    def __enter__(self) -> ValidationPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def validate_many(
    documents: Iterable[bytes],
    *,
    processes: int | None = None,
    options: ValidationOptions | None = None,
    start_method: str = DEFAULT_START_METHOD,
) -> list[ValidationReport]:
    """Validate a batch, on ``processes`` worker processes (default: every core).

    With one process (or one document) the batch runs here, on this process's engine.
    """
    batch = list(documents)
    processes = min(processes or os.cpu_count() or 1, len(batch))
    if processes <= 1:
        engine = default_engine()
        return [engine.validate(data, options) for data in batch]
    with ValidationPool(processes, start_method=start_method) as pool:
        return pool.validate_many(batch, options)
