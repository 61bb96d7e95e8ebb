"""Who is calling Merkez: the two service paths and the integrator behind each request.

GİB tells integrators apart by their registered source addresses (Entegrasyon Kılavuzu §2,
§4.2). The simulator serves the EFatura service at

* ``/EFaturaMerkez/services/EFatura`` (GİB's path) — the caller is the one integrator whose
  networks contain the source address; none, or more than one (several integrators on one
  host, as in tests on 127.0.0.1), is refused with 403;
* ``/EFaturaMerkez/entegrator/<id>/services/EFatura`` — the caller says which integrator it
  is, and the source address must still be inside that integrator's networks (else 403).

Each (path, integrator) pair gets its own :func:`entegrator.gib.efatura_app` with that
integrator's networks as the allow-list and a receiver bound to it, built on first use and
rebuilt when the integrator's registration changes.
"""

from __future__ import annotations

import logging
import threading
from typing import Final

import anyio.to_thread
from starlette.applications import Starlette
from starlette.types import Receive, Scope, Send

from entegrator.gib import (
    MERKEZ_PATH,
    Caller,
    ExchangeHook,
    ReceiveResult,
    ServerConfig,
    Suspended,
    efatura_app,
)
from entegrator.simulator.config import IntegratorConfig
from entegrator.simulator.errors import UnknownIntegrator
from entegrator.simulator.receiver import BoundReceiver
from entegrator.simulator.runtime import Runtime

__all__ = ["BOUND_PATH", "SHARED_PATH", "EFaturaRouter", "integrator_path"]

log = logging.getLogger("entegrator.simulator")

SHARED_PATH: Final = MERKEZ_PATH
BOUND_PATH: Final = "/EFaturaMerkez/entegrator/{integrator}/services/EFatura"


def integrator_path(integrator_id: str) -> str:
    """The service path of one integrator (for callers sharing an address)."""
    return BOUND_PATH.replace("{integrator}", integrator_id)


class _Refusing:
    """The receiver of the deny-all apps; never reached (the allow-list is empty)."""

    def receive(self, file_name: str, data: bytes, hash: str, *, caller: Caller) -> ReceiveResult:
        raise Suspended()

    def application_response(self, instance_id: str, *, caller: Caller) -> bytes:
        raise Suspended()


class EFaturaRouter:
    """ASGI app behind both service paths (see the module docstring)."""

    def __init__(self, rt: Runtime, *, on_exchange: ExchangeHook | None = None) -> None:
        self._rt = rt
        self._on_exchange = on_exchange
        self._lock = threading.Lock()
        self._apps: dict[tuple[str, str], tuple[IntegratorConfig, Starlette]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        peer = client[0] if client else ""
        wanted = scope.get("path_params", {}).get("integrator")
        integrator = await anyio.to_thread.run_sync(self._resolve, peer, wanted)
        await self._app(scope["path"], integrator)(scope, receive, send)

    def _resolve(self, peer: str, wanted: str | None) -> IntegratorConfig | None:
        directory = self._rt.directory
        if wanted is not None:
            try:
                return directory.get(wanted)
            except UnknownIntegrator:
                log.warning("EFatura: bilinmeyen entegratör yolu %r (%s)", wanted, peer)
                return None
        found = directory.matching(peer)
        if len(found) > 1:
            log.warning("EFatura: %s adresi birden fazla entegratöre ait (%s); entegratöre özel "
                        "yol kullanılmalı", peer, ", ".join(i.id for i in found))
        return found[0] if len(found) == 1 else None

    def _app(self, path: str, integrator: IntegratorConfig | None) -> Starlette:
        if integrator is None:  # not cached: the path may be anything a stranger sent
            return self._build(path, None)
        key = (path, integrator.id)
        with self._lock:
            cached = self._apps.get(key)
            if cached is None or cached[0] != integrator:
                cached = self._apps[key] = (integrator, self._build(path, integrator))
            return cached[1]

    def _build(self, path: str, integrator: IntegratorConfig | None) -> Starlette:
        config = self._rt.config
        public = f"{config.public_url.rstrip('/')}{path}" if config.public_url else None
        server = ServerConfig(path=path, max_body_bytes=config.max_body_bytes,
                              allowed_networks=integrator.networks if integrator else (),
                              public_url=public)
        receiver = BoundReceiver(self._rt, integrator.id) if integrator else _Refusing()
        return efatura_app(server, receiver, on_exchange=self._on_exchange)
