"""RuleMode: our rules as errors (outbound), as warnings (inbound), or not at all."""

from __future__ import annotations

from entegrator.validation import Layer, RuleMode, Severity, ValidationEngine, ValidationOptions
from tests.validation.support import edit, set_text

_WRONG_PAYABLE = set_text("/inv:Invoice/cac:LegalMonetaryTotal/cbc:PayableAmount", "1.00")


def test_enforce_is_the_default(engine: ValidationEngine, ticari: bytes) -> None:
    report = engine.validate(edit(ticari, _WRONG_PAYABLE))
    assert not report.ok
    assert report.gib_code == 1150


def test_advise_downgrades_errors_to_warnings(engine: ValidationEngine, ticari: bytes) -> None:
    report = engine.validate(edit(ticari, _WRONG_PAYABLE), ValidationOptions(rules=RuleMode.ADVISE))
    ours = [f for f in report.findings if f.layer is Layer.RULES]
    assert ours
    assert all(f.severity is not Severity.ERROR for f in ours)
    assert report.ok


def test_advise_keeps_gibs_own_errors(engine: ValidationEngine, ticari: bytes) -> None:
    data = edit(ticari, _WRONG_PAYABLE, set_text("/inv:Invoice/cbc:ID", "X"))
    report = engine.validate(data, ValidationOptions(rules=RuleMode.ADVISE))
    assert [f.rule for f in report.errors] == ["InvoiceIDCheck-1"]


def test_off_runs_none_of_our_rules(engine: ValidationEngine, ticari: bytes) -> None:
    report = engine.validate(edit(ticari, _WRONG_PAYABLE), ValidationOptions(rules=RuleMode.OFF))
    assert not [f for f in report.findings if f.layer is Layer.RULES]
    assert report.ok
