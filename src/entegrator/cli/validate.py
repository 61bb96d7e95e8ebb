"""``entegrator validate FILE... [--json]``: validate documents from the command line.

Each file (invoice, application response, envelope, e-İrsaliye document) goes through
:mod:`entegrator.validation`; the findings are printed in Turkish, or as JSON with
``--json``. Exit status: 0 when every document is valid, 1 when any has an error, 2 when a
file cannot be read. A file over the size limit is refused without being read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Final

from entegrator.validation import (
    DocumentKind,
    RuleMode,
    Severity,
    ValidationOptions,
    ValidationReport,
    oversize_report,
    validate_many,
)

__all__ = ["register"]

_KIND_NAMES: Final = {
    DocumentKind.INVOICE: "fatura",
    DocumentKind.APPLICATION_RESPONSE: "uygulama yanıtı",
    DocumentKind.ENVELOPE: "zarf",
    DocumentKind.DESPATCH_ADVICE: "irsaliye",
    DocumentKind.RECEIPT_ADVICE: "irsaliye yanıtı",
}
_SEVERITY_NAMES: Final = {
    Severity.ERROR: "HATA",
    Severity.WARNING: "UYARI",
    Severity.INFO: "BİLGİ",
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``validate`` command."""
    parser = subparsers.add_parser(
        "validate",
        help="belgeleri GİB şeması, şematronu ve hesap kurallarıyla doğrular",
        description="Fatura, uygulama yanıtı veya zarfı katman katman doğrular "
        "(XML, XSD, GİB şematronu, hesap ve çapraz alan kuralları).",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="DOSYA", help="XML belgesi")
    parser.add_argument("--json", action="store_true", help="sonuçları JSON olarak yazar")
    parser.add_argument(
        "--rules",
        choices=[mode.value for mode in RuleMode],
        default=RuleMode.ENFORCE.value,
        help="entegrator kuralları: enforce (hata), advise (uyarı), off (çalışmaz)",
    )
    parser.add_argument(
        "--processes", type=int, default=1, metavar="N", help="paralel işlem sayısı"
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    options = ValidationOptions(rules=RuleMode(args.rules))
    reports: dict[Path, ValidationReport] = {}
    readable: list[tuple[Path, bytes]] = []
    unreadable = False
    for path in args.files:
        try:
            size = path.stat().st_size
            if size > options.max_bytes:
                reports[path] = oversize_report(size, options.max_bytes)
                continue
            readable.append((path, path.read_bytes()))
        except OSError as exc:
            print(f"hata: {path} okunamadı: {exc.strerror or exc}", file=sys.stderr)
            unreadable = True
    results = validate_many(
        (data for _path, data in readable), processes=args.processes, options=options
    )
    reports.update(zip((path for path, _data in readable), results, strict=True))
    ordered = [(path, reports[path]) for path in args.files if path in reports]
    if args.json:
        payload: list[dict[str, Any]] = [
            {"file": str(path), **report.to_dict()} for path, report in ordered
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        for path, report in ordered:
            print(_text(path, report))
    if unreadable:
        return 2
    return 0 if all(report.ok for _path, report in ordered) else 1


def _text(path: Path, report: ValidationReport) -> str:
    kind = _KIND_NAMES.get(report.kind, "?") if report.kind else "tanınmayan belge"
    if report.profile_id:
        kind += f", {report.profile_id}"
    verdict = "GEÇERLİ" if report.ok else f"GEÇERSİZ (GİB kodu {report.gib_code})"
    lines = [f"{path}: {verdict} — {kind}; {len(report.errors)} hata, {len(report.warnings)} uyarı"]
    for finding in report.findings:
        where = f" [satır {finding.line}]" if finding.line else ""
        lines.append(
            f"  {_SEVERITY_NAMES[finding.severity]} {finding.rule}{where}: {finding.message}"
        )
    return "\n".join(lines)
