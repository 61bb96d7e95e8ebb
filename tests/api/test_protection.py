"""api.protection: token buckets, brute-force windows, request ids, the body limit and the
audit row of every REST call (written in batches, on SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from entegrator.api.app import api_app
from entegrator.api.protection import Protection, Throttled, TokenBuckets
from entegrator.api.settings import ApiSettings, RateLimit
from entegrator.core.wiring import Integrator
from entegrator.store.audit import audit_log
from entegrator.store.tenancy import all_tenants
from tests.api.conftest import Tenant, quiet_settings


class Ticks:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_bucket_grants_the_burst_then_refuses_until_refilled() -> None:
    ticks = Ticks()
    buckets = TokenBuckets(RateLimit(rate=2.0, burst=3), now=ticks)
    assert [buckets.take("k") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("k") == pytest.approx(0.5)
    ticks.now += 0.5
    assert buckets.take("k") == 0.0


def test_buckets_are_per_key() -> None:
    buckets = TokenBuckets(RateLimit(rate=1.0, burst=1), now=Ticks())
    assert buckets.take("a") == 0.0
    assert buckets.take("b") == 0.0
    assert buckets.take("a") > 0


def test_bucket_memory_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from entegrator.api import protection

    monkeypatch.setattr(protection, "_MAX_KEYS", 10)
    ticks = Ticks()
    buckets = TokenBuckets(RateLimit(rate=1.0, burst=1), now=ticks)
    for i in range(50):
        ticks.now += 2.0
        buckets.take(f"k{i}")
    assert len(buckets._buckets) <= 11


def test_login_lockout_after_failures_and_release_after_the_lockout() -> None:
    ticks = Ticks()
    guard = Protection(ApiSettings(login_failures=3, login_window=60, login_lockout=30),
                       now=ticks)
    for _ in range(3):
        guard.admit_login("ali", "10.0.0.1")
        guard.login_failed("ali", "10.0.0.1")
    with pytest.raises(Throttled) as refused:
        guard.admit_login("ali", "10.0.0.2")  # the user name is locked
    assert refused.value.retry_after == pytest.approx(30)
    with pytest.raises(Throttled):
        guard.admit_login("veli", "10.0.0.1")  # and the address
    guard.admit_login("veli", "10.0.0.3")
    ticks.now += 31
    guard.admit_login("ali", "10.0.0.1")


def test_failures_outside_the_window_do_not_add_up() -> None:
    ticks = Ticks()
    guard = Protection(ApiSettings(login_failures=2, login_window=10, login_lockout=30),
                       now=ticks)
    guard.login_failed(None, "10.0.0.1")
    ticks.now += 11
    guard.login_failed(None, "10.0.0.1")
    guard.admit_login(None, "10.0.0.1")


def test_request_id_is_echoed_or_made(client: TestClient) -> None:
    given = client.get("/openapi.json", headers={"X-Request-ID": "erp-istek-1"})
    assert given.headers["x-request-id"] == "erp-istek-1"
    made = client.get("/openapi.json", headers={"X-Request-ID": "<script>"})
    assert made.headers["x-request-id"] != "<script>"
    assert len(made.headers["x-request-id"]) == 32


def _small(integrator: Integrator) -> FastAPI:
    return api_app(integrator, quiet_settings(max_body_bytes=2048))


def test_body_over_the_limit_by_length_is_413(integrator: Integrator, supplier: Tenant) -> None:
    with TestClient(_small(integrator)) as client:
        response = client.post("/api/v1/invoices", headers=supplier.headers,
                               content=b"{" + b" " * 4096 + b"}")
    assert response.status_code == 413
    assert response.json()["code"] == "too-large"
    assert response.json()["izibiz_code"] == 10010


def test_streamed_body_over_the_limit_is_413(integrator: Integrator, supplier: Tenant) -> None:
    def chunks():  # no Content-Length: chunked transfer
        for _ in range(10):
            yield b" " * 1024

    with TestClient(_small(integrator)) as client:
        response = client.post("/api/v1/invoices", headers={
            **supplier.headers, "Content-Type": "application/json"}, content=chunks())
    assert response.status_code == 413


def _audit_rows(integrator: Integrator) -> list[object]:
    with integrator.db.transaction(read_only=True) as conn:
        return list(conn.execute(all_tenants(select(audit_log).where(
            audit_log.c.action == "api.call").order_by(audit_log.c.id))))


def test_every_rest_call_is_audited_with_who_where_and_outcome(
    app: FastAPI, client: TestClient, integrator: Integrator, supplier: Tenant
) -> None:
    client.get("/api/v1/me", headers={**supplier.headers, "X-Request-ID": "r-1"})
    client.get("/api/v1/invoices/987654", headers=supplier.headers)
    client.get("/api/v1/invoices", headers={"X-API-Key": "ek_0.yanlis"})
    client.get("/openapi.json")
    app.state.audit.flush()
    rows = _audit_rows(integrator)
    assert [(r.details["route"], r.details["status"]) for r in rows] == [
        ("/api/v1/me", 200), ("/api/v1/invoices/{ref}", 404), ("/api/v1/invoices", 401)]
    me = rows[0]
    assert (me.tenant_id, me.actor_id, me.request_id, me.ip, me.channel) == (
        supplier.id, supplier.key.split(".")[0], "r-1", "testclient", "api")
    assert rows[2].tenant_id is None


def test_audit_rows_wait_for_the_batch(integrator: Integrator, supplier: Tenant) -> None:
    app = api_app(integrator, quiet_settings(audit_flush_interval=3600.0))
    with TestClient(app) as client:
        client.get("/api/v1/me", headers=supplier.headers)
        assert _audit_rows(integrator) == []
        assert app.state.audit.flush() == 1
    assert len(_audit_rows(integrator)) == 1
