"""Delivering webhooks: the ``webhooks.deliver`` job, test pings and manual redelivery.

One job per delivery POSTs the JSON payload to the subscription's URL with

* ``Entegrator-Signature: t=<unix>,v1=<HMAC-SHA256(secret, "<t>." + body)>`` (:mod:`.signature`),
* ``Entegrator-Event`` (the type), ``Entegrator-Delivery`` (the payload id, for receivers to
  drop duplicates: delivery is at-least-once), ``Entegrator-Attempt`` (1, 2, …).

A 2xx answer ends the delivery; anything else (other status, timeout, refused connection,
redirect) is recorded in the delivery's log and raised as a retryable
:class:`~.model.DeliveryFailed`, so the job queue tries again with exponential backoff —
and a receiver that keeps failing opens the circuit breaker of its destination
(``webhook:<id>``), sparing the workers. The last attempt, an address refused by
:func:`~.destinations.check_address`, or a subscription switched off end it as ``failed``.
Order between deliveries is not guaranteed; payloads carry ``created_at``.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, Final

import httpx
from sqlalchemy import Connection

from entegrator.core.context import Caller
from entegrator.core.errors import InvalidState
from entegrator.core.permissions import Permission
from entegrator.core.webhooks.destinations import check_address
from entegrator.core.webhooks.model import (
    Delivery,
    DeliveryFailed,
    DeliveryState,
    DestinationRefused,
    EventType,
    WebhookSettings,
)
from entegrator.core.webhooks.signature import SIGNATURE_HEADER, signature_header
from entegrator.core.webhooks.sink import DELIVER_JOB, enqueue_delivery
from entegrator.core.webhooks.subscriptions import (
    delivery_row,
    live_row,
    webhook_settings,
)
from entegrator.store import audit, jobs
from entegrator.store.domain import webhook_deliveries, webhooks
from entegrator.store.jobs import HandlerRegistry, JobContext, RetryPolicy
from entegrator.store.tenancy import TenantScope

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["deliver", "ping", "redeliver", "register"]

_dl = webhook_deliveries.c
_w = webhooks.c
#: Attempts kept in a delivery's ``attempt_log``.
LOG_SIZE: Final = 20
_BODY_SAMPLE: Final = 512


def register(registry: HandlerRegistry, integrator: Integrator, *,
             settings: WebhookSettings | None = None) -> None:
    """Add the ``webhooks.deliver`` job kind."""
    chosen = settings or webhook_settings(integrator)

    def run(ctx: JobContext) -> None:
        deliver(integrator, ctx, chosen)

    registry.register(DELIVER_JOB, run, retry=RetryPolicy(
        max_attempts=chosen.max_attempts, base_delay=chosen.base_delay, factor=2.0,
        max_delay=chosen.max_delay))


def deliver(integrator: Integrator, ctx: JobContext, settings: WebhookSettings) -> None:
    """Make one attempt at the delivery named by the job (module docstring)."""
    tenant_id, delivery_id = int(ctx.payload["tenant_id"]), int(ctx.payload["delivery_id"])
    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, tenant_id)
        row = scope.execute(scope.select(webhook_deliveries)
                            .where(_dl.id == delivery_id)).first()
        hook = None if row is None else scope.execute(
            scope.select(webhooks).where(_w.id == row.webhook_id)).first()
    if row is None or hook is None or row.state != DeliveryState.PENDING.value:
        return  # delivered meanwhile, or gone
    now = integrator.clock.now()
    if not hook.active or hook.deleted_at is not None:
        _finish(integrator, ctx, row, ok=False, status=None,
                error="Abonelik kapalı: gönderilmedi", elapsed=0.0, final=True)
        return
    body = json.dumps(row.payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": settings.user_agent,
        "Entegrator-Event": row.event_type,
        "Entegrator-Delivery": row.event_id,
        "Entegrator-Attempt": str(row.attempts + 1),
        SIGNATURE_HEADER: signature_header(hook.secret, body, timestamp=int(now.timestamp())),
    }
    started = time.monotonic()
    status: int | None = None
    try:
        check_address(hook.url, settings)
        status, sample = _post(hook.url, body, headers, settings.timeout)
        error = None if 200 <= status < 300 else f"HTTP {status}: {sample}".strip()
        permanent = False
    except DestinationRefused as exc:
        error, permanent = exc.message, True
    except httpx.HTTPError as exc:
        error, permanent = f"{type(exc).__name__}: {exc}"[:500], False
    elapsed = time.monotonic() - started
    ok = error is None
    final = ok or permanent or ctx.attempt >= settings.max_attempts
    _finish(integrator, ctx, row, ok=ok, status=status, error=error, elapsed=elapsed,
            final=final)
    if not final:
        raise DeliveryFailed(f"Webhook gönderilemedi ({hook.url}): {error}", status=status)


def ping(integrator: Integrator, caller: Caller, webhook_id: int) -> Delivery:
    """Queue a ``webhook.ping`` to the subscription, whatever its event types."""
    caller.require(Permission.MANAGE)
    with integrator.db.transaction() as conn:
        hook = live_row(conn, caller.tenant_id, webhook_id)
        if not hook.active:
            raise InvalidState("Kapalı bir webhook'a deneme gönderilemez", state="inactive")
        new_id = enqueue_delivery(conn, caller.tenant_id, webhook_id, EventType.PING,
                                  {"webhook_id": webhook_id, "message": "entegrator deneme"},
                                  clock=integrator.clock)
        audit.record(conn, caller.actor, "webhook.ping", tenant_id=caller.tenant_id,
                     object_type="webhook", object_id=webhook_id, clock=integrator.clock)
        return delivery_row(caller.scope(conn), webhook_id, new_id)


def redeliver(integrator: Integrator, caller: Caller, webhook_id: int,
              delivery_id: int) -> Delivery:
    """Send a finished (failed or succeeded) delivery again, same payload and id."""
    caller.require(Permission.MANAGE)
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        live_row(conn, caller.tenant_id, webhook_id)
        current = delivery_row(scope, webhook_id, delivery_id)
        if current.state == DeliveryState.PENDING:
            raise InvalidState("Bu gönderim zaten sırada", state=current.state.value)
        scope.execute(scope.update(webhook_deliveries).where(_dl.id == delivery_id).values(
            state=DeliveryState.PENDING.value, updated_at=integrator.clock.now()))
        _enqueue(conn, caller.tenant_id, webhook_id, delivery_id, integrator)
        audit.record(conn, caller.actor, "webhook.redeliver", tenant_id=caller.tenant_id,
                     object_type="webhook_delivery", object_id=delivery_id,
                     clock=integrator.clock)
        return delivery_row(scope, webhook_id, delivery_id)


def _enqueue(conn: Connection, tenant_id: int, webhook_id: int, delivery_id: int,
             integrator: Integrator) -> None:
    jobs.enqueue(conn, DELIVER_JOB, {"delivery_id": delivery_id, "tenant_id": tenant_id},
                 destination=f"webhook:{webhook_id}", clock=integrator.clock)


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, str]:
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client, \
            client.stream("POST", url, content=body, headers=headers) as response:
        sample = b""
        for chunk in response.iter_bytes():
            sample += chunk
            if len(sample) >= _BODY_SAMPLE:
                break
        return response.status_code, sample[:_BODY_SAMPLE].decode("utf-8", "replace")


def _finish(integrator: Integrator, ctx: JobContext, row: Any, *, ok: bool,
            status: int | None, error: str | None, elapsed: float, final: bool) -> None:
    now = integrator.clock.now()
    entry = {"at": now.isoformat(), "status": status, "error": error,
             "ms": round(elapsed * 1000)}
    values: dict[str, Any] = {
        "attempts": row.attempts + 1, "last_status_code": status, "last_error": error,
        "attempt_log": [*(row.attempt_log or ()), entry][-LOG_SIZE:], "updated_at": now,
    }
    if ok:
        values.update(state=DeliveryState.SUCCEEDED.value, delivered_at=now)
    elif final:
        values["state"] = DeliveryState.FAILED.value

    def write(conn: Connection) -> None:
        scope = TenantScope(conn, row.tenant_id)
        scope.execute(scope.update(webhook_deliveries)
                      .where(_dl.id == row.id, _dl.state == DeliveryState.PENDING.value)
                      .values(values))

    if final:  # the record and the job's completion commit together
        with ctx.transaction() as conn:
            write(conn)
    else:  # keep the attempt although the job fails and is retried
        with integrator.db.transaction() as conn:
            write(conn)
