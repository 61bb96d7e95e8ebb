"""The lean stylesheet reports exactly what efatura-kontrol's compiled schematron reports."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from efatura_kontrol import belge, sematron
from lxml import etree

from entegrator.ubl import ns
from entegrator.validation import Layer, RuleMode, ValidationEngine, ValidationOptions
from entegrator.validation.lean import lean_stylesheet
from tests.conftest import SAMPLES

_SAMPLES = sorted(
    path
    for folder in ("gib-ubltr-1.2.1", "gib-efatura-paketi")
    for path in (SAMPLES / folder).glob("*.xml")
)
_SCHEMATRON_ONLY = ValidationOptions(xsd=False, rules=RuleMode.OFF)


def test_lean_stylesheet_drops_only_report_bookkeeping() -> None:
    lean = etree.fromstring(lean_stylesheet().encode())
    assert not list(lean.iter(ns.qname(ns.SVRL, "suppressed-rule")))
    assert not list(lean.iter(ns.qname(ns.SVRL, "ns-prefix-in-attribute-values")))
    assert len(list(lean.iter(ns.qname(ns.SVRL, "failed-assert")))) > 400


@pytest.mark.parametrize("path", _SAMPLES, ids=lambda p: p.name)
def test_same_failed_asserts_as_the_original_stylesheet(
    engine: ValidationEngine, path: Path
) -> None:
    data = path.read_bytes()
    try:
        document = belge.yukle(data)
    except belge.BelgeHatasi:
        # Not XML or not a document: neither side runs the schematron.
        report = engine.validate(data, _SCHEMATRON_ONLY)
        assert [f.layer for f in report.findings] == [Layer.PARSE]
        return
    original = Counter(
        (b.kod.removeprefix("sch-"), engine.locator.from_eqname_path(b.konum or ""))
        for b in sematron.dogrula(document)
    )
    ours = Counter(
        (f.rule, f.xpath or "")
        for f in engine.validate(data, _SCHEMATRON_ONLY).findings
        if f.layer is Layer.SCHEMATRON
    )
    assert ours == original
