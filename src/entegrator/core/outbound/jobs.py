"""Registration of outbound's job kinds with the worker's handler registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from entegrator.core.outbound.jobkinds import POLL, PREPARE, RESEND, SEND
from entegrator.core.outbound.poll import run_poll
from entegrator.core.outbound.prepare import run_prepare
from entegrator.core.outbound.resend import run_resend
from entegrator.core.outbound.send import run_send
from entegrator.store.jobs import HandlerRegistry, JobContext, RetryPolicy

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["register"]


def register(registry: HandlerRegistry, integrator: Integrator) -> None:
    """Add ``outbound.prepare``, ``outbound.send``, ``outbound.poll`` and ``outbound.resend``."""
    config = integrator.config.outbound

    def prepare(ctx: JobContext) -> None:
        run_prepare(integrator, ctx)

    def send(ctx: JobContext) -> None:
        run_send(integrator, ctx)

    def poll(ctx: JobContext) -> None:
        run_poll(integrator, ctx)

    def resend(ctx: JobContext) -> None:
        run_resend(integrator, ctx)

    registry.register(PREPARE, prepare, retry=config.prepare_retry)
    registry.register(SEND, send, retry=config.send_retry)
    registry.register(POLL, poll, retry=config.poll_retry)
    registry.register(RESEND, resend, retry=RetryPolicy(max_attempts=10, base_delay=30.0))
