"""Tests for entegrator.ubl.model._types (field types: strict by default, lenient on request)."""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

from entegrator.ubl.model._types import (
    LENIENT,
    AccountId,
    Alias,
    Base64Content,
    CurrencyCode,
    Ettn,
    ExemptionCode,
    InvoiceNumber,
    Money,
    OptText,
    Percent,
    Quantity,
    TaxTypeCode,
    Tckn,
    Text,
    UnitCode,
    Vkn,
    WithholdingPercent,
)


def _field(kind: Any) -> type[BaseModel]:
    class Holder(BaseModel):
        model_config = ConfigDict(str_strip_whitespace=True)
        value: kind

    return Holder


def _message(kind: Any, value: object) -> str:
    with pytest.raises(ValidationError) as caught:
        _field(kind).model_validate({"value": value})
    return str(caught.value.errors()[0]["ctx"]["error"])


def test_vkn_with_wrong_check_digit_is_refused() -> None:
    assert "kontrol hanesi" in _message(Vkn, "4540536921")


def test_vkn_is_compacted() -> None:
    assert _field(Vkn)(value="454 053 6920").value == "4540536920"


def test_lenient_context_skips_the_check_digit() -> None:
    holder = _field(Vkn).model_validate({"value": "1288331521"}, context=LENIENT)
    assert holder.value == "1288331521"


def test_tckn_with_wrong_check_digits_is_refused() -> None:
    assert "TCKN" in _message(Tckn, "17291716061")


@pytest.mark.parametrize(
    ("kind", "value", "list_name"),
    [
        (UnitCode, "XYZ", "UnitCodeList"),
        (CurrencyCode, "TRL", "CurrencyCodeList"),
        (TaxTypeCode, "9999", "TaxType"),
        (ExemptionCode, "999", "TaxExemptionReasonCodeType"),
    ],
)
def test_codes_outside_gib_lists_are_refused(kind: Any, value: str, list_name: str) -> None:
    message = _message(kind, value)
    assert list_name in message
    assert repr(value) in message


def test_codes_outside_gib_lists_pass_when_lenient() -> None:
    holder = _field(CurrencyCode).model_validate({"value": "TRL"}, context=LENIENT)
    assert holder.value == "TRL"


def test_invoice_number_format_is_checked() -> None:
    assert "Fatura numarası" in _message(InvoiceNumber, "ABC202500000001")


def test_ettn_format_is_checked() -> None:
    assert "ETTN" in _message(Ettn, "not-a-uuid")


def test_alias_gets_the_urn_mail_prefix() -> None:
    assert _field(Alias)(value="pk@firma.com.tr").value == "urn:mail:pk@firma.com.tr"


def test_iban_is_compacted_and_checked() -> None:
    holder = _field(AccountId)(value="tr33 0006 1005 1978 6457 8413 26")
    assert holder.value == "TR330006100519786457841326"
    assert "IBAN" in _message(AccountId, "TR330006100519786457841327")


def test_plain_account_numbers_are_kept() -> None:
    assert _field(AccountId)(value="5652214414").value == "5652214414"


def test_money_allows_two_decimals_only() -> None:
    assert _field(Money)(value="10.50").value == Decimal("10.50")
    assert "2 ondalık" in _message(Money, "10.505")


def test_money_cannot_be_negative() -> None:
    assert "en az 0" in _message(Money, "-1")


def test_quantity_must_be_positive() -> None:
    assert "büyük olmalı" in _message(Quantity, "0")


def test_percent_is_at_most_hundred() -> None:
    assert "en çok 100" in _message(Percent, "100.5")


def test_withholding_percent_is_a_whole_number() -> None:
    assert "ondalık" in _message(WithholdingPercent, "90.5")


def test_huge_amounts_are_refused() -> None:
    assert "15 basamak" in _message(Money, "1" + "0" * 15)


def test_required_text_cannot_be_blank() -> None:
    assert _message(Text, "   ") == "boş olamaz"


def test_blank_optional_text_becomes_none() -> None:
    assert _field(OptText)(value="  ").value is None


def test_base64_content_is_decoded_from_text_and_kept_as_bytes() -> None:
    holder = _field(Base64Content)
    assert holder(value=base64.b64encode(b"\x00\x01").decode()).value == b"\x00\x01"
    assert holder(value=b"raw").value == b"raw"


def test_base64_content_is_encoded_in_json() -> None:
    assert _field(Base64Content)(value=b"abc").model_dump_json() == '{"value":"YWJj"}'


def test_broken_base64_is_refused() -> None:
    assert "base64" in _message(Base64Content, "***")


def test_control_characters_are_refused() -> None:
    assert "U+0001" in _message(Text, "Kla\x01vye")
