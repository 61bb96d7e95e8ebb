"""Validation throughput: entegrator.validation against efatura-kontrol's ``kontrol_et``.

Usage: ``.venv/bin/python bench/validate.py [--documents 300] [--rounds 7]``

Builds a few hundred distinct ~12 KB invoices with ``entegrator.ubl.build_invoice`` (numbers,
ETTNs, quantities, prices, discounts and line counts vary; a small stylesheet is embedded
instead of the 30 KB default so the documents stay near 12 KB), or — when the builder is
missing — derives them from GİB's TicariFaturaOrnegi.xml and says so. Then prints
documents/second for:

* build (``build_invoice`` on prepared models), one process;
* XSD only, schematron only, full validation (also with GİB's code-list lookups run
  verbatim, ``index_code_lists=False``) and ``kontrol_et``, on one core (this process pinned
  to one CPU; the cases are interleaved round by round so drift hits all alike);
* full validation on 1…N worker processes (``ValidationPool``, workers warmed before timing;
  pool start-up is printed separately), and per start method (fork, forkserver, spawn);

with the medians over the rounds, the spread (min–max) and the ratios against the targets:
full ≥ 1.3 × kontrol_et on one core, two processes ≥ 1.8 × the one-core figure. The machine
is shared: run it when it is quiet and repeat.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT.parent / "shared" / "samples"
TEMPLATE = ROOT / "examples" / "32-ticari-satis.json"
SMALL_XSLT = (
    b'<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    b'<xsl:template match="/"><html><body>Fatura</body></html></xsl:template></xsl:stylesheet>'
)


def _spec(index: int, rng: random.Random, template: dict[str, Any]) -> dict[str, Any]:
    spec = json.loads(json.dumps(template))
    spec["number"] = f"ENT2025{index + 1:09d}"
    spec["ettn"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    spec["stylesheet"] = base64.b64encode(SMALL_XSLT).decode("ascii")
    lines = []
    for line_no in range(rng.randint(7, 11)):
        line: dict[str, Any] = {
            "name": f"Ürün {index}-{line_no} çeşit {rng.randint(1, 999)}",
            "quantity": str(rng.randint(1, 40)),
            "unit_code": rng.choice(["C62", "KGM", "LTR", "MTR"]),
            "unit_price": str(Decimal(rng.randint(100, 500_000)) / 100),
            "taxes": [{"percent": rng.choice(["1", "10", "20"])}],
        }
        if rng.random() < 0.3:
            line["allowance_charges"] = [{"percent": str(rng.choice([2, 5, 10]))}]
        lines.append(line)
    spec["lines"] = lines
    return spec


def built_documents(count: int) -> tuple[list[bytes], float, str]:
    """Documents from the builder, its throughput (docs/s) and a description."""
    from entegrator.ubl import build_invoice
    from entegrator.ubl.model import Invoice

    rng = random.Random(20250301)
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    models = [Invoice.model_validate(_spec(i, rng, template)) for i in range(count)]
    started = time.perf_counter()
    documents = [build_invoice(model) for model in models]
    rate = count / (time.perf_counter() - started)
    return documents, rate, "entegrator.ubl.build_invoice"


def sample_documents(count: int) -> tuple[list[bytes], float, str]:
    """Fallback: variants of GİB's TicariFaturaOrnegi.xml (ETTN and number changed)."""
    template = (SAMPLES / "gib-ubltr-1.2.1" / "TicariFaturaOrnegi.xml").read_bytes()
    documents = []
    for index in range(count):
        data = re.sub(
            rb"<cbc:UUID>[^<]*</cbc:UUID>",
            f"<cbc:UUID>{uuid.uuid4()}</cbc:UUID>".encode(),
            template,
            count=1,
        )
        data = data.replace(b"GIB2009000000011", f"GIB2009{index + 1:09d}".encode(), 1)
        documents.append(data)
    return documents, float("nan"), "TicariFaturaOrnegi.xml variants (builder missing)"


def _rate(function: Callable[[bytes], object], documents: Sequence[bytes]) -> float:
    started = time.perf_counter()
    for data in documents:
        function(data)
    return len(documents) / (time.perf_counter() - started)


def _summary(rates: list[float]) -> str:
    return (
        f"{statistics.median(rates):8.0f} docs/s  "
        f"(min {min(rates):.0f}, max {max(rates):.0f}, n={len(rates)})"
    )


def one_core(documents: list[bytes], rounds: int) -> dict[str, list[float]]:
    """Interleaved single-process rounds, pinned to one CPU."""
    from efatura_kontrol.kontrol import hazirla, kontrol_et

    from entegrator.validation import (
        RuleMode,
        ValidationEngine,
        ValidationOptions,
        default_engine,
    )

    engine = default_engine().warm()
    verbatim = ValidationEngine(index_code_lists=False).warm()
    hazirla()
    xsd_only = ValidationOptions(schematron=False, rules=RuleMode.OFF)
    schematron_only = ValidationOptions(xsd=False, rules=RuleMode.OFF)
    cases: dict[str, Callable[[bytes], object]] = {
        "kontrol_et (efatura-kontrol)": kontrol_et,
        "full validation": engine.validate,
        "full, code lists verbatim": verbatim.validate,
        "XSD only": lambda data: engine.validate(data, xsd_only),
        "schematron only": lambda data: engine.validate(data, schematron_only),
    }
    for function in cases.values():  # warm caches and Saxon's isolate
        _rate(function, documents[:20])
    rates: dict[str, list[float]] = {name: [] for name in cases}
    for _round in range(rounds):
        for name, function in cases.items():
            rates[name].append(_rate(function, documents))
    return rates


def pools(documents: list[bytes], rounds: int, cores: int) -> dict[int, list[float]]:
    """Full validation on 1…cores worker processes."""
    from entegrator.validation import ValidationPool

    rates: dict[int, list[float]] = {}
    for processes in range(1, cores + 1):
        started = time.perf_counter()
        with ValidationPool(processes) as pool:
            pool.validate_many(documents[: processes * 8])  # every worker warm
            print(f"  pool of {processes}: start-up {time.perf_counter() - started:.2f} s")
            rates[processes] = []
            for _round in range(rounds):
                begun = time.perf_counter()
                pool.validate_many(documents)
                rates[processes].append(len(documents) / (time.perf_counter() - begun))
    return rates


def start_methods(documents: list[bytes], rounds: int, cores: int) -> None:
    """Start-up time and throughput of a pool of ``cores`` workers per start method."""
    from entegrator.validation import ValidationPool

    for method in ("fork", "forkserver", "spawn"):
        started = time.perf_counter()
        with ValidationPool(cores, start_method=method) as pool:
            pool.validate_many(documents[: cores * 8])
            startup = time.perf_counter() - started
            rates = []
            for _round in range(rounds):
                begun = time.perf_counter()
                pool.validate_many(documents)
                rates.append(len(documents) / (time.perf_counter() - begun))
        print(f"  {method:10s} start-up {startup:5.2f} s   {_summary(rates)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    cores = os.cpu_count() or 1
    print(f"Python {sys.version.split()[0]}, {cores} CPUs, load {os.getloadavg()[0]:.2f}")
    try:
        documents, build_rate, source = built_documents(args.documents)
    except ImportError:
        documents, build_rate, source = sample_documents(args.documents)
    sizes = [len(d) for d in documents]
    print(
        f"documents: {len(documents)} from {source}, "
        f"{statistics.mean(sizes) / 1024:.1f} KB average ({min(sizes)}–{max(sizes)} B)"
    )
    print(f"build (build_invoice, one process): {build_rate:.0f} docs/s")

    from entegrator.validation import default_engine

    invalid = sum(not default_engine().validate(d).ok for d in documents)
    print(f"documents failing our validation: {invalid}")

    all_cpus = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(all_cpus)})
    print("\none core (pinned, interleaved rounds):")
    single = one_core(documents, args.rounds)
    os.sched_setaffinity(0, all_cpus)
    for name, rates in single.items():
        print(f"  {name:30s} {_summary(rates)}")
    full = statistics.median(single["full validation"])
    kontrol = statistics.median(single["kontrol_et (efatura-kontrol)"])
    print(f"  full / kontrol_et = {full / kontrol:.2f}  (target ≥ 1.3)")
    plain = statistics.median(single["full, code lists verbatim"])
    print(f"  full with code lists verbatim / kontrol_et = {plain / kontrol:.2f}")

    print(f"\nworker processes (ValidationPool, {args.documents} documents per round):")
    multi = pools(documents, args.rounds, cores)
    for processes, rates in multi.items():
        print(f"  {processes} process(es)                 {_summary(rates)}")
    if cores >= 2:
        two = statistics.median(multi[2])
        print(f"  2 processes / one-core full = {two / full:.2f}  (target ≥ 1.8)")
        print(f"  2 processes / 1-process pool = {two / statistics.median(multi[1]):.2f}")
    print(f"\nstart methods (pool of {cores}, workers warmed in the initializer):")
    start_methods(documents, max(3, args.rounds // 2), cores)
    return 0


if __name__ == "__main__":
    sys.exit(main())
