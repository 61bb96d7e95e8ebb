"""Layer 2: GİB's XSDs (efatura-kontrol's copies), per document kind, on the parsed tree."""

from __future__ import annotations

from entegrator.validation import Layer, ValidationEngine, ValidationOptions
from entegrator.validation.findings import GIB_XSD
from tests.validation.support import edit, envelope, remove


def test_missing_mandatory_element_is_an_xsd_error(engine: ValidationEngine, ticari: bytes) -> None:
    report = engine.validate(edit(ticari, remove("/inv:Invoice/ext:UBLExtensions")))
    xsd = [f for f in report.findings if f.layer is Layer.XSD]
    assert [f.rule for f in xsd] == ["xsd-element-content"]
    assert xsd[0].gib_code == GIB_XSD
    assert "UBLVersionID" in (xsd[0].detail or "")
    assert xsd[0].message.startswith("XML şema (XSD) hatası")
    assert xsd[0].xpath == "/inv:Invoice[1]/cbc:UBLVersionID[1]"
    assert xsd[0].line is not None


def test_envelope_schema_validates_the_documents_inside(
    engine: ValidationEngine, ticari: bytes
) -> None:
    broken = edit(ticari, remove("/inv:Invoice/ext:UBLExtensions"))
    report = engine.validate(envelope(broken))
    xsd = [f for f in report.errors if f.layer is Layer.XSD]
    assert xsd
    assert report.gib_code == GIB_XSD
    assert (xsd[0].xpath or "").startswith(
        "/sh:StandardBusinessDocument[1]/ef:Package[1]/Elements[1]/ElementList[1]/inv:Invoice[1]"
    )


def test_schematron_can_be_skipped_after_xsd_errors(
    engine: ValidationEngine, ticari: bytes
) -> None:
    broken = edit(ticari, remove("/inv:Invoice/ext:UBLExtensions"), remove("/inv:Invoice/cbc:ID"))
    full = engine.validate(broken)
    short = engine.validate(broken, ValidationOptions(skip_schematron_after_xsd_errors=True))
    assert any(f.layer is Layer.SCHEMATRON for f in full.findings)
    assert not any(f.layer is Layer.SCHEMATRON for f in short.findings)
    assert short.gib_code == full.gib_code == GIB_XSD
