"""/api/v1/gib-users: CheckUser (404 = not an e-Fatura user) and title search."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Tenant
from tests.core.support import CUSTOMER


def test_registered_user_is_returned_with_aliases(client: TestClient, supplier: Tenant,
                                                  customer: Tenant) -> None:
    got = client.get(f"/api/v1/gib-users/{CUSTOMER.vkn}", headers=supplier.headers).json()
    assert got["title"] == CUSTOMER.title
    assert {(a["alias"], a["role"]) for a in got["aliases"]} == {
        (CUSTOMER.gb, "GB"), (CUSTOMER.pk, "PK")}


def test_unregistered_number_is_404(client: TestClient, supplier: Tenant) -> None:
    response = client.get("/api/v1/gib-users/1111111111", headers=supplier.headers)
    assert response.status_code == 404
    assert "e-Fatura" in response.json()["detail"]


def test_title_search_finds_the_user(client: TestClient, supplier: Tenant,
                                       customer: Tenant) -> None:
    found = client.get("/api/v1/gib-users?q=karadeniz", headers=supplier.headers).json()
    assert [u["identifier"] for u in found] == [CUSTOMER.vkn]
