"""Entry point of the ``entegrator`` console script.

Each command group lives in its own module exposing ``register(subparsers)``; the tuple
:data:`COMMAND_MODULES` lists them explicitly (no package scanning). A command handler
returns the process exit status.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Sequence

from entegrator import __version__
from entegrator.errors import EntegratorError

__all__ = ["COMMAND_MODULES", "build_parser", "main"]

#: Command modules, in the order their commands appear in ``--help``.
COMMAND_MODULES: tuple[str, ...] = (
    "entegrator.cli.serve",
    "entegrator.cli.worker",
    "entegrator.cli.admin",
    "entegrator.cli.userlist",
    "entegrator.cli.demo",
    "entegrator.cli.archive",
    "entegrator.cli.client",
    "entegrator.cli.documents",
    "entegrator.cli.render",
    "entegrator.cli.seal",
    "entegrator.cli.simulator",
    "entegrator.cli.validate",
    "entegrator.cli.db",
)


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every command group registered."""
    parser = argparse.ArgumentParser(
        prog="entegrator",
        description="entegrator — e-Fatura özel entegratör platformu",
    )
    parser.add_argument("--version", action="version", version=f"entegrator {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="KOMUT")
    subparsers.required = True
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def use_turkish_time() -> None:
    """Make Turkish local time the process's time zone unless ``TZ`` says otherwise.

    GİB's schematron compares IssueDate with the current date of the XSLT engine, which
    follows the process time zone; on a UTC server an invoice dated today would be refused
    between 00:00 and 03:00 Turkish time (docs/decisions/validation-engine.md).
    """
    os.environ.setdefault("TZ", "Europe/Istanbul")
    time.tzset()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    use_turkish_time()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except EntegratorError as exc:
        print(f"hata: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
