"""Entry point of the ``entegrator`` console script.

Each command group lives in its own module exposing ``register(subparsers)``; the tuple
:data:`COMMAND_MODULES` lists them explicitly (no package scanning). A command handler
returns the process exit status.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from entegrator import __version__
from entegrator.errors import EntegratorError

__all__ = ["COMMAND_MODULES", "build_parser", "main"]

#: Command modules, in the order their commands appear in ``--help``.
COMMAND_MODULES: tuple[str, ...] = (
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
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
