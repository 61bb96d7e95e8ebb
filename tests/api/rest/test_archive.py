"""/api/v1/archive: search, read in several formats, export as zip."""

from __future__ import annotations

import csv
import io
import zipfile

from fastapi.testclient import TestClient

from entegrator.core.wiring import Integrator
from tests.api.conftest import Tenant
from tests.api.world import receive_invoice
from tests.core.support import SUPPLIER, CorePki


def test_received_invoice_is_found_read_and_exported(
    client: TestClient, integrator: Integrator, api_pki: CorePki, supplier: Tenant,
    customer: Tenant,
) -> None:
    _, ettn = receive_invoice(integrator, api_pki, customer)
    found = client.get(f"/api/v1/archive?kind=invoice&ettn={ettn}",
                       headers=customer.headers).json()
    [entry] = found["items"]
    assert entry["counterpart_vkn_tckn"] == SUPPLIER.vkn
    assert entry["direction"] == "IN"
    as_json = client.get(f"/api/v1/archive/{entry['id']}", headers=customer.headers).json()
    assert as_json["sha256"] == entry["sha256"]
    xml = client.get(f"/api/v1/archive/{entry['id']}?format=xml", headers=customer.headers)
    assert ettn.encode() in xml.content
    exported = client.post("/api/v1/archive/export", headers=customer.headers,
                           json={"direction": "IN"})
    assert exported.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    index = [n for n in archive.namelist() if n.endswith(".csv")]
    assert index
    rows = list(csv.reader(io.StringIO(archive.read(index[0]).decode("utf-8-sig"))))
    assert any(ettn in ",".join(row) for row in rows)


def test_archive_search_pages(client: TestClient, integrator: Integrator, api_pki: CorePki,
                              supplier: Tenant, customer: Tenant) -> None:
    for _ in range(3):
        receive_invoice(integrator, api_pki, customer, profile="TEMELFATURA")
    first = client.get("/api/v1/archive?kind=invoice&limit=2", headers=customer.headers).json()
    second = client.get(f"/api/v1/archive?kind=invoice&limit=2&cursor={first['next_cursor']}",
                        headers=customer.headers).json()
    ids = [e["id"] for e in first["items"] + second["items"]]
    assert len(set(ids)) == 3


def test_missing_entry_is_404(client: TestClient, customer: Tenant) -> None:
    assert client.get("/api/v1/archive/424242", headers=customer.headers).status_code == 404
