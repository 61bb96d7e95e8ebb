"""Signing webhook payloads: HMAC-SHA256 over the timestamp and the body.

Every delivery carries ``Entegrator-Signature: t=<unix seconds>,v1=<hex>`` where ``v1`` is
``HMAC-SHA256(secret, "<t>." + body)``. Binding the timestamp into the MAC lets a receiver
refuse replays: :func:`verify` accepts a signature only within ``tolerance`` seconds of its
own clock. During a secret rotation a receiver may check against the old and the new secret.

>>> header = signature_header("whsec_test", b'{"a":1}', timestamp=1700000000)
>>> header.startswith("t=1700000000,v1=")
True
>>> verify("whsec_test", header, b'{"a":1}', now=1700000100)
True
>>> verify("whsec_test", header, b'{"a":2}', now=1700000100)
False
>>> verify("whsec_test", header, b'{"a":1}', now=1700009999)
False
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

__all__ = ["SIGNATURE_HEADER", "TOLERANCE", "sign", "signature_header", "verify"]

#: The HTTP header carrying the signature.
SIGNATURE_HEADER: Final = "Entegrator-Signature"
#: How far (seconds) a receiver's clock may be from the signing time by default.
TOLERANCE: Final = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>." + body`` under ``secret``."""
    message = str(int(timestamp)).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int) -> str:
    """The value of :data:`SIGNATURE_HEADER` for ``body`` signed at ``timestamp``."""
    return f"t={int(timestamp)},v1={sign(secret, timestamp, body)}"


def verify(secret: str, header: str, body: bytes, *, now: float,
           tolerance: int = TOLERANCE) -> bool:
    """Whether ``header`` is a valid signature of ``body`` made within ``tolerance`` of ``now``."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            candidates.append(value)
    if timestamp is None or not candidates or abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, c) for c in candidates)
