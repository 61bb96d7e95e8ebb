"""Tenant isolation for EVERY REST route: a credential of one taxpayer can never read or act
on another taxpayer's documents, archive entries, webhooks or deliveries.

:data:`CASES` holds one case per route of the app; :func:`test_every_route_has_a_case` fails
when a route is added without one. Each object route is called by the *other* taxpayer
(admin role, so permissions cannot hide the answer) and must answer 404 — exactly like a
missing object — and then by the owner, which must not get 404 (so the 404 really comes from
the tenancy, not from a wrong path). Collection routes must not show the owner's objects;
sending in the owner's name is refused.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from entegrator.core import documents, webhooks
from entegrator.core.permissions import Role
from entegrator.core.wiring import Integrator
from tests.api.conftest import Tenant, api_key, example
from tests.api.world import archive_entry, receive_invoice, submit, swapped_example
from tests.core.support import CorePki
from tests.webhook_receiver import serve_receiver


@dataclass(frozen=True)
class World:
    """The owner's objects, and both parties' admin headers."""

    in_doc: int
    in_ettn: str
    out_doc: int
    draft: int
    entry: int
    webhook: int
    delivery: int
    owner: dict[str, str]
    other: dict[str, str]
    owner_vkn: str


Call = Callable[[TestClient, World, dict[str, str]], Any]


def object_case(method: str, url: Callable[[World], str], body: Any = None) -> Call:
    """Request ``url`` as ``headers``; the response."""
    def run(client: TestClient, world: World, headers: dict[str, str]) -> Any:
        return client.request(method, url(world), headers=headers, json=body)

    return run


#: Routes acting on one object of the owner: 404 for the other taxpayer.
OBJECT_CASES: dict[tuple[str, str], Call] = {
    ("GET", "/api/v1/invoices/{ref}"): object_case("GET", lambda w: f"/api/v1/invoices/{w.in_doc}"),
    ("GET", "/api/v1/invoices/{ref}/history"):
        object_case("GET", lambda w: f"/api/v1/invoices/{w.out_doc}/history"),
    ("POST", "/api/v1/invoices/{ref}/response"):
        object_case("POST", lambda w: f"/api/v1/invoices/{w.in_doc}/response",
                    {"code": "KABUL"}),
    ("POST", "/api/v1/invoices/{ref}/return"):
        object_case("POST", lambda w: f"/api/v1/invoices/{w.in_doc}/return", {}),
    ("PUT", "/api/v1/invoices/{ref}/read"):
        object_case("PUT", lambda w: f"/api/v1/invoices/{w.in_doc}/read", {"read": True}),
    ("POST", "/api/v1/invoices/{ref}/resend"):
        object_case("POST", lambda w: f"/api/v1/invoices/{w.out_doc}/resend"),
    ("POST", "/api/v1/invoices/mark"):
        object_case("POST", lambda w: "/api/v1/invoices/mark",
                    None),  # body set per world below
    ("PUT", "/api/v1/drafts/{ref}"):
        object_case("PUT", lambda w: f"/api/v1/drafts/{w.draft}", None),
    ("POST", "/api/v1/drafts/{ref}/send"):
        object_case("POST", lambda w: f"/api/v1/drafts/{w.draft}/send"),
    ("DELETE", "/api/v1/drafts/{ref}"):
        object_case("DELETE", lambda w: f"/api/v1/drafts/{w.draft}"),
    ("GET", "/api/v1/archive/{entry_id}"):
        object_case("GET", lambda w: f"/api/v1/archive/{w.entry}"),
    ("GET", "/api/v1/webhooks/{webhook_id}"):
        object_case("GET", lambda w: f"/api/v1/webhooks/{w.webhook}"),
    ("PATCH", "/api/v1/webhooks/{webhook_id}"):
        object_case("PATCH", lambda w: f"/api/v1/webhooks/{w.webhook}", {"active": True}),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"):
        object_case("DELETE", lambda w: f"/api/v1/webhooks/{w.webhook}"),
    ("POST", "/api/v1/webhooks/{webhook_id}/secret"):
        object_case("POST", lambda w: f"/api/v1/webhooks/{w.webhook}/secret"),
    ("POST", "/api/v1/webhooks/{webhook_id}/ping"):
        object_case("POST", lambda w: f"/api/v1/webhooks/{w.webhook}/ping"),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"):
        object_case("GET", lambda w: f"/api/v1/webhooks/{w.webhook}/deliveries"),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}"):
        object_case("GET", lambda w: f"/api/v1/webhooks/{w.webhook}/deliveries/{w.delivery}"),
    ("POST", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"):
        object_case("POST", lambda w: f"/api/v1/webhooks/{w.webhook}/deliveries/{w.delivery}"
                                      "/redeliver"),
}


def _mark(client: TestClient, world: World, headers: dict[str, str]) -> Any:
    return client.post("/api/v1/invoices/mark", headers=headers,
                       json={"ids": [world.in_doc, world.out_doc], "read": True})


def _update_draft(client: TestClient, world: World, headers: dict[str, str]) -> Any:
    return client.put(f"/api/v1/drafts/{world.draft}", headers=headers,
                      json={"invoice": swapped_example()})


def _by_ettn(client: TestClient, world: World, headers: dict[str, str]) -> Any:
    return client.get(f"/api/v1/invoices/{world.in_ettn}", headers=headers)


OBJECT_CASES[("POST", "/api/v1/invoices/mark")] = _mark
OBJECT_CASES[("PUT", "/api/v1/drafts/{ref}")] = _update_draft


# --- routes over collections: the other taxpayer sees only its own -------------------------


def _ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def list_invoices(client: TestClient, w: World) -> None:
    assert not _ids(client.get("/api/v1/invoices", headers=w.other)) & {w.in_doc, w.out_doc,
                                                                        w.draft}
    assert {w.in_doc, w.out_doc} <= _ids(client.get("/api/v1/invoices", headers=w.owner))


def send_in_owners_name(client: TestClient, w: World) -> None:
    response = client.post("/api/v1/invoices", headers=w.other,
                           json={"invoice": swapped_example()})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "profile-rule"


def batch_in_owners_name(client: TestClient, w: World) -> None:
    response = client.post("/api/v1/invoices/batch", headers=w.other,
                           json={"invoices": [{"invoice": swapped_example()}]})
    assert response.status_code == 422, response.text


def draft_in_owners_name(client: TestClient, w: World) -> None:
    response = client.post("/api/v1/drafts", headers=w.other,
                           json={"invoice": swapped_example()})
    assert response.status_code == 422, response.text


def search_archive(client: TestClient, w: World) -> None:
    assert w.entry not in _ids(client.get("/api/v1/archive", headers=w.other))
    assert w.entry in _ids(client.get("/api/v1/archive", headers=w.owner))


def export_archive(client: TestClient, w: World) -> None:
    def names(headers: dict[str, str]) -> list[str]:
        response = client.post("/api/v1/archive/export", headers=headers, json={})
        assert response.status_code == 200, response.text
        return zipfile.ZipFile(io.BytesIO(response.content)).namelist()

    owners = [n for n in names(w.owner) if n.endswith(".xml")]
    assert owners
    assert not set(owners) & set(names(w.other))


def list_webhooks(client: TestClient, w: World) -> None:
    listed = client.get("/api/v1/webhooks", headers=w.other).json()
    assert w.webhook not in {h["id"] for h in listed}


def create_webhook(client: TestClient, w: World) -> None:
    made = client.post("/api/v1/webhooks", headers=w.other, json={
        "url": "http://127.0.0.1:9/baska", "events": ["invoice.received"]})
    assert made.status_code == 201, made.text
    assert made.json()["id"] not in {h["id"] for h in client.get(
        "/api/v1/webhooks", headers=w.owner).json()}


def who_am_i(client: TestClient, w: World) -> None:
    assert client.get("/api/v1/me", headers=w.other).json()["vkn_tckn"] != w.owner_vkn


def token_for_other(client: TestClient, w: World) -> None:
    key_id, secret = w.other["X-API-Key"].split(".", 1)
    token = client.post("/api/v1/oauth/token", data={
        "grant_type": "client_credentials", "client_id": key_id, "client_secret": secret})
    assert token.status_code == 200, token.text
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert client.get(f"/api/v1/invoices/{w.in_doc}", headers=bearer).status_code == 404
    assert client.get("/api/v1/me", headers=bearer).json()["vkn_tckn"] != w.owner_vkn


def public_directory(client: TestClient, w: World) -> None:
    """GİB's user list is public data, the same for every caller: nothing to isolate."""
    one = client.get(f"/api/v1/gib-users/{w.owner_vkn}", headers=w.other)
    two = client.get(f"/api/v1/gib-users/{w.owner_vkn}", headers=w.owner)
    assert one.json() == two.json()


COLLECTION_CASES: dict[tuple[str, str], Callable[[TestClient, World], None]] = {
    ("GET", "/api/v1/invoices"): list_invoices,
    ("POST", "/api/v1/invoices"): send_in_owners_name,
    ("POST", "/api/v1/invoices/batch"): batch_in_owners_name,
    ("POST", "/api/v1/drafts"): draft_in_owners_name,
    ("GET", "/api/v1/archive"): search_archive,
    ("POST", "/api/v1/archive/export"): export_archive,
    ("GET", "/api/v1/webhooks"): list_webhooks,
    ("POST", "/api/v1/webhooks"): create_webhook,
    ("GET", "/api/v1/me"): who_am_i,
    ("POST", "/api/v1/oauth/token"): token_for_other,
    ("GET", "/api/v1/gib-users"): public_directory,
    ("GET", "/api/v1/gib-users/{identifier}"): public_directory,
}


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every operation the app serves under /api/ (its OpenAPI paths: all routes are in it)."""
    return {(method.upper(), path) for path, operations in app.openapi()["paths"].items()
            for method in operations if path.startswith("/api/")}


def test_every_route_has_a_case(app: FastAPI) -> None:
    cases = set(OBJECT_CASES) | set(COLLECTION_CASES)
    assert _routes(app) == cases


def _world(integrator: Integrator, pki: CorePki, owner: Tenant, other: Tenant) -> World:
    in_doc, in_ettn = receive_invoice(integrator, pki, owner)
    out_doc = submit(integrator, owner.seeded.caller, swapped_example())
    draft = submit(integrator, owner.seeded.caller, swapped_example(), draft=True)
    with serve_receiver() as receiver:
        made = webhooks.create_webhook(integrator, owner.seeded.caller, receiver.url,
                                       ["invoice.received"])
    delivery = webhooks.ping(integrator, owner.seeded.caller, made.webhook.id)
    return World(
        in_doc=in_doc, in_ettn=in_ettn, out_doc=out_doc, draft=draft,
        entry=archive_entry(integrator, owner), webhook=made.webhook.id,
        delivery=delivery.id,
        owner={"X-API-Key": api_key(integrator, owner.seeded, Role.ADMIN)},
        other={"X-API-Key": api_key(integrator, other.seeded, Role.ADMIN)},
        owner_vkn=owner.seeded.vkn,
    )


def test_no_route_reaches_another_taxpayers_objects(
    client: TestClient, integrator: Integrator, api_pki: CorePki, supplier: Tenant,
    customer: Tenant,
) -> None:
    world = _world(integrator, api_pki, customer, supplier)
    before = documents.counts(integrator, customer.seeded.caller).total
    failures: list[str] = []
    for (method, path), run in sorted(OBJECT_CASES.items()):
        got = run(client, world, world.other)
        if got.status_code != 404 or got.json().get("code") != "not-found":
            failures.append(f"{method} {path}: other taxpayer got {got.status_code} {got.text}")
    if (got := _by_ettn(client, world, world.other)).status_code != 404:
        failures.append(f"GET by ETTN: other taxpayer got {got.status_code}")
    assert documents.counts(integrator, customer.seeded.caller).total == before
    deletes_last = sorted(OBJECT_CASES.items(), key=lambda item: (item[0][0] == "DELETE",
                                                                   item[0]))
    for (method, path), run in deletes_last:
        got = run(client, world, world.owner)
        if got.status_code == 404:
            failures.append(f"{method} {path}: the owner got 404 too: {got.text}")
    for (method, path), check in sorted(COLLECTION_CASES.items()):
        try:
            check(client, world)
        except AssertionError as exc:
            failures.append(f"{method} {path}: {exc}")
    assert not failures, "\n".join(failures)


def test_send_example_is_the_suppliers_own() -> None:
    """The collection cases rely on examples/01 being issued by the supplier taxpayer."""
    assert example()["supplier"]["vkn"] != swapped_example()["supplier"]["vkn"]
