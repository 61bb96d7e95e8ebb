"""/api/v1/drafts: save, change, send and cancel drafts."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Tenant, example


def _draft(client: TestClient, tenant: Tenant) -> dict[str, object]:
    response = client.post("/api/v1/drafts", headers=tenant.headers,
                           json={"invoice": example()})
    assert response.status_code == 201, response.text
    return response.json()


def test_draft_is_saved_without_a_number(client: TestClient, supplier: Tenant,
                                         customer: Tenant) -> None:
    draft = _draft(client, supplier)
    assert (draft["state"], draft["number"]) == ("draft", None)
    listed = client.get("/api/v1/invoices?state=draft", headers=supplier.headers).json()
    assert [d["id"] for d in listed["items"]] == [draft["id"]]


def test_draft_content_is_replaced_and_keeps_its_ettn(client: TestClient, supplier: Tenant,
                                                      customer: Tenant) -> None:
    draft = _draft(client, supplier)
    spec = example(notes=["güncellendi"])
    response = client.put(f"/api/v1/drafts/{draft['id']}", headers=supplier.headers,
                          json={"invoice": spec})
    assert response.status_code == 200, response.text
    assert response.json()["ettn"] == draft["ettn"]
    xml = client.get(f"/api/v1/invoices/{draft['id']}?format=xml", headers=supplier.headers)
    assert "güncellendi" in xml.content.decode("utf-8")


def test_draft_is_sent(client: TestClient, supplier: Tenant, customer: Tenant) -> None:
    draft = _draft(client, supplier)
    response = client.post(f"/api/v1/drafts/{draft['id']}/send", headers=supplier.headers)
    assert response.status_code == 202, response.text
    assert response.json()["state"] == "queued"
    again = client.post(f"/api/v1/drafts/{draft['id']}/send", headers=supplier.headers)
    assert again.status_code == 409


def test_cancelled_draft_cannot_be_sent(client: TestClient, supplier: Tenant,
                                        customer: Tenant) -> None:
    draft = _draft(client, supplier)
    cancelled = client.delete(f"/api/v1/drafts/{draft['id']}", headers=supplier.headers)
    assert cancelled.json()["state"] == "cancelled"
    response = client.post(f"/api/v1/drafts/{draft['id']}/send", headers=supplier.headers)
    assert response.status_code == 409


def test_a_sent_invoice_is_not_a_draft(client: TestClient, supplier: Tenant,
                                       customer: Tenant) -> None:
    sent = client.post("/api/v1/invoices", headers=supplier.headers,
                       json={"invoice": example()}).json()
    response = client.delete(f"/api/v1/drafts/{sent['id']}", headers=supplier.headers)
    assert response.status_code == 409
