"""Envelopes (zarf): the envelope and every document inside it, one report, one GİB code."""

from __future__ import annotations

import uuid

from entegrator.validation import DocumentKind, Layer, RuleMode, ValidationEngine, ValidationOptions
from entegrator.validation.findings import GIB_SCHEMATRON, GIB_XSD
from tests.validation.support import edit, envelope, error_ids, remove, rule_findings, set_text

_INNER = "/sh:StandardBusinessDocument[1]/ef:Package[1]/Elements[1]/ElementList[1]/inv:Invoice"


def _other(ticari: bytes, number: str) -> bytes:
    return edit(
        ticari,
        set_text("/inv:Invoice/cbc:UUID", str(uuid.uuid4()).upper()),
        set_text("/inv:Invoice/cbc:ID", number),
    )


def test_envelope_with_valid_invoices_is_valid(engine: ValidationEngine, ticari: bytes) -> None:
    report = engine.validate(envelope(ticari, _other(ticari, "GIB2009000000012")))
    assert report.kind is DocumentKind.ENVELOPE
    assert report.profile_id == "TICARIFATURA"
    assert report.ok, report.to_dict()


def test_invalid_inner_invoice_fails_the_envelope_with_1150(
    engine: ValidationEngine, ticari: bytes
) -> None:
    bad = edit(ticari, set_text("/inv:Invoice/cbc:ID", "YANLIS"))
    report = engine.validate(envelope(_other(ticari, "GIB2009000000012"), bad))
    assert report.gib_code == GIB_SCHEMATRON
    finding = next(f for f in report.errors if f.rule == "InvoiceIDCheck-1")
    assert finding.xpath == f"{_INNER}[2]"


def test_inner_invoice_failing_the_xsd_gives_1160(engine: ValidationEngine, ticari: bytes) -> None:
    bad = edit(ticari, remove("/inv:Invoice/cbc:IssueDate"))
    report = engine.validate(envelope(bad))
    assert report.gib_code == GIB_XSD


def test_inner_invoice_arithmetic_is_checked(engine: ValidationEngine, ticari: bytes) -> None:
    bad = edit(ticari, set_text("/inv:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", "1.00"))
    report = engine.validate(envelope(bad))
    finding = next(f for f in report.errors if f.rule == "TR-ARITH-012")
    assert finding.layer is Layer.RULES
    assert (finding.xpath or "").startswith(f"{_INNER}[1]/cac:LegalMonetaryTotal[1]")
    assert report.gib_code == GIB_SCHEMATRON


def test_inner_arithmetic_only_warns_when_advising(engine: ValidationEngine, ticari: bytes) -> None:
    bad = edit(ticari, set_text("/inv:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", "1.00"))
    report = engine.validate(envelope(bad), ValidationOptions(rules=RuleMode.ADVISE))
    assert report.ok
    assert ("TR-ARITH-012", "warning") in rule_findings(report, "TR-ARITH")


def test_envelope_header_is_checked_by_gibs_schematron(
    engine: ValidationEngine, ticari: bytes
) -> None:
    data = edit(
        envelope(ticari),
        set_text(
            "/sh:StandardBusinessDocument/sh:StandardBusinessDocumentHeader"
            "/sh:DocumentIdentification/sh:TypeVersion",
            "1.0",
        ),
    )
    assert "TypeVersionCheck-1" in error_ids(engine.validate(data))


def test_repeated_ettn_in_one_envelope_fails(engine: ValidationEngine, ticari: bytes) -> None:
    twin = edit(ticari, set_text("/inv:Invoice/cbc:ID", "GIB2009000000012"))
    report = engine.validate(envelope(ticari, twin))
    assert rule_findings(report, "TR-ENV") == [("TR-ENV-001", "error")]


def test_repeated_invoice_number_in_one_envelope_fails(
    engine: ValidationEngine, ticari: bytes
) -> None:
    twin = edit(ticari, set_text("/inv:Invoice/cbc:UUID", str(uuid.uuid4())))
    report = engine.validate(envelope(ticari, twin))
    assert rule_findings(report, "TR-ENV") == [("TR-ENV-002", "error")]
