"""What the integrator's commands share: ``--config``, building the Integrator, the operator.

The command line is the only place that reads the environment: :func:`load` passes
``os.environ`` (and ``--config``/``ENTEGRATOR_CONFIG``) to
:func:`entegrator.core.config.load_config`.
"""

from __future__ import annotations

import argparse
import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from entegrator.core.config import EntegratorConfig, load_config
from entegrator.core.context import Caller
from entegrator.core.permissions import Role
from entegrator.core.tenants import find_taxpayer
from entegrator.core.wiring import Integrator, SchemaPolicy, build_integrator
from entegrator.errors import NotFound
from entegrator.store.audit import Actor, ActorKind

__all__ = [
    "add_config_argument",
    "integrator_from",
    "load",
    "operator",
    "operator_for",
    "operator_for_id",
]


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--config FILE`` (default: ``ENTEGRATOR_CONFIG``)."""
    parser.add_argument("--config", type=Path, metavar="DOSYA",
                        help="TOML ayar dosyası (varsayılan: ENTEGRATOR_CONFIG)")


def load(args: argparse.Namespace) -> EntegratorConfig:
    """The configuration from ``--config`` and the ``ENTEGRATOR_*`` environment."""
    return load_config(os.environ, getattr(args, "config", None))


@contextmanager
def integrator_from(args: argparse.Namespace, *, schema: SchemaPolicy = "require"
                    ) -> Iterator[Integrator]:
    """Build the Integrator for the command and close it afterwards."""
    integrator = build_integrator(load(args), schema=schema)
    try:
        yield integrator
    finally:
        integrator.close()


def operator() -> Actor:
    """The person at the terminal, as the audit log names them."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "bilinmiyor"
    return Actor(ActorKind.USER, f"cli:{name}", channel="cli")


def operator_for(integrator: Integrator, vkn: str) -> Caller:
    """The operator acting as admin of the taxpayer ``vkn``."""
    with integrator.db.transaction(read_only=True) as conn:
        taxpayer = find_taxpayer(conn, vkn)
    if taxpayer is None:
        raise NotFound(f"{vkn} VKN/TCKN'li mükellef yok")
    return operator_for_id(taxpayer.id)


def operator_for_id(tenant_id: int) -> Caller:
    """The operator acting as admin of the taxpayer ``tenant_id``."""
    return Caller(tenant_id=tenant_id, actor=operator(), role=Role.ADMIN)
