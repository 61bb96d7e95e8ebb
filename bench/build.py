"""Measure the UBL-TR builder: invoices per second for a typical 10-line invoice.

Run by hand: ``.venv/bin/python bench/build.py [ROUNDS]``. Prints the median time of the
phases the builder runs on the hot path (model validation of a JSON spec, totals + rules,
XML writing + serialization) and of parsing the result back, in CPU time of this process (less
sensitive to the other processes on the shared machine than wall time); read the
numbers as orders of magnitude.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from entegrator.ubl import build_invoice, compute_totals, load_invoice, parse_invoice
from entegrator.ubl.rules import check_invoice

SPEC = Path(__file__).resolve().parent.parent / "examples" / "02-temel-satis-cok-satir.json"


def _median_ms(action: Callable[[], object], rounds: int, repeat: int = 200) -> float:
    samples = []
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(repeat):
            action()
        samples.append((time.process_time() - start) * 1000 / repeat)
    return statistics.median(samples)


def main(rounds: int = 7) -> None:
    """Print per-phase medians and the resulting invoices per second."""
    spec = SPEC.read_bytes()
    invoice = load_invoice(spec)
    document = build_invoice(invoice)
    build_invoice(invoice)  # warm the per-process caches (stylesheet, code lists)
    phases = {
        "load_invoice (JSON -> model, kurallar dahil)": lambda: load_invoice(spec),
        "compute_totals + check_invoice": lambda: check_invoice(invoice, compute_totals(invoice)),
        "build_invoice (model -> bayt)": lambda: build_invoice(invoice),
        "parse_invoice (bayt -> model)": lambda: parse_invoice(document),
    }
    print(f"{SPEC.name}: {len(invoice.lines)} satır, belge {len(document)} bayt")
    for label, action in phases.items():
        ms = _median_ms(action, rounds)
        print(f"  {label:48s} {ms:7.3f} ms  {1000 / ms:8.0f} /s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
