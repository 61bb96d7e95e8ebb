"""/api/v1/invoices: sending (JSON, XML, batch, idempotency), listing with filters and cursors,
reading in four formats, history, KABUL/RED, returns, read flags, resend."""

from __future__ import annotations

import base64
import uuid

from fastapi.testclient import TestClient

from entegrator.core.wiring import Integrator
from entegrator.ubl import build_invoice, load_invoice
from tests.api.conftest import Tenant, example
from tests.api.world import receive_invoice
from tests.core.support import CorePki


def _send(client: TestClient, tenant: Tenant, **body: object) -> dict[str, object]:
    response = client.post("/api/v1/invoices", headers=tenant.headers,
                           json={"invoice": example(), **body})
    assert response.status_code == 202, response.text
    return response.json()


def test_json_invoice_is_queued_and_located(client: TestClient, supplier: Tenant,
                                            customer: Tenant) -> None:
    response = client.post("/api/v1/invoices", headers=supplier.headers,
                           json={"invoice": example(), "client_reference": "ERP-1"})
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "queued"
    assert body["status"] == "LOAD - PROCESSING"
    assert response.headers["location"] == f"/api/v1/invoices/{body['id']}"
    got = client.get(response.headers["location"], headers=supplier.headers).json()
    assert got["client_reference"] == "ERP-1"
    assert got["counterpart_vkn_tckn"] == customer.seeded.vkn


def test_ubl_xml_body_is_accepted_with_options_in_the_query(
    client: TestClient, supplier: Tenant, customer: Tenant
) -> None:
    xml = build_invoice(load_invoice(example(number="ABC2025000000001",
                                             ettn=str(uuid.uuid4()))))
    response = client.post("/api/v1/invoices?client_reference=XML-7", headers={
        **supplier.headers, "Content-Type": "application/xml"}, content=xml)
    assert response.status_code == 202, response.text
    assert response.json()["number"] == "ABC2025000000001"


def test_base64_xml_field_is_accepted(client: TestClient, supplier: Tenant,
                                      customer: Tenant) -> None:
    xml = build_invoice(load_invoice(example(number="ABC2025000000002",
                                             ettn=str(uuid.uuid4()))))
    response = client.post("/api/v1/invoices", headers=supplier.headers,
                           json={"xml": base64.b64encode(xml).decode()})
    assert response.status_code == 202, response.text


def test_same_idempotency_key_and_content_replays_the_first_result(
    client: TestClient, supplier: Tenant, customer: Tenant
) -> None:
    headers = {**supplier.headers, "Idempotency-Key": "erp-42"}
    spec = {"invoice": example()}
    first = client.post("/api/v1/invoices", headers=headers, json=spec)
    second = client.post("/api/v1/invoices", headers=headers, json=spec)
    assert (first.status_code, second.status_code) == (202, 200)
    assert second.headers["idempotent-replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["replayed"] is True


def test_same_idempotency_key_with_other_content_is_a_conflict(
    client: TestClient, supplier: Tenant, customer: Tenant
) -> None:
    headers = {**supplier.headers, "Idempotency-Key": "erp-43"}
    client.post("/api/v1/invoices", headers=headers, json={"invoice": example()})
    other = client.post("/api/v1/invoices", headers=headers,
                        json={"invoice": example(notes=["başka"])})
    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["code"] == "duplicate-document"
    assert other.json()["izibiz_code"] == 10009


def test_batch_is_all_or_nothing(client: TestClient, supplier: Tenant,
                                 customer: Tenant) -> None:
    bad = example()
    bad["customer"]["vkn"] = "1111111111"  # not a GİB user
    response = client.post("/api/v1/invoices/batch", headers=supplier.headers,
                           json={"invoices": [{"invoice": example()}, {"invoice": bad}]})
    assert response.status_code in (422, 409), response.text
    listed = client.get("/api/v1/invoices", headers=supplier.headers).json()
    assert listed["items"] == []


def test_batch_of_two_is_queued_in_order(client: TestClient, supplier: Tenant,
                                         customer: Tenant) -> None:
    response = client.post("/api/v1/invoices/batch", headers=supplier.headers, json={
        "invoices": [{"invoice": example(), "client_reference": f"B-{i}"} for i in range(2)]})
    assert response.status_code == 202, response.text
    ids = [item["id"] for item in response.json()["items"]]
    refs = [client.get(f"/api/v1/invoices/{i}", headers=supplier.headers).json()
            ["client_reference"] for i in ids]
    assert refs == ["B-0", "B-1"]


def test_batch_over_100_is_refused(client: TestClient, supplier: Tenant) -> None:
    response = client.post("/api/v1/invoices/batch", headers=supplier.headers,
                           json={"invoices": [{"invoice": {}}] * 101})
    assert response.status_code == 422
    assert response.json()["code"] == "validation"


def test_invalid_invoice_is_422_with_every_problem(client: TestClient, supplier: Tenant) -> None:
    spec = example()
    spec["lines"][0]["quantity"] = "-1"
    spec["currency"] = "XXXX"
    response = client.post("/api/v1/invoices", headers=supplier.headers, json={"invoice": spec})
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invoice-invalid"
    assert len(problem["errors"]) >= 2


def test_schematron_failure_carries_gibs_code(client: TestClient, supplier: Tenant,
                                              customer: Tenant) -> None:
    xml = build_invoice(load_invoice(example(number="ABC2025000000003",
                                             ettn=str(uuid.uuid4()))))
    broken = xml.replace(b"<cbc:ProfileID>TEMELFATURA</cbc:ProfileID>",
                         b"<cbc:ProfileID>UYDURMA</cbc:ProfileID>")
    response = client.post("/api/v1/invoices", headers={
        **supplier.headers, "Content-Type": "application/xml"}, content=broken)
    assert response.status_code == 422, response.text
    assert response.json()["gib_code"] in (1150, 1160)
    assert response.json()["errors"]


def test_malformed_xml_is_400(client: TestClient, supplier: Tenant) -> None:
    response = client.post("/api/v1/invoices", headers={
        **supplier.headers, "Content-Type": "application/xml"}, content=b"<Invoice><")
    assert response.status_code == 400
    assert response.json()["title"]


def test_list_filters_and_pages_with_a_cursor(client: TestClient, supplier: Tenant,
                                              customer: Tenant) -> None:
    ids = [_send(client, supplier)["id"] for _ in range(3)]
    first = client.get("/api/v1/invoices?limit=2&direction=OUT&state=queued",
                       headers=supplier.headers).json()
    second = client.get(f"/api/v1/invoices?limit=2&direction=OUT&state=queued"
                        f"&cursor={first['next_cursor']}", headers=supplier.headers).json()
    assert [d["id"] for d in first["items"] + second["items"]] == sorted(ids, reverse=True)
    assert second["next_cursor"] is None
    none = client.get("/api/v1/invoices?direction=IN", headers=supplier.headers).json()
    assert none["items"] == []


def test_bad_cursor_is_400(client: TestClient, supplier: Tenant) -> None:
    response = client.get("/api/v1/invoices?cursor=bozuk", headers=supplier.headers)
    assert response.status_code == 400


def test_invoice_is_served_as_xml_and_html(client: TestClient, supplier: Tenant,
                                           customer: Tenant) -> None:
    sent = _send(client, supplier)
    xml = client.get(f"/api/v1/invoices/{sent['ettn']}",
                     headers={**supplier.headers, "Accept": "application/xml"})
    assert xml.headers["content-type"].startswith("application/xml")
    assert b"<Invoice" in xml.content or b":Invoice" in xml.content
    html = client.get(f"/api/v1/invoices/{sent['id']}?format=html", headers=supplier.headers)
    assert html.headers["content-type"].startswith("text/html")
    assert b"<html" in html.content.lower()


def test_invoice_is_served_as_pdf(client: TestClient, supplier: Tenant,
                                  customer: Tenant) -> None:
    sent = _send(client, supplier)
    pdf = client.get(f"/api/v1/invoices/{sent['id']}",
                     headers={**supplier.headers, "Accept": "application/pdf"})
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_accept_header_quality_picks_the_format(client: TestClient, supplier: Tenant,
                                                customer: Tenant) -> None:
    sent = _send(client, supplier)
    response = client.get(f"/api/v1/invoices/{sent['id']}", headers={
        **supplier.headers, "Accept": "text/html;q=0.2, application/xml;q=0.9"})
    assert response.headers["content-type"].startswith("application/xml")


def test_history_lists_the_states(client: TestClient, supplier: Tenant,
                                  customer: Tenant) -> None:
    sent = _send(client, supplier)
    history = client.get(f"/api/v1/invoices/{sent['id']}/history",
                         headers=supplier.headers).json()
    assert [h["state"] for h in history] == ["queued"]


def test_kabul_answers_a_received_commercial_invoice(
    client: TestClient, integrator: Integrator, api_pki: CorePki, supplier: Tenant,
    customer: Tenant,
) -> None:
    doc_id, ettn = receive_invoice(integrator, api_pki, customer)
    got = client.get(f"/api/v1/invoices/{ettn}", headers=customer.headers).json()
    assert got["status"] == "RECEIVE - WAIT_APPLICATION_RESPONSE"
    response = client.post(f"/api/v1/invoices/{doc_id}/response", headers=customer.headers,
                           json={"code": "KABUL"})
    assert response.status_code == 202, response.text
    assert response.json()["state"] == "accept_processing"
    again = client.post(f"/api/v1/invoices/{doc_id}/response", headers=customer.headers,
                        json={"code": "RED", "reason": "geç kaldı"})
    assert again.status_code == 409
    assert again.json()["code"] == "invalid-state"


def test_red_needs_a_reason(client: TestClient, integrator: Integrator, api_pki: CorePki,
                            supplier: Tenant, customer: Tenant) -> None:
    doc_id, _ = receive_invoice(integrator, api_pki, customer)
    response = client.post(f"/api/v1/invoices/{doc_id}/response", headers=customer.headers,
                           json={"code": "RED"})
    assert response.status_code == 400


def test_answering_an_outgoing_invoice_is_a_conflict(client: TestClient, supplier: Tenant,
                                                      customer: Tenant) -> None:
    sent = _send(client, supplier)
    response = client.post(f"/api/v1/invoices/{sent['id']}/response", headers=supplier.headers,
                           json={"code": "KABUL"})
    assert response.status_code in (409, 422)


def test_return_invoice_draft_is_created_from_a_received_invoice(
    client: TestClient, integrator: Integrator, api_pki: CorePki, supplier: Tenant,
    customer: Tenant,
) -> None:
    doc_id, _ = receive_invoice(integrator, api_pki, customer, profile="TEMELFATURA")
    response = client.post(f"/api/v1/invoices/{doc_id}/return", headers=customer.headers,
                           json={"note": "hasarlı ürün iadesi"})
    assert response.status_code == 201, response.text
    draft = response.json()
    assert draft["state"] == "draft"
    assert response.headers["location"] == f"/api/v1/drafts/{draft['id']}"
    got = client.get(f"/api/v1/invoices/{draft['id']}", headers=customer.headers).json()
    assert got["invoice_type"] == "IADE"


def test_read_flag_drives_the_unread_filter(
    client: TestClient, integrator: Integrator, api_pki: CorePki, supplier: Tenant,
    customer: Tenant,
) -> None:
    doc_id, _ = receive_invoice(integrator, api_pki, customer)
    unread = "/api/v1/invoices?direction=IN&unread=true"
    assert [d["id"] for d in client.get(unread, headers=customer.headers).json()["items"]] == [
        doc_id]
    marked = client.put(f"/api/v1/invoices/{doc_id}/read", headers=customer.headers,
                        json={"read": True})
    assert marked.json() == {"changed": 1}
    assert client.get(unread, headers=customer.headers).json()["items"] == []
    client.post("/api/v1/invoices/mark", headers=customer.headers,
                json={"ids": [doc_id], "read": False})
    assert len(client.get(unread, headers=customer.headers).json()["items"]) == 1


def test_resend_of_a_queued_invoice_is_a_conflict(client: TestClient, supplier: Tenant,
                                                  customer: Tenant) -> None:
    sent = _send(client, supplier)
    response = client.post(f"/api/v1/invoices/{sent['id']}/resend", headers=supplier.headers)
    assert response.status_code == 409
    assert response.json()["state"] == "queued"


def test_unknown_reference_is_404(client: TestClient, supplier: Tenant) -> None:
    for ref in ("999999", str(uuid.uuid4()), "ABC2025000000999", "yok", "9" * 30):
        response = client.get(f"/api/v1/invoices/{ref}", headers=supplier.headers)
        assert response.status_code == 404, ref
