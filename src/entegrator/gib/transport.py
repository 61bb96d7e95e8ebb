"""The transport seam of the GİB client: how request bytes reach the other side.

:class:`GibClient <entegrator.gib.client.GibClient>` builds and reads SOAP messages; bytes move
through a :class:`Transport`. :class:`HttpxTransport` is the real one (HTTPS with certificate
verification, timeouts, optional TLS client certificate, a size cap on replies);
:mod:`entegrator.gib.inprocess` has a recording transport and an in-process ASGI transport.
Every exchange can be observed through an :data:`ExchangeHook`, so the archive stores exactly what
crossed the wire and the log names the GİB method (Özel Entegrasyon Kılavuzu §8).
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Literal, Protocol

import httpx

from entegrator.errors import ConfigurationError, TransportError
from entegrator.types import Secret

__all__ = [
    "Exchange",
    "ExchangeHook",
    "HttpTransportConfig",
    "HttpxTransport",
    "Reply",
    "Transport",
]


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer: status, headers (lower-case names) and body."""

    status: int
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def content_type(self) -> str | None:
        """The Content-Type header, if any."""
        return self.headers.get("content-type")


class Transport(Protocol):
    """Moves bytes to a URL and back. Raises :class:`~entegrator.errors.TransportError`."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        """POST ``body`` and return the whole reply (whatever its status)."""
        ...

    def download(self, url: str, sink: BinaryIO, *, max_bytes: int) -> Reply:
        """GET ``url`` and stream a 200 body into ``sink`` (at most ``max_bytes``).

        The returned reply carries status and headers; its ``body`` is empty for a 200 and
        holds the (capped) error body otherwise.
        """
        ...


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request/response pair of the EFatura service, as it crossed the wire.

    ``method`` is the GİB web-service method (``sendDocument`` / ``getApplicationResponse``;
    None when a request could not be read), ``subject`` the envelope file name or UUID,
    ``peer`` the remote address (inbound requests only). ``reply`` is None when the transport
    failed; ``error`` then says why.
    """

    direction: Literal["in", "out"]  # "out": our client called; "in": our server was called
    method: str | None
    subject: str | None
    url: str
    request_headers: Mapping[str, str]
    request_body: bytes
    reply: Reply | None
    started_at: datetime
    elapsed: float
    peer: str | None = None
    error: Exception | None = None


#: Called once per exchange, after it completed or failed.
ExchangeHook = Callable[[Exchange], None]


@dataclass(frozen=True, slots=True)
class HttpTransportConfig:
    """Settings of :class:`HttpxTransport`. Safe by default: certificates are verified."""

    verify_tls: bool = True
    ca_bundle: Path | None = None  # PEM file of trusted CAs; None = the system's store
    client_cert: Path | None = None  # PEM certificate (chain) for TLS client authentication
    client_key: Path | None = None  # its private key (PEM); None if inside client_cert
    client_key_password: Secret | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    max_reply_bytes: int = 16 * 1024 * 1024
    proxy: str | None = None
    user_agent: str = "entegrator-gib-client"


class HttpxTransport:
    """A :class:`Transport` over HTTP(S) with httpx. Thread-safe; close it when done."""

    def __init__(self, config: HttpTransportConfig) -> None:
        self._config = config
        # TCP_NODELAY: httpx writes headers and body separately; with Nagle on, every call
        # waits for the peer's delayed ACK (~40 ms on Linux loopback, measured).
        transport = httpx.HTTPTransport(
            verify=_ssl_context(config), proxy=config.proxy, trust_env=False,
            socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        self._client = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(config.read_timeout, connect=config.connect_timeout),
            follow_redirects=False,
            trust_env=False,
            headers={"user-agent": config.user_agent},
        )

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        """POST ``body``; the reply body is read up to ``max_reply_bytes``."""
        try:
            with self._client.stream("POST", url, content=body, headers=dict(headers)) as resp:
                return Reply(resp.status_code, _headers(resp), _read_capped(
                    resp, self._config.max_reply_bytes, url))
        except httpx.HTTPError as exc:
            raise TransportError(f"{url} adresine istek başarısız: {_describe(exc)}") from exc

    def download(self, url: str, sink: BinaryIO, *, max_bytes: int) -> Reply:
        """GET ``url`` into ``sink``; see :meth:`Transport.download`."""
        try:
            with self._client.stream("GET", url) as resp:
                if resp.status_code != 200:
                    return Reply(resp.status_code, _headers(resp), _read_head(resp))
                written = 0
                for chunk in resp.iter_bytes():
                    written += len(chunk)
                    if written > max_bytes:
                        raise TransportError(f"{url} yanıtı {max_bytes} baytı aşıyor")
                    sink.write(chunk)
                return Reply(resp.status_code, _headers(resp))
        except httpx.HTTPError as exc:
            raise TransportError(f"{url} indirilemedi: {_describe(exc)}") from exc

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> HttpxTransport:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _ssl_context(config: HttpTransportConfig) -> ssl.SSLContext:
    if config.verify_tls:
        context = ssl.create_default_context(
            cafile=str(config.ca_bundle) if config.ca_bundle else None)
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if config.client_cert is not None:
        password = config.client_key_password.reveal() if config.client_key_password else None
        try:
            context.load_cert_chain(str(config.client_cert),
                                    str(config.client_key) if config.client_key else None,
                                    password=password)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigurationError(
                f"TLS istemci sertifikası yüklenemedi ({config.client_cert}): {exc}") from exc
    elif config.client_key is not None:
        raise ConfigurationError("client_key verilmiş ama client_cert yok")
    return context


def _headers(resp: httpx.Response) -> dict[str, str]:
    return {name.lower(): value for name, value in resp.headers.items()}


def _read_capped(resp: httpx.Response, limit: int, url: str) -> bytes:
    declared = resp.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TransportError(f"{url} yanıtı çok büyük: {declared} bayt (sınır {limit})",
                             status=resp.status_code)
    chunks: list[bytes] = []
    size = 0
    for chunk in resp.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise TransportError(f"{url} yanıtı {limit} baytı aşıyor", status=resp.status_code)
        chunks.append(chunk)
    return b"".join(chunks)


def _read_head(resp: httpx.Response, limit: int = 64 * 1024) -> bytes:
    """The first ``limit`` bytes of an error body (enough to tell what went wrong)."""
    head = bytearray()
    for chunk in resp.iter_bytes():
        head += chunk[: limit - len(head)]
        if len(head) >= limit:
            break
    return bytes(head)


def _describe(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"zaman aşımı ({type(exc).__name__})"
    return str(exc) or type(exc).__name__
