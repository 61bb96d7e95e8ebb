"""TR-CUR and TR-INV rules, each with a failing and a passing case."""

from __future__ import annotations

from lxml import etree

from entegrator.validation import ValidationEngine
from tests.validation.support import Change, add, edit, first, rule_findings, set_text

_RATE = (
    "<cac:PricingExchangeRate><cbc:SourceCurrencyCode>{source}</cbc:SourceCurrencyCode>"
    "<cbc:TargetCurrencyCode>{target}</cbc:TargetCurrencyCode>"
    "<cbc:CalculationRate>{rate}</cbc:CalculationRate></cac:PricingExchangeRate>"
)


def _in_usd(root: etree._Element) -> None:
    first(root, "/inv:Invoice/cbc:DocumentCurrencyCode").text = "USD"
    for element in root.xpath("//*[@currencyID]"):
        element.set("currencyID", "USD")


def _rate(source: str = "USD", target: str = "TRY", rate: str = "30.5") -> Change:
    return add("/inv:Invoice", _RATE.format(source=source, target=target, rate=rate), index=20)


def _found(engine: ValidationEngine, data: bytes, prefix: str, *changes: Change) -> list[str]:
    return [
        rule for rule, _severity in rule_findings(engine.validate(edit(data, *changes)), prefix)
    ]


def test_amount_in_another_currency_fails(engine: ValidationEngine, ticari: bytes) -> None:
    def one_usd(root: etree._Element) -> None:
        first(root, "/inv:Invoice/cac:InvoiceLine[2]/cbc:LineExtensionAmount").set(
            "currencyID", "USD"
        )

    report = engine.validate(edit(ticari, one_usd))
    finding = next(f for f in report.findings if f.rule == "TR-CUR-001")
    assert finding.xpath == (
        "/inv:Invoice[1]/cac:InvoiceLine[2]/cbc:LineExtensionAmount[1]/@currencyID"
    )
    assert not report.ok


def test_every_amount_in_the_document_currency_passes(
    engine: ValidationEngine, ticari: bytes
) -> None:
    assert _found(engine, ticari, "TR-CUR", _in_usd, _rate()) == []


def test_exchange_rate_from_another_currency_fails(engine: ValidationEngine, ticari: bytes) -> None:
    assert _found(engine, ticari, "TR-CUR", _in_usd, _rate(source="EUR")) == ["TR-CUR-002"]


def test_exchange_rate_to_another_currency_fails(engine: ValidationEngine, ticari: bytes) -> None:
    assert _found(engine, ticari, "TR-CUR", _in_usd, _rate(target="EUR")) == ["TR-CUR-002"]


def test_zero_exchange_rate_fails(engine: ValidationEngine, ticari: bytes) -> None:
    assert _found(engine, ticari, "TR-CUR", _in_usd, _rate(rate="0")) == ["TR-CUR-003"]


def test_line_count_mismatch_fails(engine: ValidationEngine, ticari: bytes) -> None:
    change = set_text("/inv:Invoice/cbc:LineCountNumeric", "7")
    assert _found(engine, ticari, "TR-INV-001", change) == ["TR-INV-001"]


def test_line_count_as_decimal_passes(engine: ValidationEngine, ticari: bytes) -> None:
    change = set_text("/inv:Invoice/cbc:LineCountNumeric", "8.0")
    assert _found(engine, ticari, "TR-INV-001", change) == []


def test_repeated_line_id_fails(engine: ValidationEngine, ticari: bytes) -> None:
    change = set_text("/inv:Invoice/cac:InvoiceLine[2]/cbc:ID", "1")
    assert _found(engine, ticari, "TR-INV-002", change) == ["TR-INV-002"]


def test_distinct_line_ids_pass(engine: ValidationEngine, ticari: bytes) -> None:
    assert _found(engine, ticari, "TR-INV-002") == []


def test_invoice_number_year_must_be_the_issue_year(
    engine: ValidationEngine, ticari: bytes
) -> None:
    change = set_text("/inv:Invoice/cbc:ID", "GIB2008000000011")
    assert _found(engine, ticari, "TR-INV-003", change) == ["TR-INV-003"]


def test_invoice_number_of_the_issue_year_passes(engine: ValidationEngine, ticari: bytes) -> None:
    assert _found(engine, ticari, "TR-INV-003") == []


def test_due_date_before_issue_date_is_a_warning(engine: ValidationEngine, ticari: bytes) -> None:
    # GİB's sample is due on 2008-11-25 but issued on 2009-01-05.
    report = engine.validate(ticari)
    assert rule_findings(report, "TR-INV-004") == [("TR-INV-004", "warning")]
    assert report.ok


def test_due_date_after_issue_date_passes(engine: ValidationEngine, ticari: bytes) -> None:
    change = set_text("/inv:Invoice/cac:PaymentTerms/cbc:PaymentDueDate", "2009-02-05")
    assert _found(engine, ticari, "TR-INV-004", change) == []
