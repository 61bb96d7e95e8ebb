"""The job handler registry, assembled explicitly from each owner's ``register`` function.

Every part of core that runs jobs exposes ``register(registry, integrator)``; this module
lists them (no discovery) and :func:`build_registry` calls each once. Job kinds and owners:
``outbound.prepare``/``outbound.send``/``outbound.poll`` (core.outbound),
``inbound.process`` (core.inbound), ``responses.deadline`` (core.responses),
``userlist.refresh`` (core.userlist), ``archive.*`` (core.archive).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from entegrator.core import archive, responses, userlist, webhooks
from entegrator.core.inbound import process as inbound
from entegrator.core.outbound import jobs as outbound
from entegrator.store.jobs import HandlerRegistry

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["REGISTRARS", "build_registry", "schedule_recurring"]

Registrar = Callable[[HandlerRegistry, "Integrator"], None]

#: Every owner's ``register`` function, in a fixed order.
REGISTRARS: tuple[Registrar, ...] = (
    outbound.register,
    inbound.register,
    responses.register,
    userlist.register,
    archive.register,
    webhooks.register,
)


def build_registry(integrator: Integrator) -> HandlerRegistry:
    """A registry holding every job kind of the integrator."""
    registry = HandlerRegistry()
    for register in REGISTRARS:
        register(registry, integrator)
    return registry


def schedule_recurring(integrator: Integrator) -> None:
    """Make sure the recurring jobs exist (user-list refresh, archive maintenance); idempotent.

    Workers call this when they start.
    """
    with integrator.db.transaction() as conn:
        userlist.ensure_refresh_scheduled(conn, integrator)
        archive.ensure_maintenance_scheduled(conn, integrator)
