"""Tests for entegrator.ubl.codelists (GİB's lists as efatura-kontrol ships them)."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources

import pytest

from entegrator.errors import NotFound
from entegrator.ubl import codelists


def _shipped() -> dict[str, list[str]]:
    text = resources.files("efatura_kontrol").joinpath("ekler/kodlar.json").read_text("utf-8")
    return json.loads(text)["listeler"]


def _data(name: str, key: str) -> dict[str, dict[str, str]]:
    text = resources.files("entegrator.ubl").joinpath(f"data/{name}").read_text("utf-8")
    return json.loads(text)[key]


def test_values_are_the_shipped_lists_unchanged() -> None:
    shipped = _shipped()
    assert codelists.names() == tuple(sorted(shipped))
    for name, codes in shipped.items():
        assert codelists.values(name) == frozenset(codes), name


def test_values_is_read_once() -> None:
    assert codelists.values("TaxType") is codelists.values("TaxType")


def test_unknown_list_is_a_key_error_naming_the_known_lists() -> None:
    with pytest.raises(KeyError) as info:
        codelists.values("TaxTypes")
    assert isinstance(info.value, NotFound)
    assert "TaxType," in str(info.value)
    assert str(info.value).startswith("Bilinmeyen kod listesi 'TaxTypes'")


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("ProfileIDType", "TICARIFATURA", True),
        ("ProfileIDType", "TicariFatura", False),
        ("InvoiceTypeCodeList", "SATIS", True),
        ("ResponseCodeType", "S_APR", True),
        ("CurrencyCodeList", "TRY", True),
        ("CurrencyCodeList", "TRL", False),
        ("UnitCodeList", "C62", True),
        ("TaxType", None, False),
        ("TaxType", 15, False),
    ],
)
def test_is_valid(name: str, value: object, expected: bool) -> None:
    assert codelists.is_valid(name, value) is expected


def test_is_valid_with_unknown_list_raises() -> None:
    with pytest.raises(KeyError):
        codelists.is_valid("Nope", "x")


def test_description_comes_from_efatura_kontrol() -> None:
    assert "ProfileID" in codelists.description("ProfileIDType")


def test_description_of_unknown_list_raises() -> None:
    with pytest.raises(KeyError):
        codelists.description("Nope")


# --- tax types ---------------------------------------------------------------------------


def test_tax_table_covers_exactly_gibs_tax_types() -> None:
    assert set(_data("tax_types.json", "tax_types")) == codelists.values("TaxType")


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("0015", "KDV"),
        ("0071", "ÖTV 1.LİSTE"),
        ("9015", "KDV TEVKİFAT"),
        ("0059", "KONAKLAMA VERGİSİ"),
    ],
)
def test_tax_name(code: str, name: str) -> None:
    assert codelists.tax_name(code) == name


def test_tax_long_name() -> None:
    assert codelists.tax_long_name("0015") == "GERÇEK USULDE KATMA DEĞER VERGİSİ"


@pytest.mark.parametrize("code", ["15", "0016", "", "KDV"])
def test_unknown_tax_code_raises(code: str) -> None:
    with pytest.raises(KeyError, match="vergi türü"):
        codelists.tax_name(code)


# --- withholding -------------------------------------------------------------------------


def test_withholding_table_covers_every_withholding_code() -> None:
    prefixes = {combo[:3] for combo in codelists.values("WithholdingTaxTypeWithPercent")}
    expected = codelists.values("WithholdingTaxType") | prefixes
    assert set(_data("withholding.json", "withholding")) == expected


def test_withholding_name() -> None:
    assert codelists.withholding_name("601").startswith("Yapım İşleri")
    assert codelists.withholding_name("801") == codelists.withholding_name("601")


def test_unknown_withholding_code_raises() -> None:
    with pytest.raises(KeyError, match="tevkifat"):
        codelists.withholding_name("600")


@pytest.mark.parametrize(
    ("code", "percent", "expected"),
    [
        ("601", 40, True),
        ("601", Decimal("40"), True),
        ("601", Decimal("40.00"), True),
        ("601", 50, False),
        ("601", Decimal("40.5"), False),
        ("801", 100, True),
        ("650", 20, True),
        ("999", 40, False),
        ("601", True, False),
        ("601", "40", False),
        ("601", 40.0, False),
        ("601", Decimal("NaN"), False),
        ("601", Decimal("Infinity"), False),
    ],
)
def test_withholding_percent_allowed(code: str, percent: object, expected: bool) -> None:
    assert codelists.withholding_percent_allowed(code, percent) is expected  # type: ignore[arg-type]


def test_every_gib_combination_is_allowed() -> None:
    for combo in codelists.values("WithholdingTaxTypeWithPercent"):
        assert codelists.withholding_percent_allowed(combo[:3], int(combo[3:])), combo


# --- exemptions --------------------------------------------------------------------------


def test_exemption_names_only_for_gib_codes() -> None:
    known = codelists.values("TaxExemptionReasonCodeType") | codelists.values(
        "istisnaTaxExemptionReasonCodeType"
    )
    assert set(_data("exemption_reasons.json", "exemption_reasons")) <= known


def test_exemption_reason_name() -> None:
    assert codelists.exemption_reason_name("301") == "11/1-a Mal İhracatı"
    assert codelists.exemption_reason_name("999") is None


@pytest.mark.parametrize(
    ("code", "types"),
    [
        ("301", {"ISTISNA", "IADE", "IHRACKAYITLI", "SGK", "YTBISTISNA", "YTBIADE"}),
        ("801", {"OZELMATRAH", "IADE", "SGK"}),
        ("701", {"IHRACKAYITLI", "IADE", "SGK"}),
    ],
)
def test_exemption_invoice_types(code: str, types: set[str]) -> None:
    assert codelists.exemption_invoice_types(code) == types


@pytest.mark.parametrize("code", ["151", "555", "999"])
def test_unrestricted_exemption_codes(code: str) -> None:
    assert codelists.exemption_invoice_types(code) is None


def test_exemption_codes_for_invoice_types() -> None:
    assert codelists.exemption_codes_for("OZELMATRAH") == codelists.values(
        "ozelMatrahTaxExemptionReasonCodeType"
    )
    assert codelists.exemption_codes_for("IHRACKAYITLI") == (
        codelists.values("istisnaTaxExemptionReasonCodeType")
        | codelists.values("ihracExemptionReasonCodeType")
    )
    assert codelists.exemption_codes_for("SATIS") == frozenset()


def test_iade_may_use_every_grouped_code() -> None:
    grouped = frozenset().union(*(codelists.values(g) for g in codelists.EXEMPTION_GROUPS))
    assert codelists.exemption_codes_for("IADE") == grouped


def test_exemption_groups_name_real_lists_and_invoice_types() -> None:
    types = codelists.values("InvoiceTypeCodeList")
    for group, allowed in codelists.EXEMPTION_GROUPS.items():
        assert codelists.values(group)
        assert allowed <= types
