"""Who may call: API keys (two header forms), OAuth2 client-credentials tokens, roles, and
the refusals — 401 with problem details, 403 for a role, 429 for brute force and rates."""

from __future__ import annotations

import base64
import time

import pytest
from fastapi.testclient import TestClient

from entegrator.api.app import api_app
from entegrator.api.rest.auth import AccessTokens
from entegrator.api.settings import RateLimit
from entegrator.core import credentials
from entegrator.core.auth import AuthenticationFailed, RequestOrigin
from entegrator.core.permissions import Role
from entegrator.core.wiring import Integrator
from tests.api.conftest import TOKEN_KEY, Tenant, api_key, example, quiet_settings

ORIGIN = RequestOrigin("api", "127.0.0.1")


def _token(client: TestClient, key: str, *, basic: bool = False) -> dict[str, object]:
    key_id, secret = key.split(".", 1)
    if basic:
        auth = base64.b64encode(f"{key_id}:{secret}".encode()).decode()
        response = client.post("/api/v1/oauth/token", data={"grant_type": "client_credentials"},
                               headers={"Authorization": f"Basic {auth}"})
    else:
        response = client.post("/api/v1/oauth/token", data={
            "grant_type": "client_credentials", "client_id": key_id, "client_secret": secret})
    assert response.status_code == 200, response.text
    return response.json()


def test_api_key_works_in_both_header_forms(client: TestClient, supplier: Tenant) -> None:
    one = client.get("/api/v1/me", headers={"X-API-Key": supplier.key})
    two = client.get("/api/v1/me", headers={"Authorization": f"ApiKey {supplier.key}"})
    assert one.json() == two.json()
    assert one.json()["vkn_tckn"] == supplier.seeded.vkn
    assert one.json()["role"] == "api"


@pytest.mark.parametrize("basic", [False, True])
def test_client_credentials_token_authenticates(client: TestClient, supplier: Tenant,
                                                basic: bool) -> None:
    token = _token(client, supplier.key, basic=basic)
    assert (token["token_type"], token["scope"]) == ("Bearer", "api")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert me.json()["vkn_tckn"] == supplier.seeded.vkn


def test_wrong_client_secret_gets_invalid_client(client: TestClient, supplier: Tenant) -> None:
    key_id = supplier.key.split(".")[0]
    response = client.post("/api/v1/oauth/token", data={
        "grant_type": "client_credentials", "client_id": key_id, "client_secret": "yanlis"})
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["cache-control"] == "no-store"


def test_other_grant_types_are_refused(client: TestClient) -> None:
    response = client.post("/api/v1/oauth/token", data={"grant_type": "password"})
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_missing_credential_is_401_problem(client: TestClient) -> None:
    response = client.get("/api/v1/invoices")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "unauthorized"
    assert "Bearer" in response.headers["www-authenticate"]


@pytest.mark.parametrize("header", [
    {"X-API-Key": "ek_0000.yanlis"}, {"X-API-Key": "bozuk"},
    {"Authorization": "Bearer a.b.c"}, {"Authorization": "Bearer bozuk"},
])
def test_bad_credentials_are_401(client: TestClient, supplier: Tenant,
                                 header: dict[str, str]) -> None:
    response = client.get("/api/v1/invoices", headers=header)
    assert response.status_code == 401


def test_revoked_key_stops_working(client: TestClient, integrator: Integrator,
                                   supplier: Tenant) -> None:
    with integrator.db.transaction() as conn:
        credentials.revoke_credential(conn, supplier.seeded.caller, supplier.key.split(".")[0],
                                      clock=integrator.clock)
    fresh = TestClient(api_app(integrator, quiet_settings(auth_cache_seconds=0.0)))
    assert fresh.get("/api/v1/me", headers=supplier.headers).status_code == 401


def test_expired_token_is_refused() -> None:
    now = [1_000_000.0]
    tokens = AccessTokens(TOKEN_KEY.reveal().encode(), 60, now=lambda: now[0])
    from entegrator.core.context import Caller
    from entegrator.store.audit import Actor, ActorKind

    issued = tokens.issue(Caller(1, Actor(ActorKind.API_CLIENT, "ek_x", "api"), Role.API))
    assert tokens.verify(issued.token, ORIGIN).tenant_id == 1
    now[0] += 61
    with pytest.raises(AuthenticationFailed):
        tokens.verify(issued.token, ORIGIN)


def test_token_signed_with_another_key_is_refused() -> None:
    from entegrator.core.context import Caller
    from entegrator.store.audit import Actor, ActorKind

    caller = Caller(1, Actor(ActorKind.API_CLIENT, "ek_x", "api"), Role.ADMIN)
    forged = AccessTokens(b"x" * 32, 60).issue(caller).token
    with pytest.raises(AuthenticationFailed):
        AccessTokens(TOKEN_KEY.reveal().encode(), 60).verify(forged, ORIGIN)


def test_viewer_may_read_but_not_send(client: TestClient, integrator: Integrator,
                                      supplier: Tenant, customer: Tenant) -> None:
    viewer = {"X-API-Key": api_key(integrator, supplier.seeded, Role.VIEWER)}
    assert client.get("/api/v1/invoices", headers=viewer).status_code == 200
    response = client.post("/api/v1/invoices", headers=viewer, json={"invoice": example()})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_api_role_may_not_manage_webhooks(client: TestClient, supplier: Tenant) -> None:
    response = client.post("/api/v1/webhooks", headers=supplier.headers, json={
        "url": "https://erp.example.com/hook", "events": ["invoice.received"]})
    assert response.status_code == 403


def test_repeated_failures_lock_the_address_out(integrator: Integrator,
                                                supplier: Tenant) -> None:
    app = api_app(integrator, quiet_settings(login_failures=3, login_lockout=60.0))
    with TestClient(app) as client:
        for _ in range(3):
            assert client.get("/api/v1/me", headers={"X-API-Key": "ek_0.yanlis"}
                              ).status_code == 401
        locked = client.get("/api/v1/me", headers=supplier.headers)
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) >= 1
    assert locked.json()["code"] == "rate-limited"


def test_token_endpoint_failures_count_too(integrator: Integrator, supplier: Tenant) -> None:
    app = api_app(integrator, quiet_settings(login_failures=2, login_lockout=60.0))
    key_id, secret = supplier.key.split(".", 1)
    with TestClient(app) as client:
        for _ in range(2):
            client.post("/api/v1/oauth/token", data={
                "grant_type": "client_credentials", "client_id": key_id,
                "client_secret": "yanlis"})
        response = client.post("/api/v1/oauth/token", data={
            "grant_type": "client_credentials", "client_id": key_id, "client_secret": secret})
    assert response.status_code == 429


def test_each_credential_has_its_own_rate(integrator: Integrator, supplier: Tenant,
                                          customer: Tenant) -> None:
    app = api_app(integrator, quiet_settings(per_credential=RateLimit(rate=0.5, burst=3)))
    with TestClient(app) as client:
        codes = [client.get("/api/v1/me", headers=supplier.headers).status_code
                 for _ in range(4)]
        other = client.get("/api/v1/me", headers=customer.headers)
    assert codes == [200, 200, 200, 429]
    assert other.status_code == 200


def test_rate_refills_over_time(integrator: Integrator, supplier: Tenant) -> None:
    app = api_app(integrator, quiet_settings(per_credential=RateLimit(rate=20.0, burst=1)))
    with TestClient(app) as client:
        assert client.get("/api/v1/me", headers=supplier.headers).status_code == 200
        assert client.get("/api/v1/me", headers=supplier.headers).status_code == 429
        time.sleep(0.1)
        assert client.get("/api/v1/me", headers=supplier.headers).status_code == 200
