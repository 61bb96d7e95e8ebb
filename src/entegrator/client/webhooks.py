"""Checking that a webhook call really comes from entegrator (for the receiving side).

The ``Entegrator-Signature`` header is ``t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
"<t>." + body)>``; accept a call only when it verifies and ``t`` is within ``tolerance``
seconds of now (replays of old calls are refused). Drop repeated ``Entegrator-Delivery`` ids:
delivery is at-least-once. Pure standard library, so a receiver needs nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

__all__ = ["verify_webhook"]


def verify_webhook(secret: str, headers: Mapping[str, str], body: bytes, *,
                   now: float | None = None, tolerance: int = 300) -> bool:
    """Whether ``body`` with ``headers`` was signed with ``secret`` within ``tolerance``."""
    header = next((v for k, v in headers.items() if k.lower() == "entegrator-signature"), "")
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    stamps = fields.get("t", [])
    if len(stamps) != 1 or not stamps[0].isdigit():
        return False
    moment = int(stamps[0])
    if abs((time.time() if now is None else now) - moment) > tolerance:
        return False
    expected = hmac.new(secret.encode("utf-8"), stamps[0].encode("ascii") + b"." + body,
                        hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, given) for given in fields.get("v1", []))
