"""Service descriptions served over HTTP: ?wsdl, ?singleWsdl, ?xsd=N, addresses pointing back
at the server, and zeep building clients from them (api.soap.wsdl)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import zeep
from lxml import etree
from starlette.applications import Starlette

from entegrator.api.soap.config import SoapSettings
from entegrator.api.soap.dialect import Dialect
from entegrator.api.soap.routes import DEFAULT_DIALECTS, SoapFaces
from entegrator.store import StoreConfig
from entegrator.ubl import ns
from tests.api.soap.fixtures import ServeFn
from tests.core.support import CorePki, make_integrator

_WSDL = "http://schemas.xmlsoap.org/wsdl/"
_XS = ns.XSD
DIALECTS = {d.id: d for d in DEFAULT_DIALECTS}


@pytest.fixture
def base(sqlite_config: StoreConfig, tmp_path: Path, core_pki: CorePki,
         serve: ServeFn) -> Iterator[str]:
    """The SOAP faces on loopback (descriptions need no database: SQLite only)."""
    integrator = make_integrator(sqlite_config, tmp_path, core_pki)
    faces = SoapFaces(integrator)
    yield serve(Starlette(routes=faces.routes))
    faces.close()
    integrator.close()


def _get(url: str) -> etree._Element:
    reply = httpx.get(url, timeout=30)
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("text/xml")
    return etree.fromstring(reply.content)


@pytest.mark.parametrize("dialect_id", sorted(DIALECTS))
def test_wsdl_address_points_back_at_the_server(base: str, dialect_id: str) -> None:
    dialect = DIALECTS[dialect_id]
    url = base + dialect.paths[0]

    wsdl = _get(url + "?wsdl")

    addresses = [a.get("location") for a in wsdl.iter("{*}address")]
    assert addresses and set(addresses) == {url}


@pytest.mark.parametrize("dialect_id", sorted(DIALECTS))
def test_zeep_builds_every_operation_from_the_served_wsdl(base: str, dialect_id: str) -> None:
    dialect = DIALECTS[dialect_id]

    client = zeep.Client(base + dialect.paths[0] + "?wsdl")

    binding = client.service._binding
    assert {op.name for op in dialect.operations} == set(binding._operations)


@pytest.mark.parametrize("dialect_id", ["izibiz-auth", "izibiz-einvoice", "izibiz-oib"])
def test_every_imported_schema_is_served_at_its_xsd_number(base: str, dialect_id: str) -> None:
    dialect = DIALECTS[dialect_id]
    url = base + dialect.paths[0]
    seen: set[str] = set()
    pending = [i.get("schemaLocation") for i in _get(url + "?wsdl").iter(f"{{{_XS}}}import")]

    while pending:
        location = pending.pop()
        if location in seen:
            continue
        seen.add(location)
        assert location.startswith(url + "?xsd=")
        pending += [i.get("schemaLocation") for i in _get(location).iter(f"{{{_XS}}}import")]

    assert len(seen) == len(dialect.description.schemas)


def test_izibiz_keeps_its_xsd_numbering(base: str) -> None:
    einvoice, auth = base + "/EInvoiceWS", base + "/AuthenticationWS"

    assert _get(einvoice + "?xsd=4").get("targetNamespace") == ns.I2I_WSDL
    assert _get(einvoice + "?xsd=2").get("targetNamespace") == ns.I2I_ENTITY
    assert _get(auth + "?xsd=1").get("targetNamespace") == ns.XMIME
    assert _get(auth + "?xsd=4").get("targetNamespace") == ns.I2I_COMMON


def test_edm_single_wsdl_carries_every_schema_inline(base: str) -> None:
    wsdl = _get(base + "/EFaturaEDM/EFaturaEDM.svc?singleWsdl")

    schemas = wsdl.findall(f"{{{_WSDL}}}types/{{{_XS}}}schema")
    locations = [i.get("schemaLocation") for i in wsdl.iter(f"{{{_XS}}}import")]
    assert {s.get("targetNamespace") for s in schemas} == {ns.TEMPURI, ns.I2I_COMMON,
                                                            ns.XMIME}
    assert locations and all(loc is None for loc in locations)


def test_edm_soap_actions_are_the_request_names(base: str) -> None:
    wsdl = _get(base + "/EFaturaEDM/EFaturaEDM.svc?wsdl")

    actions = {o.getparent().get("name"): o.get("soapAction")
               for o in wsdl.iter("{http://schemas.xmlsoap.org/wsdl/soap/}operation")}
    assert actions["SendInvoice"] == "SendInvoiceRequest"
    assert all(value == f"{name}Request" for name, value in actions.items())


def test_edm_offers_soap_12_too(base: str) -> None:
    wsdl = _get(base + "/EFaturaEDM/EFaturaEDM.svc?wsdl")

    assert wsdl.find(".//{http://schemas.xmlsoap.org/wsdl/soap12/}address") is not None


def test_the_old_edm_test_path_serves_the_same_service(base: str) -> None:
    wsdl = _get(base + "/EFaturaEDM21ea/EFaturaEDM.svc?wsdl")

    (address,) = [a.get("location") for a in wsdl.iter(
        "{http://schemas.xmlsoap.org/wsdl/soap/}address")]
    assert address == base + "/EFaturaEDM21ea/EFaturaEDM.svc"


def test_a_public_url_replaces_the_request_address(
        sqlite_config: StoreConfig, tmp_path: Path, core_pki: CorePki, serve: ServeFn) -> None:
    integrator = make_integrator(sqlite_config, tmp_path, core_pki)
    faces = SoapFaces(integrator, settings=SoapSettings(public_url="https://efatura.example"))
    try:
        url = serve(Starlette(routes=faces.routes))
        wsdl = _get(url + "/EInvoiceWS?wsdl")
    finally:
        faces.close()
        integrator.close()

    (location,) = [i.get("schemaLocation") for i in wsdl.iter(f"{{{_XS}}}import")]
    assert location == "https://efatura.example/EInvoiceWS?xsd=4"


@pytest.mark.parametrize("query", ["?xsd=9", "?xsd=abc"])
def test_unknown_schemas_are_not_found(base: str, query: str) -> None:
    reply = httpx.get(base + "/EInvoiceWS" + query, timeout=10)

    assert reply.status_code in (400, 404)


def test_a_plain_get_explains_itself(base: str) -> None:
    reply = httpx.get(base + "/EInvoiceWS", timeout=10)

    assert reply.status_code == 400 and "?wsdl" in reply.text


@pytest.mark.parametrize("dialect", DEFAULT_DIALECTS, ids=lambda d: d.id)
def test_schema_resources_compile(dialect: Dialect) -> None:
    from tests.api.soap.support import schema

    for name in dialect.description.schemas.values():
        assert isinstance(schema(dialect.description.package, name), etree.XMLSchema)
