"""Protection of the ERP-facing services: rate limits, brute-force limits, body size, audit.

* :class:`Protection` — per-credential token buckets (``admit_call``), per-address buckets
  for unauthenticated requests (``admit_address``) and sliding windows of failed logins per
  address and per user name (``admit_login`` / ``login_failed``). It has the method names of
  the SOAP faces' ``Guard`` protocol, so one object guards every face. The counters live in
  this process: with N server processes a client gets up to N times the limit (fine as a
  flood brake; a shared limit needs a shared store such as Redis — not worth a dependency
  here). Account lockout that holds across processes is core's (:mod:`entegrator.core.auth`).
* :class:`ProtectionMiddleware` (ASGI) — gives every request an id (``X-Request-ID``, the
  client's if it is sane), refuses bodies over the limit with 413 (by ``Content-Length`` and
  while streaming), and records one audit row per REST call — who, from where, which route,
  the status and the time taken — through :class:`CallAudit`.
* :class:`CallAudit` — buffers those rows and writes them in batches (a write transaction
  per read request would serialize status polls on SQLite's one write lock); a crash loses at
  most ``flush_interval`` seconds of call rows, never a change (core audits changes in their
  own transaction).
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

import anyio.to_thread
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from entegrator.api.settings import ApiSettings, RateLimit
from entegrator.errors import PermissionDenied
from entegrator.store.audit import Actor, ActorKind, audit_log
from entegrator.store.clock import Clock
from entegrator.store.db import Database
from entegrator.store.tenancy import TenantScope, all_tenants

__all__ = [
    "CallAudit",
    "CallRecord",
    "Protection",
    "ProtectionMiddleware",
    "Throttled",
    "TokenBuckets",
]

log = logging.getLogger("entegrator.api.protection")

_MAX_KEYS: Final = 100_000
_REQUEST_ID: Final = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class Throttled(PermissionDenied):
    """Too many requests or failed logins; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1.0, retry_after)


class TokenBuckets:
    """One token bucket per key (``rate`` per second, ``burst`` deep), memory-bounded."""

    def __init__(self, limit: RateLimit, *, now: Callable[[], float] = time.monotonic) -> None:
        self._limit = limit
        self._now = now
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token for ``key``; 0.0 when granted, else the seconds until one is free."""
        rate, burst = self._limit.rate, float(self._limit.burst)
        now = self._now()
        with self._lock:
            tokens, last = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - last) * rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return (1.0 - tokens) / rate
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > _MAX_KEYS:
                self._prune(now)
            return 0.0

    def _prune(self, now: float) -> None:
        # A bucket idle long enough to be full again carries no information.
        full_after = self._limit.burst / self._limit.rate
        for key in [k for k, (_, last) in self._buckets.items() if now - last >= full_after]:
            del self._buckets[key]


class _FailureWindows:
    """Failed attempts per key within a sliding window, and lockouts after too many."""

    def __init__(self, settings: ApiSettings, now: Callable[[], float]) -> None:
        self._settings = settings
        self._now = now
        self._failures: dict[str, deque[float]] = {}
        self._locked: dict[str, float] = {}
        self._lock = threading.Lock()

    def retry_after(self, keys: tuple[str, ...]) -> float:
        now = self._now()
        with self._lock:
            until = max((self._locked.get(k, 0.0) for k in keys), default=0.0)
        return max(0.0, until - now)

    def failed(self, keys: tuple[str, ...]) -> None:
        s = self._settings
        now = self._now()
        with self._lock:
            for key in keys:
                window = self._failures.setdefault(key, deque())
                window.append(now)
                while window and window[0] <= now - s.login_window:
                    window.popleft()
                if len(window) >= s.login_failures:
                    self._locked[key] = now + s.login_lockout
                    window.clear()
            if len(self._failures) + len(self._locked) > _MAX_KEYS:
                self._prune(now)

    def _prune(self, now: float) -> None:
        horizon = now - self._settings.login_window
        for key in [k for k, w in self._failures.items() if not w or w[-1] <= horizon]:
            del self._failures[key]
        for key in [k for k, until in self._locked.items() if until <= now]:
            del self._locked[key]


class Protection:
    """Rate and brute-force limits of one process (module docstring)."""

    def __init__(self, settings: ApiSettings, *,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._calls = TokenBuckets(settings.per_credential, now=now)
        self._addresses = TokenBuckets(settings.per_address, now=now)
        self._failures = _FailureWindows(settings, now)

    def admit_call(self, credential: str) -> None:
        """Refuse (Throttled) a call over ``credential``'s rate."""
        wait = self._calls.take(credential)
        if wait:
            raise Throttled("İstek sınırı aşıldı; biraz sonra yeniden deneyin",
                            retry_after=wait)

    def admit_address(self, address: str | None) -> None:
        """Refuse (Throttled) an unauthenticated request over the address's rate."""
        wait = self._addresses.take(f"a:{address}")
        if wait:
            raise Throttled("Bu adresten çok sayıda istek geldi", retry_after=wait)

    def admit_login(self, username: str | None, address: str | None) -> None:
        """Refuse (Throttled) a login while the address or user name is locked out."""
        wait = self._failures.retry_after(_login_keys(username, address))
        if wait:
            raise Throttled("Çok sayıda hatalı giriş denemesi; daha sonra yeniden deneyin",
                            retry_after=wait)

    def login_failed(self, username: str | None, address: str | None) -> None:
        """Count a failed login (API key, OAuth client secret or password)."""
        self._failures.failed(_login_keys(username, address))


def _login_keys(username: str | None, address: str | None) -> tuple[str, ...]:
    keys = [f"a:{address}"]
    if username:
        keys.append(f"u:{username.strip().lower()}")
    return tuple(keys)


# --- audit of every call ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One API call as the audit log keeps it (action ``api.call``)."""

    actor: Actor
    tenant_id: int | None
    details: dict[str, Any] = field(default_factory=dict)


class CallAudit:
    """Buffers :class:`CallRecord` rows and writes them in batches (module docstring).

    A request that finds the buffer due writes it (in a worker thread, see the middleware);
    :meth:`close` — or interpreter exit — writes the rest.
    """

    def __init__(self, db: Database, clock: Clock, *, flush_interval: float = 0.5,
                 max_pending: int = 1000) -> None:
        self._db = db
        self._clock = clock
        self._interval = flush_interval
        self._max_pending = max_pending
        self._pending: list[tuple[CallRecord, Any]] = []
        self._oldest = 0.0
        self._lock = threading.Lock()
        self._writing = threading.Lock()
        self._finalizer = weakref.finalize(self, CallAudit._final_flush, weakref.ref(self))

    def add(self, record: CallRecord) -> bool:
        """Queue ``record``; True when the buffer is due to be written."""
        with self._lock:
            if not self._pending:
                self._oldest = time.monotonic()
            self._pending.append((record, self._clock.now()))
            return (len(self._pending) >= self._max_pending
                    or time.monotonic() - self._oldest >= self._interval)

    def flush(self, *, wait: bool = True) -> int:
        """Write what is queued in one transaction; the number of rows written."""
        if not self._writing.acquire(blocking=wait):
            return 0
        try:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return 0
            try:
                self._write(batch)
            except Exception:
                log.exception("API çağrı denetim kayıtları yazılamadı (%d); saklanıyor",
                              len(batch))
                with self._lock:
                    room = max(self._max_pending * 10 - len(self._pending), 0)
                    self._pending[:0] = batch[:room]
                return 0
            return len(batch)
        finally:
            self._writing.release()

    def close(self) -> None:
        """Write everything still queued (call at shutdown)."""
        self.flush()

    def _write(self, batch: list[tuple[CallRecord, Any]]) -> None:
        by_tenant: dict[int | None, list[dict[str, Any]]] = {}
        for record, at in batch:
            a = record.actor
            by_tenant.setdefault(record.tenant_id, []).append({
                "at": at, "actor_kind": a.kind.value, "actor_id": a.id, "channel": a.channel,
                "ip": a.ip, "request_id": a.request_id, "action": "api.call",
                "object_type": "api_call", "object_id": None, "details": record.details,
            })
        with self._db.transaction() as conn:
            for tenant_id, rows in by_tenant.items():
                if tenant_id is None:
                    conn.execute(all_tenants(audit_log.insert().values(tenant_id=None)), rows)
                else:
                    scope = TenantScope(conn, tenant_id)
                    scope.execute(scope.insert(audit_log), rows)

    @staticmethod
    def _final_flush(ref: weakref.ref[CallAudit]) -> None:
        target = ref()
        if target is not None:
            target.flush(wait=False)


# --- ASGI middleware ----------------------------------------------------------------------------


class _BodyTooLarge(HTTPException):
    """Raised from ``receive`` when the streamed body passes the limit (FastAPI passes
    HTTPExceptions through its body parsing unchanged)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"En fazla {limit} bayt kabul edilir")


class ProtectionMiddleware:
    """Request ids for every request; body size limit and the per-call audit for the paths
    under ``prefix`` (the SOAP faces cap their bodies and audit their calls themselves)."""

    def __init__(self, app: ASGIApp, *, settings: ApiSettings, audit: CallAudit,
                 prefix: str = "/api/") -> None:
        self.app = app
        self._max = settings.max_body_bytes
        self._audit = audit
        self._prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.monotonic()
        status = {"code": 500, "sent": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["sent"] = message["status"], True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("ascii")))
                message = {**message, "headers": headers}
            await send(message)

        if not scope["path"].startswith(self._prefix):  # other faces guard themselves
            await self.app(scope, receive, send_wrapper)
            return
        try:
            length = _content_length(scope)
            if length is not None and length > self._max:
                await self._too_large(scope, send_wrapper, request_id)
                return
            await self.app(scope, self._limited(receive), send_wrapper)
        except _BodyTooLarge:
            if not status["sent"]:
                await self._too_large(scope, send_wrapper, request_id)
        finally:
            await self._record(scope, state, request_id, status["code"], started)

    def _limited(self, receive: Receive) -> Receive:
        seen = 0
        limit = self._max

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge(limit)
            return message

        return wrapped

    async def _too_large(self, scope: Scope, send: Send, request_id: str) -> None:
        from entegrator.api.rest.problems import problem_response  # rest imports this module

        response = problem_response(
            413, "İstek gövdesi çok büyük", "too-large",
            detail=f"En fazla {self._max} bayt kabul edilir", instance=scope["path"],
            request_id=request_id, izibiz_code=10010)
        await response(scope, _drain, send)

    async def _record(self, scope: Scope, state: dict[str, Any], request_id: str,
                      status: int, started: float) -> None:
        caller = state.get("caller")
        ip = scope["client"][0] if scope.get("client") else None
        if caller is not None:
            actor = caller.actor
            tenant_id: int | None = caller.tenant_id
        else:
            actor = Actor(ActorKind.API_CLIENT, state.get("credential_id"), "api", ip,
                          request_id)
            tenant_id = None
        details = {
            "method": scope["method"], "path": scope["path"],
            "route": _template(scope), "status": status,
            "ms": round((time.monotonic() - started) * 1000, 1),
        }
        due = self._audit.add(CallRecord(actor, tenant_id, details))
        if due:
            await anyio.to_thread.run_sync(lambda: self._audit.flush(wait=False))


async def _drain() -> Message:
    return {"type": "http.disconnect"}


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1").strip()
            if _REQUEST_ID.match(text):
                return text
            break
    return uuid.uuid4().hex


def _template(scope: Scope) -> str:
    """The request path with its path parameters named: ``/api/v1/invoices/{ref}``."""
    values = {str(v): k for k, v in (scope.get("path_params") or {}).items()}
    return "/".join(f"{{{values[part]}}}" if part in values else part
                    for part in scope["path"].split("/"))


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
