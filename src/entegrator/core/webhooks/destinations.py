"""Which webhook addresses the integrator may call (no SSRF into its own network).

:func:`check_url` runs when a subscription is saved: absolute ``https://`` URL (``http://``
only when allowed), a host name, no user name or password in it, no fragment.
:func:`check_address` runs before every delivery: the host's addresses, as resolved now,
must all be public (not loopback, private, link-local, multicast, reserved or unspecified)
unless private networks are allowed. A name that resolves differently between this check and
the connection (DNS rebinding) is not caught; put an egress proxy in front where that matters.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from entegrator.core.webhooks.model import DestinationRefused, WebhookSettings

__all__ = ["MAX_URL_LENGTH", "check_address", "check_url"]

MAX_URL_LENGTH = 2000


def check_url(url: str, settings: WebhookSettings) -> str:
    """``url`` stripped, or DestinationRefused saying what is wrong with it."""
    value = (url or "").strip()
    if not value or len(value) > MAX_URL_LENGTH:
        raise DestinationRefused(f"Webhook adresi boş ya da {MAX_URL_LENGTH} karakterden uzun")
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise DestinationRefused(f"Webhook adresi çözümlenemedi: {exc}") from exc
    allowed = ("https", "http") if settings.allow_http else ("https",)
    if parts.scheme not in allowed:
        raise DestinationRefused(f"Webhook adresi {' ya da '.join(allowed)}:// ile başlamalı")
    if not parts.hostname:
        raise DestinationRefused("Webhook adresinde sunucu adı yok")
    if parts.username is not None or parts.password is not None:
        raise DestinationRefused("Webhook adresi kullanıcı adı ya da parola içeremez")
    if parts.fragment:
        raise DestinationRefused("Webhook adresi # ile başlayan bölüm içeremez")
    if port == 0:
        raise DestinationRefused("Webhook adresinin portu geçersiz")
    if not settings.allow_private_networks:
        literal = _literal(parts.hostname)
        if literal is not None and not literal.is_global:
            raise DestinationRefused(f"Webhook adresi genel bir IP adresi olmalı: {literal}")
    return value


def check_address(url: str, settings: WebhookSettings) -> None:
    """Refuse ``url`` if its host resolves to a non-public address (see module docstring)."""
    if settings.allow_private_networks:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise DestinationRefused(f"Webhook sunucusu bulunamadı: {host} ({exc})") from exc
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not address.is_global:
            raise DestinationRefused(f"Webhook sunucusu genel olmayan bir adrese çıkıyor: "
                                     f"{host} → {address}")


def _literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None
