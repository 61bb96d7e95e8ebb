"""TR-SIG rules: the structure of the XAdES signature (not its cryptography)."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.validation import Severity, ValidationEngine
from entegrator.validation.findings import GIB_INVALID_SIGNATURE
from tests.validation.support import edit, first, remove, rule_findings

_SIGNATURE = "/inv:Invoice/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/ds:Signature"


@pytest.fixture(scope="module")
def signed(samples_dir: Path) -> bytes:
    """A signed GİB sample whose signature structure is complete."""
    return (samples_dir / "gib-efatura-paketi" / "1_TEMEL_FATURA.xml").read_bytes()


def test_complete_signature_passes(engine: ValidationEngine, signed: bytes) -> None:
    assert rule_findings(engine.validate(signed), "TR-SIG") == []


def test_missing_signature_value_fails(engine: ValidationEngine, signed: bytes) -> None:
    report = engine.validate(edit(signed, remove(f"{_SIGNATURE}/ds:SignatureValue")))
    found = [f for f in report.findings if f.rule.startswith("TR-SIG")]
    assert [f.rule for f in found] == ["TR-SIG-001"]
    assert "ds:SignatureValue" in found[0].message
    assert found[0].gib_code == GIB_INVALID_SIGNATURE


def test_dangling_reference_fails(engine: ValidationEngine, signed: bytes) -> None:
    def dangle(root: object) -> None:
        reference = first(root, f"{_SIGNATURE}/ds:SignedInfo/ds:Reference[2]")  # type: ignore[arg-type]
        reference.set("URI", "#Yok")

    report = engine.validate(edit(signed, dangle))
    found = [f for f in report.findings if f.rule.startswith("TR-SIG")]
    assert [f.rule for f in found] == ["TR-SIG-002"]
    assert found[0].xpath and found[0].xpath.endswith("/ds:Reference[2]/@URI")


def test_unsigned_document_is_information(engine: ValidationEngine, ticari: bytes) -> None:
    report = engine.validate(ticari)
    found = [f for f in report.findings if f.rule.startswith("TR-SIG")]
    assert [(f.rule, f.severity) for f in found] == [("TR-SIG-003", Severity.INFO)]
    assert found[0].gib_code is None
