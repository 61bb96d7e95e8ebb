"""api.app: the whole ``entegrator serve`` assembly on a real loopback port — GİB's EFatura
service, the health check, the REST API, OpenAPI and the SOAP faces in one app."""

from __future__ import annotations

from dataclasses import replace

import httpx
from starlette.routing import Mount

from entegrator.api.app import api_routes, api_settings, integrator_app
from entegrator.api.settings import ApiSettings
from entegrator.core.config import SecretStore
from entegrator.core.server import create_app
from entegrator.core.wiring import Integrator
from entegrator.types import Secret
from tests.api.conftest import ServeFn, Tenant, quiet_settings


def test_one_port_serves_gib_health_rest_and_openapi(
    integrator: Integrator, supplier: Tenant, serve: ServeFn
) -> None:
    base = serve(integrator_app(integrator, quiet_settings()))
    with httpx.Client(base_url=base) as http:
        assert http.get("/healthz").status_code == 200
        wsdl = http.get(f"{integrator.config.serve.gib.path}?wsdl")
        assert wsdl.status_code == 200 and b"definitions" in wsdl.content
        me = http.get("/api/v1/me", headers=supplier.headers)
        assert me.json()["vkn_tckn"] == supplier.seeded.vkn
        assert http.get("/openapi.json").json()["info"]["title"] == "entegrator API"
        assert http.get("/api/v1/yok", headers=supplier.headers).status_code == 404
        for soap in ("/EInvoiceWS?wsdl", "/EFaturaEDM/EFaturaEDM.svc?wsdl"):
            described = http.get(soap)
            assert described.status_code == 200, soap
            assert b"definitions" in described.content


def test_large_body_over_real_http_is_refused(integrator: Integrator, supplier: Tenant,
                                              serve: ServeFn) -> None:
    base = serve(integrator_app(integrator, quiet_settings(max_body_bytes=4096)))
    response = httpx.post(f"{base}/api/v1/invoices", headers=supplier.headers,
                          content=b"x" * 100_000)
    assert response.status_code == 413


def test_face_factory_mounts_the_api_behind_the_gib_route(integrator: Integrator) -> None:
    [mount] = api_routes(integrator)
    assert isinstance(mount, Mount)
    app = create_app(integrator, faces=[mount])
    assert getattr(app.routes[0], "name", None) == "efatura"


def test_token_key_comes_from_the_secret_store(integrator: Integrator) -> None:
    signing = replace(integrator.config.signing,
                      secrets=SecretStore({"API_TOKEN_KEY": Secret("s" * 40)}))
    integrator.config = replace(integrator.config, signing=signing)
    assert api_settings(integrator).token_key == Secret("s" * 40)
    assert api_settings(integrator, ApiSettings(token_key=Secret("t" * 40))).token_key == \
        Secret("t" * 40)
