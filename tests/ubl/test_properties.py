"""Property tests: random valid invoices build to documents GİB accepts, round-trip through
the parser, and their totals obey GİB's arithmetic."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from efatura_kontrol.bulgu import Bulgu
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entegrator.ubl import build_invoice, compute_totals, normalize_invoice, parse_invoice
from entegrator.ubl.model import Invoice
from entegrator.ubl.rules import check_invoice

D = Decimal
_ADDRESS = {"city_subdivision": "Çankaya", "city": "Ankara"}
_COMPANIES = ["4540536920", "9205121120", "2619730697", "5239384995", "7989355721"]
_PERSONS = ["17291716060", "10000000146", "64485497366"]
_WITHHOLDINGS = [("606", 90), ("614", 50), ("624", 20), ("601", 40), ("625", 30), ("801", 100)]
_KINDS = ["SATIS", "ISTISNA", "TEVKIFAT", "IADE", "KAMU"]


def _decimal(low: int, high: int, places: int) -> st.SearchStrategy[str]:
    return st.integers(low * 10**places, high * 10**places).map(lambda n: str(D(n).scaleb(-places)))


@st.composite
def _party(draw: st.DrawFn, *, person: bool) -> dict[str, Any]:
    if person:
        return {
            "tckn": draw(st.sampled_from(_PERSONS)),
            "first_name": "Ayşe",
            "family_name": "Yılmaz",
            "address": _ADDRESS,
        }
    return {
        "vkn": draw(st.sampled_from(_COMPANIES)),
        "name": "Örnek Ticaret A.Ş.",
        "tax_office": "Kavaklıdere",
        "address": _ADDRESS,
    }


@st.composite
def _line(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    line: dict[str, Any] = {
        "name": draw(st.sampled_from(["Klavye", "Çay", "Hizmet bedeli", "Şeker"])),
        "quantity": draw(_decimal(1, 500, 3)),
        "unit_code": draw(st.sampled_from(["C62", "KGM", "LTR", "HUR"])),
        "unit_price": draw(_decimal(10, 20_000, 4)),
    }
    zero = kind == "ISTISNA" and draw(st.booleans())
    kdv: dict[str, Any] = (
        {"percent": "0", "exemption_reason_code": draw(st.sampled_from(["301", "311", "350"]))}
        if zero
        else {"percent": draw(st.sampled_from(["1", "10", "20"]))}
    )
    other = draw(st.sampled_from([None, ("0074", "6.7"), ("0059", "2"), ("1047", "0.948")]))
    line["taxes"] = ([{"code": other[0], "percent": other[1]}] if other else []) + [kdv]
    if draw(st.booleans()):
        allowance = draw(st.sampled_from(["percent", "amount"]))
        line["allowance_charges"] = [
            {"percent": draw(_decimal(0, 50, 2))} if allowance == "percent" else {"amount": "5.00"}
        ]
    if kind == "TEVKIFAT" and not zero:
        code, percent = draw(st.sampled_from(_WITHHOLDINGS))
        line["withholding"] = {"code": code, "percent": str(percent)}
    return line


@st.composite
def invoices(draw: st.DrawFn) -> Invoice:
    kind = draw(st.sampled_from(_KINDS))
    profile = {"IADE": "TEMELFATURA", "KAMU": "KAMU"}.get(
        kind, draw(st.sampled_from(["TEMELFATURA", "TICARIFATURA"]))
    )
    invoice_type = "SATIS" if kind == "KAMU" else kind
    spec: dict[str, Any] = {
        "profile": profile,
        "invoice_type": invoice_type,
        "number": f"PRP2025{draw(st.integers(1, 10**9 - 1)):09d}",
        "ettn": str(draw(st.uuids())),
        "issue_date": draw(st.dates(date(2025, 1, 1), min(date.today(), date(2025, 12, 31)))),
        "supplier": draw(_party(person=draw(st.booleans()))),
        "customer": draw(_party(person=draw(st.booleans()))),
        "lines": draw(st.lists(_line(invoice_type), min_size=1, max_size=6)),
    }
    if draw(st.booleans()):
        spec["allowance_charges"] = [{"percent": draw(_decimal(0, 20, 2)), "reason": "İskonto"}]
    if draw(st.booleans()):
        spec["allowance_charges"] = [
            *spec.get("allowance_charges", []),
            {"charge": True, "amount": "12.50"},
        ]
    if draw(st.booleans()):
        spec["currency"] = draw(st.sampled_from(["USD", "EUR"]))
        spec["exchange_rate"] = {"rate": draw(_decimal(1, 60, 4))}
    if kind == "IADE":
        spec["billing_references"] = [{"number": "ORJ2025000000042", "issue_date": "2025-05-01"}]
    if kind == "KAMU":
        spec["payment_means"] = [
            {"code": "42", "payee_account": {"id": "TR330006100519786457841326"}}
        ]
    if draw(st.booleans()):
        spec["payable_rounding_amount"] = draw(st.sampled_from(["0.01", "-0.01", "0.50"]))
    return Invoice.model_validate(spec)


_SLOW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_SLOW
@given(invoice=invoices())
def test_random_invoices_pass_gibs_checks(
    invoice: Invoice, gib_findings: Callable[[bytes], list[Bulgu]]
) -> None:
    assert check_invoice(invoice) == []
    findings = gib_findings(build_invoice(invoice))
    assert [f"{b.kod}: {b.mesaj}" for b in findings] == []


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice=invoices())
def test_build_then_parse_gives_the_explicit_model(invoice: Invoice) -> None:
    document = build_invoice(invoice)
    parsed = parse_invoice(document)
    assert parsed == normalize_invoice(invoice)
    assert build_invoice(parsed) == document


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoice=invoices())
def test_totals_obey_gibs_arithmetic(invoice: Invoice) -> None:
    totals = compute_totals(invoice)
    assert totals.line_extension_amount == sum(
        (line.line_extension_amount for line in totals.lines), D(0)
    )
    assert totals.tax_exclusive_amount == (
        totals.line_extension_amount - totals.allowance_total_amount + totals.charge_total_amount
    )
    assert sum((line.document_share for line in totals.lines), D(0)) == (
        totals.charge_total_amount - totals.allowance_total_amount
    )
    assert totals.tax_total_amount == sum((group.amount for group in totals.tax_groups), D(0))
    assert totals.tax_inclusive_amount == totals.tax_exclusive_amount + totals.tax_total_amount
    assert totals.payable_amount == (
        totals.tax_inclusive_amount
        - totals.withholding_total_amount
        + totals.payable_rounding_amount
    )
    for group in totals.tax_groups:
        if group.percent is not None:
            assert abs(group.taxable_amount * group.percent / 100 - group.amount) <= D("0.005")
    for value in (totals.tax_total_amount, totals.payable_amount, totals.tax_exclusive_amount):
        assert value == value.quantize(D("0.01"))
