"""``entegrator render``: show a UBL-TR invoice or application response as HTML or PDF.

    entegrator render FATURA.xml --format pdf -o fatura.pdf [--stylesheet own|embedded|auto]

``-o -`` writes to standard output. See :mod:`entegrator.render` for the stylesheet choice.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from entegrator.errors import DocumentError, NotFound
from entegrator.render import render_html, render_pdf

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``render`` command."""
    parser = subparsers.add_parser(
        "render",
        help="faturayı / uygulama yanıtını HTML veya PDF olarak görüntüle",
        description="UBL-TR faturasını veya uygulama yanıtını HTML ya da PDF'e çevirir.",
    )
    parser.add_argument("file", type=Path, metavar="DOSYA", help="UBL-TR XML dosyası")
    parser.add_argument(
        "--format", choices=("html", "pdf"), default="html", help="çıktı biçimi (varsayılan html)"
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="ÇIKTI", help="çıktı dosyası; '-' standart çıktı"
    )
    parser.add_argument(
        "--stylesheet",
        choices=("own", "embedded", "auto"),
        default="auto",
        help="own: projenin şablonu, embedded: belgenin kendi XSLT'si, "
        "auto: varsa belgeninki, yoksa bizimki (varsayılan)",
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        document = path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"Dosya bulunamadı: {path}") from exc
    except OSError as exc:
        raise DocumentError(f"Dosya okunamadı: {path}: {exc.strerror}") from exc
    render = render_pdf if args.format == "pdf" else render_html
    output = render(document, stylesheet=args.stylesheet)
    if args.output == "-":
        sys.stdout.buffer.write(output)
        sys.stdout.buffer.flush()
        return 0
    try:
        Path(args.output).write_bytes(output)
    except OSError as exc:
        raise DocumentError(f"Çıktı yazılamadı: {args.output}: {exc.strerror}") from exc
    print(f"{args.output}: {len(output)} bayt ({args.format})", file=sys.stderr)
    return 0
