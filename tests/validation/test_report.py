"""ValidationReport: ordering, the GİB code of the first failing layer, the exception."""

from __future__ import annotations

import json

import pytest

from entegrator.errors import DocumentError
from entegrator.validation import (
    DocumentInvalid,
    DocumentKind,
    Finding,
    Layer,
    Severity,
    ValidationEngine,
    ValidationReport,
    ensure_valid,
)
from entegrator.validation.findings import GIB_SCHEMATRON, GIB_XSD
from tests.validation.support import edit, remove, set_text


def _finding(layer: Layer, code: int | None, line: int, severity: Severity) -> Finding:
    return Finding(
        rule=f"{layer.value}-{line}",
        layer=layer,
        gib_code=code,
        message="m",
        severity=severity,
        line=line,
    )


def test_findings_are_ordered_by_layer_then_line() -> None:
    report = ValidationReport.of(
        DocumentKind.INVOICE,
        [
            _finding(Layer.RULES, GIB_SCHEMATRON, 1, Severity.ERROR),
            _finding(Layer.SCHEMATRON, GIB_SCHEMATRON, 9, Severity.ERROR),
            _finding(Layer.XSD, GIB_XSD, 5, Severity.ERROR),
            _finding(Layer.SCHEMATRON, GIB_SCHEMATRON, 2, Severity.ERROR),
        ],
    )
    assert [f.rule for f in report.findings] == [
        "xsd-5",
        "schematron-2",
        "schematron-9",
        "rules-1",
    ]


def test_gib_code_comes_from_the_first_failing_layer() -> None:
    report = ValidationReport.of(
        None,
        [
            _finding(Layer.XSD, GIB_XSD, 1, Severity.WARNING),
            _finding(Layer.SCHEMATRON, GIB_SCHEMATRON, 2, Severity.ERROR),
        ],
    )
    assert report.gib_code == GIB_SCHEMATRON


def test_warnings_alone_keep_the_document_valid() -> None:
    report = ValidationReport.of(None, [_finding(Layer.RULES, 1150, 3, Severity.WARNING)])
    assert report.ok
    assert report.gib_code is None
    assert report.errors == ()
    assert len(report.warnings) == 1


def test_xsd_and_schematron_are_both_reported_and_xsd_decides_the_code(
    engine: ValidationEngine, ticari: bytes
) -> None:
    # Without ext:UBLExtensions the XSD fails; GİB's schematron still runs (GİB reports both).
    report = engine.validate(
        edit(ticari, remove("/inv:Invoice/ext:UBLExtensions"), set_text("/inv:Invoice/cbc:ID", "X"))
    )
    layers = {f.layer for f in report.errors}
    assert {Layer.XSD, Layer.SCHEMATRON} <= layers
    assert report.gib_code == GIB_XSD


def test_to_dict_is_json_ready(engine: ValidationEngine, ticari: bytes) -> None:
    report = engine.validate(edit(ticari, set_text("/inv:Invoice/cbc:ID", "X")))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["ok"] is False
    assert data["gib_code"] == GIB_SCHEMATRON
    assert data["kind"] == "invoice"
    first = data["findings"][0]
    assert first["rule"] == "InvoiceIDCheck-1"
    assert first["severity"] == "error"
    assert first["xpath"] == "/inv:Invoice[1]"
    assert isinstance(first["line"], int)


def test_raise_for_errors_carries_code_and_findings(
    engine: ValidationEngine, ticari: bytes
) -> None:
    report = engine.validate(edit(ticari, set_text("/inv:Invoice/cbc:ID", "X")))
    with pytest.raises(DocumentInvalid) as caught:
        report.raise_for_errors()
    error = caught.value
    assert isinstance(error, DocumentError)
    assert error.gib_code == GIB_SCHEMATRON
    assert error.findings == report.findings
    assert "InvoiceIDCheck-1" in str(error)


def test_ensure_valid_returns_the_report_of_a_valid_document(ticari: bytes) -> None:
    assert ensure_valid(ticari).ok


def test_ensure_valid_raises_for_an_invalid_document() -> None:
    with pytest.raises(DocumentInvalid) as caught:
        ensure_valid(b"<x")
    assert caught.value.gib_code == 1132
