"""entegrator.client.verify_webhook: the receiving side's signature and age check."""

from __future__ import annotations

import hashlib
import hmac
import time

from entegrator.client import verify_webhook


def test_verify_webhook_checks_secret_body_and_age() -> None:
    body = b'{"type":"webhook.ping"}'
    stamp = int(time.time())
    mac = hmac.new(b"whsec_x", f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    headers = {"Entegrator-Signature": f"t={stamp},v1={mac}"}
    assert verify_webhook("whsec_x", headers, body)
    assert not verify_webhook("whsec_y", headers, body)
    assert not verify_webhook("whsec_x", headers, body + b"!")
    assert not verify_webhook("whsec_x", headers, body, now=stamp + 301)
    assert not verify_webhook("whsec_x", {}, body)
