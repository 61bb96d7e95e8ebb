"""``entegrator db …`` commands: apply migrations, show the schema revision.

The database comes from ``--url``, else from the integrator's configuration (``--config`` /
``ENTEGRATOR_CONFIG`` and ``ENTEGRATOR_DATABASE__*``), like every other command.
"""

from __future__ import annotations

import argparse
import os

from entegrator.cli import settings
from entegrator.core.config import load_database_config
from entegrator.store import migrate
from entegrator.store.config import StoreConfig
from entegrator.store.db import create_engine

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``db`` command group."""
    db = subparsers.add_parser("db", help="veritabanı şeması (göç) işlemleri")
    db_commands = db.add_subparsers(dest="db_command", metavar="İŞLEM")
    db_commands.required = True
    for name, handler, text in (
        ("upgrade", _upgrade, "şemayı en son sürüme yükselt"),
        ("current", _current, "şemanın şu anki ve beklenen sürümünü göster"),
    ):
        command = db_commands.add_parser(name, help=text)
        command.add_argument(
            "--url", help="veritabanı adresi (varsayılan: ayarlardaki database.url)"
        )
        settings.add_config_argument(command)
        command.set_defaults(handler=handler)


def _config(args: argparse.Namespace) -> StoreConfig:
    if args.url:
        return StoreConfig(url=args.url)
    return load_database_config(os.environ, args.config)


def _upgrade(args: argparse.Namespace) -> int:
    engine = create_engine(_config(args))
    try:
        migrate.upgrade(engine)
        print(f"şema güncel: {migrate.current_revision(engine)}")
    finally:
        engine.dispose()
    return 0


def _current(args: argparse.Namespace) -> int:
    engine = create_engine(_config(args))
    try:
        current, head = migrate.current_revision(engine), migrate.head_revision()
    finally:
        engine.dispose()
    print(f"şu anki: {current or 'boş'}, beklenen: {head}")
    return 0 if current == head else 1
