"""The EFatura web service as a Starlette app: ``POST`` for SOAP, ``GET ?wsdl`` for the WSDL.

The integrator mounts it to receive envelopes from GİB Merkez; the simulator mounts it as Merkez
(at :data:`~entegrator.gib.contract.MERKEZ_PATH`). Both plug in a
:class:`~entegrator.gib.ports.DocumentReceiver`. GİB's service has no WS-Security: callers are
authenticated by TLS termination in front of this app and by the IP allow-list here
(gib-protocol.md §1.4). Behind a proxy, run uvicorn with ``--proxy-headers
--forwarded-allow-ips=<proxy>`` so the allow-list sees the real caller address.

HTTP-level refusals come before any parsing: caller not allowed (403), compressed body
(415), body larger than the limit (413, checked on Content-Length and while reading). Then
:class:`~entegrator.gib.dispatch.EFaturaService` answers in a worker thread. Whatever happens, the
answer is a SOAP fault, never a bare 500.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import anyio.to_thread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from entegrator.errors import ConfigurationError
from entegrator.gib.contract import MERKEZ_PATH
from entegrator.gib.dispatch import EFaturaService, Handled, fault_reply
from entegrator.gib.errors import FaultCode, MessageTooLarge
from entegrator.gib.messages import FaultDetail
from entegrator.gib.ports import Caller, DocumentReceiver
from entegrator.gib.transport import Exchange, ExchangeHook, Reply
from entegrator.gib.wsdl import wsdl_for

__all__ = ["ServerConfig", "efatura_app", "efatura_routes", "read_limited_body"]

log = logging.getLogger("entegrator.gib.server")

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """Settings of the served EFatura endpoint.

    ``allowed_networks`` are CIDR strings; only callers inside one of them are answered
    (loopback only by default — list GİB's published addresses in production, or
    ``0.0.0.0/0`` and ``::/0`` to allow everyone). ``public_url`` is the address written into
    the WSDL; None means the URL the WSDL was requested with.
    """

    path: str = MERKEZ_PATH
    max_body_bytes: int = 32 * 1024 * 1024
    allowed_networks: tuple[str, ...] = ("127.0.0.0/8", "::1/128")
    public_url: str | None = None

    def networks(self) -> tuple[_Network, ...]:
        """The allow-list, parsed; raises :class:`ConfigurationError` for a bad entry."""
        try:
            return tuple(ipaddress.ip_network(n, strict=False) for n in self.allowed_networks)
        except ValueError as exc:
            raise ConfigurationError(f"geçersiz IP ağı (allowed_networks): {exc}") from exc


def efatura_routes(config: ServerConfig, receiver: DocumentReceiver, *,
                   on_exchange: ExchangeHook | None = None) -> list[Route]:
    """The route(s) serving the service at ``config.path``, for mounting in a larger app."""
    if not config.path.startswith("/"):
        raise ConfigurationError(f"servis yolu '/' ile başlamalı: {config.path!r}")
    endpoint = _Endpoint(config, receiver, on_exchange)
    return [Route(config.path, endpoint.handle, methods=["GET", "POST"], name="efatura")]


def efatura_app(config: ServerConfig, receiver: DocumentReceiver, *,
                on_exchange: ExchangeHook | None = None) -> Starlette:
    """A stand-alone Starlette app serving only the EFatura service."""
    return Starlette(routes=efatura_routes(config, receiver, on_exchange=on_exchange))


class _Endpoint:
    def __init__(self, config: ServerConfig, receiver: DocumentReceiver,
                 on_exchange: ExchangeHook | None) -> None:
        self._config = config
        self._networks = config.networks()
        self._service = EFaturaService(receiver, max_xml_bytes=config.max_body_bytes)
        self._on_exchange = on_exchange

    async def handle(self, request: Request) -> Response:
        started, started_at = time.monotonic(), datetime.now(UTC)
        peer = request.client.host if request.client else None
        try:
            if self._allowed(peer) and request.method == "GET":
                return self._get(request)
            body, handled = await self._post(request, peer)
            if self._on_exchange is not None:
                exchange = Exchange(
                    direction="in", method=handled.method, subject=handled.subject,
                    url=str(request.url), request_headers=dict(request.headers),
                    request_body=body, reply=handled.reply, started_at=started_at,
                    elapsed=time.monotonic() - started, peer=peer)
                await anyio.to_thread.run_sync(self._report, exchange)
            return _response(handled.reply)
        except Exception:
            log.exception("EFatura servisinde beklenmeyen hata")
            return _response(fault_reply(
                FaultCode.SYSTEM_ERROR.text, status=500, sender=False,
                detail=FaultDetail(FaultCode.SYSTEM_ERROR, FaultCode.SYSTEM_ERROR.text)))

    async def _post(self, request: Request, peer: str | None) -> tuple[bytes, Handled]:
        """Refuse at HTTP level or hand the body to the dispatcher (in a worker thread)."""
        if not self._allowed(peer):
            log.warning("EFatura servisi: izin verilmeyen adres %s", peer)
            return b"", Handled(fault_reply(f"bu adresten erişim izni yok: {peer}", status=403))
        if request.headers.get("content-encoding", "identity").lower() != "identity":
            return b"", Handled(fault_reply("sıkıştırılmış istek gövdesi desteklenmiyor",
                                            status=415))
        try:
            body = await read_limited_body(request, self._config.max_body_bytes)
        except MessageTooLarge as exc:
            return b"", Handled(fault_reply(exc.message, status=413))
        handled = await anyio.to_thread.run_sync(
            lambda: self._service.handle(body, request.headers.get("content-type"),
                                         soap_action=request.headers.get("soapaction"),
                                         caller=Caller(peer or "")))
        return body, handled

    def _allowed(self, peer: str | None) -> bool:
        try:
            address = ipaddress.ip_address(peer or "")
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return any(address in network for network in self._networks)

    def _get(self, request: Request) -> Response:
        if not any(key.lower() == "wsdl" for key in request.query_params):
            return PlainTextResponse("EFatura servisi: SOAP isteği POST ile gönderilmeli; "
                                     "WSDL için ?wsdl", status_code=400)
        location = self._config.public_url or str(request.url.replace(query="", fragment=""))
        return Response(wsdl_for(location), media_type="text/xml; charset=utf-8")

    def _report(self, exchange: Exchange) -> None:
        try:
            if self._on_exchange is not None:
                self._on_exchange(exchange)
        except Exception:
            # The envelope itself is already stored by the receiver port; a failing hook must
            # not turn a received envelope into a fault for the sender.
            log.exception("EFatura exchange hook failed (%s %s)", exchange.method,
                          exchange.subject)


def _response(reply: Reply) -> Response:
    return Response(reply.body, status_code=reply.status, headers=dict(reply.headers))


async def read_limited_body(request: Request, limit: int) -> bytes:
    """The request body, refused with MessageTooLarge as soon as it is known to exceed
    ``limit`` bytes (a declared Content-Length, or the bytes streamed so far)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise MessageTooLarge(f"istek gövdesi çok büyük: {declared} bayt (sınır {limit})")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise MessageTooLarge(f"istek gövdesi {limit} baytı aşıyor")
        chunks.append(chunk)
    return b"".join(chunks)
