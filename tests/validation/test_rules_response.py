"""TR-AR rules on application responses (GİB's GTB system response sample passes all)."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.validation import DocumentKind, ValidationEngine
from tests.validation.support import edit, rule_findings, set_text


@pytest.fixture(scope="module")
def response(samples_dir: Path) -> bytes:
    return (
        samples_dir / "gib-efatura-paketi" / "1_SISTEM_YANITI_GTB_POSTA_KUTUSU.xml"
    ).read_bytes()


def test_sample_response_is_valid(engine: ValidationEngine, response: bytes) -> None:
    report = engine.validate(response)
    assert report.kind is DocumentKind.APPLICATION_RESPONSE
    assert report.ok


def test_response_older_than_the_answered_document_fails(
    engine: ValidationEngine, response: bytes
) -> None:
    older = edit(response, set_text("/apr:ApplicationResponse/cbc:IssueDate", "2015-07-25"))
    report = engine.validate(older)
    assert rule_findings(report, "TR-AR") == [("TR-AR-001", "error")]


def test_response_on_the_same_day_passes(engine: ValidationEngine, response: bytes) -> None:
    same_day = edit(response, set_text("/apr:ApplicationResponse/cbc:IssueDate", "2015-07-26"))
    assert rule_findings(engine.validate(same_day), "TR-AR") == []
