"""Every SOAP call leaves an audit row: who, which operation, the result (api.call rows)."""

from __future__ import annotations

from sqlalchemy import select

from entegrator.api.soap.routes import SoapFaces
from entegrator.core.wiring import Integrator
from entegrator.store.audit import audit_log
from entegrator.store.tenancy import all_tenants
from tests.api.soap.support import izibiz, login, post
from tests.core.support import SeededTaxpayer


def _soap_rows(integrator: Integrator, faces: SoapFaces) -> list[dict]:
    faces.services.audit.flush()
    with integrator.db.transaction(read_only=True) as conn:
        rows = conn.execute(all_tenants(select(audit_log).where(
            audit_log.c.action == "api.call").order_by(audit_log.c.id))).all()
    return [dict(r._mapping) for r in rows if (r.details or {}).get("face") == "soap"]


def test_a_call_is_audited_with_its_caller_operation_and_result(
        soap_base: str, faces: SoapFaces, integrator: Integrator,
        supplier: SeededTaxpayer) -> None:
    token = login(soap_base, "/EInvoiceWS", supplier.username, supplier.password)

    post(soap_base + "/EInvoiceWS", izibiz("GetInvoiceCount", token))

    row = _soap_rows(integrator, faces)[-1]
    assert row["tenant_id"] == supplier.id and row["actor_id"] == supplier.username
    assert row["details"]["operation"] == "GetInvoiceCount" and row["details"]["code"] == 0
    assert row["channel"] == "soap" and row["ip"] == "127.0.0.1"


def test_refused_and_unknown_calls_are_audited_too(
        soap_base: str, faces: SoapFaces, integrator: Integrator) -> None:
    post(soap_base + "/EInvoiceWS", izibiz("GetInvoiceCount", "sahte"))
    post(soap_base + "/EInvoiceWS", izibiz("GetEnvelope", "sahte"))

    refused, unknown = _soap_rows(integrator, faces)[-2:]
    assert refused["tenant_id"] is None and refused["details"]["code"] == 10004
    assert unknown["details"]["operation"] is None and unknown["details"]["code"] == 10015


def test_a_failed_login_names_the_user_it_tried(
        soap_base: str, faces: SoapFaces, integrator: Integrator,
        supplier: SeededTaxpayer) -> None:
    post(soap_base + "/AuthenticationWS", izibiz(
        "Login", "-1", f"<USER_NAME>{supplier.username}</USER_NAME><PASSWORD>x</PASSWORD>"))

    row = _soap_rows(integrator, faces)[-1]
    assert row["actor_id"] == supplier.username and row["details"]["code"] == 10002
