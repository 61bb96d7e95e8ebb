"""Tests of entegrator.core.archive: tenant-scoped, role-checked archive services."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from entegrator.core import archive as services
from entegrator.core.permissions import Role
from entegrator.core.wiring import Integrator
from entegrator.errors import NotFound, PermissionDenied
from entegrator.store import audit, jobs
from entegrator.store.archive import Archive, ArchiveKind, ArchiveRef
from entegrator.store.archive.search import ArchiveQuery
from entegrator.store.jobs import HandlerRegistry
from entegrator.store.tenancy import all_tenants
from entegrator.ubl import build_invoice, load_invoice
from tests.core.support import SeededTaxpayer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "01-temel-satis.json"


@pytest.fixture
def signed_like() -> bytes:
    """A built invoice of examples/01 (supplier 4540536920, customer 9205121120)."""
    return build_invoice(load_invoice(json.loads(EXAMPLE.read_text(encoding="utf-8"))))


@pytest.fixture
def stored(integrator: Integrator, supplier: SeededTaxpayer, signed_like: bytes) -> ArchiveRef:
    with integrator.db.transaction() as conn:
        return integrator.archive.put(conn, signed_like, kind=ArchiveKind.INVOICE,
                                      direction="OUT", tenant_id=supplier.id)


def test_the_integrator_holds_an_archive(integrator: Integrator) -> None:
    assert isinstance(integrator.archive, Archive)


def test_search_finds_the_callers_documents(
    integrator: Integrator, supplier: SeededTaxpayer, stored: ArchiveRef
) -> None:
    page = services.search_documents(integrator, supplier.as_role(Role.VIEWER),
                                      ArchiveQuery(counterpart_vkn_tckn="9205121120"))
    assert [e.ref for e in page.entries] == [stored]


def test_another_taxpayer_sees_nothing_and_cannot_read_by_id(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer,
    stored: ArchiveRef,
) -> None:
    assert services.search_documents(integrator, customer.caller, ArchiveQuery()).entries == []
    with pytest.raises(NotFound):
        services.get_document(integrator, customer.caller, stored.id)


def test_get_returns_the_exact_bytes(
    integrator: Integrator, supplier: SeededTaxpayer, stored: ArchiveRef, signed_like: bytes
) -> None:
    entry, data = services.get_document(integrator, supplier.caller, stored.id)
    assert data == signed_like and entry.ref == stored


def test_render_as_xml_and_html(
    integrator: Integrator, supplier: SeededTaxpayer, stored: ArchiveRef, signed_like: bytes
) -> None:
    xml = services.render_document(integrator, supplier.caller, stored.id, "xml")
    assert xml.data == signed_like and xml.file_name == "ENT2025000000001.xml"
    html = services.render_document(integrator, supplier.caller, stored.id, "html",
                                    stylesheet="own")
    assert b"ENT2025000000001" in html.data and html.media_type.startswith("text/html")


@pytest.mark.slow
def test_render_as_pdf(
    integrator: Integrator, supplier: SeededTaxpayer, stored: ArchiveRef
) -> None:
    pdf = services.render_document(integrator, supplier.caller, stored.id, "pdf")
    assert pdf.data.startswith(b"%PDF") and pdf.media_type == "application/pdf"


def test_export_is_audited(
    integrator: Integrator, supplier: SeededTaxpayer, stored: ArchiveRef, signed_like: bytes
) -> None:
    out = io.BytesIO()
    summary = services.export_documents(integrator, supplier.caller, ArchiveQuery(), out,
                                        include_pdf=False)
    assert summary.documents == 1
    names = zipfile.ZipFile(io.BytesIO(out.getvalue())).namelist()
    assert "index.csv" in names
    with integrator.db.transaction(read_only=True) as conn:
        actions = conn.execute(all_tenants(sa.select(audit.audit_log.c.action))).scalars().all()
    assert "archive.exported" in actions


def test_a_viewer_may_not_import(
    integrator: Integrator, supplier: SeededTaxpayer, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):
        services.import_documents(integrator, supplier.as_role(Role.VIEWER), tmp_path)


def test_an_admin_imports_into_the_own_archive(
    integrator: Integrator, supplier: SeededTaxpayer, tmp_path: Path, signed_like: bytes
) -> None:
    (tmp_path / "a.xml").write_bytes(signed_like)
    report = services.import_documents(integrator, supplier.caller, tmp_path)
    assert report.imported == 1
    page = services.search_documents(integrator, supplier.caller, ArchiveQuery(direction="OUT"))
    assert len(page.entries) == 1


def test_maintenance_job_is_registered_and_scheduled_once(integrator: Integrator) -> None:
    registry = HandlerRegistry()
    services.register(registry, integrator)
    assert registry.kinds == (services.MAINTAIN_JOB,)
    with integrator.db.transaction() as conn:
        first = services.ensure_maintenance_scheduled(conn, integrator)
        second = services.ensure_maintenance_scheduled(conn, integrator)
        assert first == second
        assert jobs.get_job(conn, first).kind == services.MAINTAIN_JOB


def test_run_maintenance_seals_past_days(
    integrator: Integrator, supplier: SeededTaxpayer, stored: ArchiveRef
) -> None:
    integrator.clock.advance(2 * 86400)  # type: ignore[attr-defined]
    report = services.run_maintenance(integrator)
    assert report.sealed and report.sealed[0].count == 1
