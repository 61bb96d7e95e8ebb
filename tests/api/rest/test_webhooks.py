"""/api/v1/webhooks: a taxpayer subscribes, sends an invoice through the REST API, and the
status change reaches its real local receiver, signed; the delivery log shows it."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from entegrator.client import verify_webhook
from entegrator.core import webhooks
from entegrator.core.permissions import Role
from entegrator.core.wiring import Integrator
from entegrator.store.jobs import HandlerRegistry, Worker, WorkerConfig
from tests.api.conftest import Tenant, api_key, example
from tests.webhook_receiver import serve_receiver


def _admin(integrator: Integrator, tenant: Tenant) -> dict[str, str]:
    return {"X-API-Key": api_key(integrator, tenant.seeded, Role.ADMIN)}


def _deliver(integrator: Integrator) -> int:
    registry = HandlerRegistry()
    webhooks.register(registry, integrator)
    return Worker(integrator.db, registry, WorkerConfig(poll_interval=0.0),
                  clock=integrator.clock).run_until_idle()


def test_sent_invoice_status_reaches_the_subscribed_url(
    client: TestClient, integrator: Integrator, supplier: Tenant, customer: Tenant
) -> None:
    admin = _admin(integrator, supplier)
    with serve_receiver() as receiver:
        made = client.post("/api/v1/webhooks", headers=admin, json={
            "url": receiver.url, "events": ["invoice.status_changed"],
            "description": "ERP"})
        assert made.status_code == 201, made.text
        secret = made.json()["secret"]
        sent = client.post("/api/v1/invoices", headers=supplier.headers,
                           json={"invoice": example()}).json()
        assert _deliver(integrator) == 1
        [got] = receiver.received
    assert verify_webhook(secret, got.headers, got.body, now=time.time())
    log = client.get(f"/api/v1/webhooks/{made.json()['id']}/deliveries",
                     headers=admin).json()
    [delivery] = log["items"]
    assert delivery["state"] == "succeeded"
    assert delivery["payload"]["data"]["document"]["id"] == sent["id"]
    assert delivery["payload"]["data"]["new_state"] == "queued"
    assert delivery["attempt_log"][0]["status"] == 200


def test_secret_is_shown_only_on_creation_and_rotation(
    client: TestClient, integrator: Integrator, supplier: Tenant
) -> None:
    admin = _admin(integrator, supplier)
    made = client.post("/api/v1/webhooks", headers=admin, json={
        "url": "http://127.0.0.1:9/hook", "events": ["invoice.received"]}).json()
    listed = client.get("/api/v1/webhooks", headers=admin).json()
    assert "secret" not in listed[0]
    rotated = client.post(f"/api/v1/webhooks/{made['id']}/secret", headers=admin).json()
    assert rotated["secret"] != made["secret"]


def test_update_and_delete(client: TestClient, integrator: Integrator,
                           supplier: Tenant) -> None:
    admin = _admin(integrator, supplier)
    made = client.post("/api/v1/webhooks", headers=admin, json={
        "url": "http://127.0.0.1:9/hook", "events": ["invoice.received"]}).json()
    changed = client.patch(f"/api/v1/webhooks/{made['id']}", headers=admin, json={
        "events": ["invoice.response_received", "invoice.response_deadline_near"],
        "active": False, "description": None}).json()
    assert changed["events"] == ["invoice.response_received", "invoice.response_deadline_near"]
    assert changed["active"] is False
    assert client.delete(f"/api/v1/webhooks/{made['id']}", headers=admin).status_code == 204
    assert client.get(f"/api/v1/webhooks/{made['id']}", headers=admin).status_code == 404


def test_ping_and_redeliver_through_the_api(client: TestClient, integrator: Integrator,
                                            supplier: Tenant) -> None:
    admin = _admin(integrator, supplier)
    with serve_receiver([500]) as receiver:
        made = client.post("/api/v1/webhooks", headers=admin, json={
            "url": receiver.url, "events": ["invoice.received"]}).json()
        ping = client.post(f"/api/v1/webhooks/{made['id']}/ping", headers=admin)
        assert ping.status_code == 202
        _deliver(integrator)
        url = f"/api/v1/webhooks/{made['id']}/deliveries/{ping.json()['id']}"
        assert client.get(url, headers=admin).json()["last_status_code"] == 500
        early = client.post(f"{url}/redeliver", headers=admin)
        assert early.status_code == 409  # still pending: its retry is scheduled
    assert early.json()["code"] == "invalid-state"


def test_unsafe_url_is_refused_with_a_problem(client: TestClient, integrator: Integrator,
                                              supplier: Tenant) -> None:
    from dataclasses import replace

    from entegrator.api.app import api_app
    from tests.api.conftest import quiet_settings

    integrator.config = replace(integrator.config, webhooks=webhooks.WebhookSettings())
    strict = TestClient(api_app(integrator, quiet_settings()))
    response = strict.post("/api/v1/webhooks", headers=_admin(integrator, supplier), json={
        "url": "http://169.254.169.254/latest", "events": ["invoice.received"]})
    assert response.status_code == 422
    assert response.json()["code"] == "webhook-destination"
