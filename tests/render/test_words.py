"""Tests for entegrator.render.words (amount in words) and its copy in invoice.xslt."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from entegrator.render.errors import RenderError
from entegrator.render.stylesheets import own_transform
from entegrator.render.words import CURRENCY_NAMES, MAX_AMOUNT, amount_in_words
from entegrator.ubl import xml


def test_amount_in_words_lira_and_kurus() -> None:
    assert amount_in_words(Decimal("1234.50"), "TRY") == (
        "Bin İki Yüz Otuz Dört Türk Lirası Elli Kuruş"
    )


def test_amount_in_words_capitalises_dotted_i() -> None:
    assert amount_in_words(Decimal("2"), "TRY").startswith("İki ")


def test_amount_in_words_keeps_altmis_and_alti_apart() -> None:
    assert amount_in_words(Decimal("66"), "TRY") == "Altmış Altı Türk Lirası"


def test_amount_in_words_one_thousand_has_no_bir() -> None:
    assert amount_in_words(Decimal("1001"), "TRY") == "Bin Bir Türk Lirası"


def test_amount_in_words_one_million_has_bir() -> None:
    assert amount_in_words(Decimal("1000000"), "EUR") == "Bir Milyon Avro"


def test_amount_in_words_zero() -> None:
    assert amount_in_words(Decimal("0.07"), "USD") == "Sıfır ABD Doları Yedi Sent"


def test_amount_in_words_rounds_half_up_to_kurus() -> None:
    assert amount_in_words(Decimal("10.005"), "TRY") == "On Türk Lirası Bir Kuruş"


def test_amount_in_words_unknown_currency_uses_code_and_fraction() -> None:
    assert amount_in_words(Decimal("12.30"), "xau") == "On İki XAU 30/100"


@pytest.mark.parametrize("amount", [Decimal("-1"), MAX_AMOUNT, Decimal("NaN"), Decimal("Inf")])
def test_amount_in_words_refuses_out_of_range(amount: Decimal) -> None:
    with pytest.raises(RenderError):
        amount_in_words(amount, "TRY")


def _xslt_words(amount: Decimal, currency: str) -> str:
    """What invoice.xslt writes after "Yalnız:" when no words are passed in."""
    invoice = (
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        f"<cbc:DocumentCurrencyCode>{currency}</cbc:DocumentCurrencyCode>"
        "<cac:LegalMonetaryTotal>"
        f'<cbc:PayableAmount currencyID="{currency}">{amount}</cbc:PayableAmount>'
        "</cac:LegalMonetaryTotal></Invoice>"
    )
    page = own_transform("invoice")(xml.parse(invoice.encode()))
    div = page.getroot().xpath("//div[@class='yazi']")[0]
    text = " ".join(etree.tostring(div, method="text", encoding="unicode").split())
    return text.removeprefix("Yalnız: ")


@settings(max_examples=150, deadline=None)
@given(
    amount=st.one_of(
        st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2),
        st.integers(min_value=0, max_value=10**15 - 1).map(Decimal),
    ),
    currency=st.sampled_from([*CURRENCY_NAMES, "XAU", "JPY"]),
)
def test_xslt_spells_amounts_like_python(amount: Decimal, currency: str) -> None:
    assert _xslt_words(amount, currency) == amount_in_words(amount, currency)


def test_amount_in_words_past_a_trilyon_keeps_every_bir() -> None:
    assert amount_in_words(Decimal("1001001001001"), "TRY") == (
        "Bir Trilyon Bir Milyar Bir Milyon Bin Bir Türk Lirası"
    )
