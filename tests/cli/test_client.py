"""``entegrator client …`` against a real server on loopback (configuration from the
environment, as an ERP operator would set it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from entegrator.api.app import integrator_app
from entegrator.cli.main import main
from entegrator.core.wiring import Integrator
from tests.api.conftest import (
    ServeFn,
    Tenant,
    api_pki,
    customer,
    example,
    integrator,
    quiet_settings,
    serve,
    supplier,
)
from tests.api.world import receive_invoice
from tests.core.support import CorePki

__all__ = ["api_pki", "customer", "integrator", "serve", "supplier"]


@pytest.fixture
def server(integrator: Integrator, serve: ServeFn, monkeypatch: pytest.MonkeyPatch) -> str:
    """The integrator served on loopback, its URL in ``ENTEGRATOR_CLIENT_URL``."""
    url = serve(integrator_app(integrator, quiet_settings()))
    monkeypatch.setenv("ENTEGRATOR_CLIENT_URL", url)
    return url


def test_send_then_get_and_download(server: str, supplier: Tenant, customer: Tenant, *,
                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("ENTEGRATOR_CLIENT_API_KEY", supplier.key)
    spec = tmp_path / "fatura.json"
    spec.write_text(json.dumps(example()), encoding="utf-8")
    assert main(["client", "send", str(spec), "--reference", "ERP-5"]) == 0
    doc_id, ettn = capsys.readouterr().out.split("\t")[:2]
    assert main(["client", "get", ettn]) == 0
    shown = capsys.readouterr().out
    assert '"client_reference": "ERP-5"' in shown and "LOAD - PROCESSING" in shown
    target = tmp_path / "f.xml"
    assert main(["client", "download", doc_id, "-o", str(target)]) == 0
    assert ettn.encode() in target.read_bytes()


def test_inbox_and_respond(server: str, integrator: Integrator, api_pki: CorePki, *,
                           supplier: Tenant, customer: Tenant,
                           monkeypatch: pytest.MonkeyPatch,
                           capsys: pytest.CaptureFixture[str]) -> None:
    doc_id, _ = receive_invoice(integrator, api_pki, customer)
    monkeypatch.setenv("ENTEGRATOR_CLIENT_API_KEY", customer.key)
    assert main(["client", "inbox", "--mark"]) == 0
    assert capsys.readouterr().out.startswith(f"{doc_id}\t")
    assert main(["client", "inbox"]) == 0
    assert capsys.readouterr().out == ""
    assert main(["client", "respond", str(doc_id), "RED"]) == 2  # a reason is required
    assert "gerekçe" in capsys.readouterr().err
    assert main(["client", "respond", str(doc_id), "RED", "--reason", "fiyat hatalı"]) == 0
    assert "reject_processing" in capsys.readouterr().out


def test_missing_configuration_is_reported(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("ENTEGRATOR_CLIENT_URL", "ENTEGRATOR_CLIENT_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    assert main(["client", "inbox"]) == 2
    assert "ENTEGRATOR_CLIENT_URL" in capsys.readouterr().err
