"""Render timings: HTML and PDF per page, own stylesheet and a document's own (sandboxed).

Run by hand: ``.venv/bin/python bench/render.py [ROUNDS]``. Uses GİB's samples in
../shared/samples. Prints medians; on a shared 2-core machine expect ±20 %.
"""

from __future__ import annotations

import copy
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from entegrator.render import html_to_pdf, render_html
from entegrator.ubl import ns, xml

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "gib-ubltr-1.2.1"


def median_ms(work: Callable[[], object], rounds: int) -> float:
    work()  # warm-up: compiles the stylesheet, loads fonts
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def with_lines(invoice: bytes, count: int) -> bytes:
    root = xml.parse(invoice)
    lines = root.findall("cac:InvoiceLine", ns.NS)
    for line in lines:
        root.remove(line)
    for number in range(1, count + 1):
        line = copy.deepcopy(lines[0])
        line.find("cbc:ID", ns.NS).text = str(number)
        root.append(line)
    return xml.to_bytes(root)


def pages(pdf: bytes) -> int:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, check=True).stdout
    line = next(x for x in info.decode().splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def report(name: str, document: bytes, stylesheet: str, rounds: int) -> None:
    page = render_html(document, stylesheet=stylesheet)  # type: ignore[arg-type]
    pdf = html_to_pdf(page)
    count = pages(pdf)
    html_ms = median_ms(lambda: render_html(document, stylesheet=stylesheet), rounds)  # type: ignore[arg-type]
    pdf_ms = median_ms(lambda: html_to_pdf(page), rounds)
    print(
        f"{name:28} {count:3} p  HTML {html_ms:8.1f} ms ({html_ms / count:6.1f}/p)"
        f"  PDF {pdf_ms:8.1f} ms ({pdf_ms / count:6.1f}/p)  HTML {len(page) // 1024} KB"
    )


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    ticari = (SAMPLES / "TicariFaturaOrnegi.xml").read_bytes()
    report("TicariFatura, own", ticari, "own", rounds)
    report("100 lines, own", with_lines(ticari, 100), "own", max(3, rounds // 2))
    report("1000 lines, own", with_lines(ticari, 1000), "own", 3)
    report(
        "YTB_Satis, embedded", (SAMPLES / "YTB_Satis_Efatura.xml").read_bytes(), "embedded", rounds
    )


if __name__ == "__main__":
    main()
