"""Document commands: ``entegrator build SPEC.json [-o OUT.xml]`` and ``entegrator schema invoice``.

``build`` turns a JSON invoice spec (the model of :mod:`entegrator.ubl.model`) into an
unsigned UBL-TR invoice; a malformed or invalid spec is reported in Turkish with every
field path, and the exit status is 2 (via :func:`entegrator.cli.main.main`).
``schema invoice`` prints the JSON Schema of the spec.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from entegrator.errors import DocumentError

__all__ = ["register"]


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise DocumentError(f"{source} okunamadı: {exc.strerror or exc}") from exc


def _build(args: argparse.Namespace) -> int:
    from entegrator.ubl import build_invoice, load_invoice

    invoice = load_invoice(_read(args.spec))
    document = build_invoice(invoice, draft=args.draft)
    if args.output is None:
        sys.stdout.buffer.write(document)
        sys.stdout.buffer.flush()
        return 0
    try:
        Path(args.output).write_bytes(document)
    except OSError as exc:
        raise DocumentError(f"{args.output} yazılamadı: {exc.strerror or exc}") from exc
    print(f"{args.output} yazıldı ({len(document)} bayt)", file=sys.stderr)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from entegrator.ubl import invoice_json_schema

    json.dump(invoice_json_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``build`` and ``schema`` commands."""
    build = subparsers.add_parser(
        "build",
        help="JSON fatura tanımından imzasız UBL-TR faturası üret",
        description="JSON fatura tanımından (entegrator schema invoice) imzasız UBL-TR 1.2 "
        "faturası üretir.",
    )
    build.add_argument("spec", metavar="SPEC.json", help="fatura tanımı ('-' = standart girdi)")
    build.add_argument("-o", "--output", metavar="OUT.xml", help="çıktı dosyası (yoksa stdout)")
    build.add_argument(
        "--draft",
        action="store_true",
        help="numarası/ETTN'si olmayan taslağı yer tutucularla üret",
    )
    build.set_defaults(handler=_build)
    schema = subparsers.add_parser("schema", help="belge tanımlarının JSON şemasını yazdır")
    schema.add_argument("document", choices=["invoice"], help="belge türü")
    schema.set_defaults(handler=_schema)
