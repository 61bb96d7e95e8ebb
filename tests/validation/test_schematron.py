"""Layer 3: GİB's schematron through Saxon — rule ids, locations, the ``type`` parameter."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from entegrator.validation import Layer, ValidationEngine, ValidationOptions
from entegrator.validation.findings import GIB_SCHEMATRON
from tests.validation.support import edit, error_ids, first, set_text


def test_failed_assert_keeps_gib_id_message_and_location(
    engine: ValidationEngine, ticari: bytes
) -> None:
    report = engine.validate(edit(ticari, set_text("/inv:Invoice/cbc:ID", "ABC123")))
    finding = report.errors[0]
    assert finding.rule == "InvoiceIDCheck-1"
    assert finding.layer is Layer.SCHEMATRON
    assert finding.gib_code == GIB_SCHEMATRON
    assert "cbc:ID" in finding.message
    assert finding.xpath == "/inv:Invoice[1]"
    assert finding.line == 2
    assert finding.detail and "matches(cbc:ID" in finding.detail


def test_attribute_location_points_at_its_element_line(
    engine: ValidationEngine, ticari: bytes
) -> None:
    def bad_currency(root: object) -> None:
        first(root, "/inv:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount").set(  # type: ignore[arg-type]
            "currencyID", "ZZZ"
        )

    report = engine.validate(edit(ticari, bad_currency))
    finding = next(f for f in report.errors if f.rule == "GeneralCurrencyIDCheck-1")
    assert (
        finding.xpath
        == "/inv:Invoice[1]/cac:LegalMonetaryTotal[1]/cbc:PayableAmount[1]/@currencyID"
    )
    assert finding.line is not None and finding.line > 100


def test_issue_date_in_the_future_is_gibs_timecheck(
    engine: ValidationEngine, ticari: bytes
) -> None:
    future = (date.today() + timedelta(days=2)).isoformat()
    report = engine.validate(edit(ticari, set_text("/inv:Invoice/cbc:IssueDate", future)))
    assert "TimeCheck-1" in error_ids(report)
    assert report.gib_code == GIB_SCHEMATRON


def _sarj_as_satis(samples_dir: Path) -> bytes:
    data = (samples_dir / "gib-ubltr-1.2.1" / "SARJ.xml").read_bytes()
    return edit(data, set_text("/inv:Invoice/cbc:InvoiceTypeCode", "SATIS"))


def test_type_parameter_efatura_applies_efatura_only_rules(
    engine: ValidationEngine, samples_dir: Path
) -> None:
    report = engine.validate(_sarj_as_satis(samples_dir), ValidationOptions(earchive=False))
    assert "InvoiceTypeCodeCheck-3" in error_ids(report)


def test_type_parameter_earchive_skips_them(engine: ValidationEngine, samples_dir: Path) -> None:
    report = engine.validate(_sarj_as_satis(samples_dir), ValidationOptions(earchive=True))
    assert "InvoiceTypeCodeCheck-3" not in error_ids(report)


def test_earchive_profile_selects_the_earchive_type(
    engine: ValidationEngine, samples_dir: Path
) -> None:
    data = edit(_sarj_as_satis(samples_dir), set_text("/inv:Invoice/cbc:ProfileID", "EARSIVFATURA"))
    assert "InvoiceTypeCodeCheck-3" not in error_ids(engine.validate(data))


def test_switching_type_between_documents_does_not_leak(
    engine: ValidationEngine, samples_dir: Path
) -> None:
    data = _sarj_as_satis(samples_dir)
    efatura, earchive = ValidationOptions(earchive=False), ValidationOptions(earchive=True)
    results = [
        "InvoiceTypeCodeCheck-3" in error_ids(engine.validate(data, options))
        for options in (efatura, earchive, efatura, earchive)
    ]
    assert results == [True, False, True, False]
