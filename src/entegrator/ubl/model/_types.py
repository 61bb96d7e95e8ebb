"""Field types of the invoice model: texts, amounts, codes and identifiers.

Every type validates strictly by default: identifiers pass their check digits, codes must be
in GİB's code lists (:mod:`entegrator.ubl.codelists`), amounts are non-negative with at
most two decimals. The parser reads documents written by others with the :data:`LENIENT`
validation context, where only the structure is checked (any text, any number), so that a
foreign invoice always becomes a model; building such a model re-checks it strictly.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Annotated, Final

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    ValidationInfo,
    WithJsonSchema,
)
from stdnum import iban as _stdnum_iban
from stdnum.exceptions import ValidationError as _StdnumError

from entegrator.ubl import codelists
from entegrator.ubl.identifiers import alias, ettn, invoice_id, party, tckn, vkn

__all__ = [
    "LENIENT",
    "AccountId",
    "Alias",
    "Base64Content",
    "ChannelCode",
    "CountryCode",
    "CurrencyCode",
    "Ettn",
    "ExchangeRateValue",
    "ExemptionCode",
    "IncotermsCode",
    "InvoiceNumber",
    "MimeCode",
    "Money",
    "OptText",
    "PackagingTypeCode",
    "PartyIdScheme",
    "PaymentMeansCode",
    "Percent",
    "Quantity",
    "SignedMoney",
    "TaxTypeCode",
    "Tckn",
    "Text",
    "TransportModeCode",
    "UnitCode",
    "UnitPrice",
    "Vkn",
    "VknOrTckn",
    "WithholdingCode",
    "WithholdingPercent",
    "is_lenient",
]

#: Validation context for documents written by others (see the module docstring).
LENIENT: Final[Mapping[str, bool]] = MappingProxyType({"lenient": True})

_MAX_WHOLE_DIGITS: Final = 15  # GİB's decimalCheck: at most 15 digits before the point
_IBAN_LIKE: Final = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+")
#: Characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML: Final = re.compile(r"[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def is_lenient(info: ValidationInfo) -> bool:
    """True when validating with the :data:`LENIENT` context."""
    context = info.context
    return isinstance(context, Mapping) and bool(context.get("lenient"))


# --- texts -----------------------------------------------------------------------------


def _non_blank(value: str, info: ValidationInfo) -> str:
    if not value and not is_lenient(info):
        raise ValueError("boş olamaz")
    bad = _NOT_XML.search(value)
    if bad is not None:
        raise ValueError(f"XML'de kullanılamayan karakter içeriyor (U+{ord(bad.group()):04X})")
    return value


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


#: A required text; surrounding whitespace is removed (GİB's ``normalize-space``).
Text = Annotated[str, AfterValidator(_non_blank)]
#: An optional text; an empty or blank string counts as absent.
OptText = Annotated[Text | None, BeforeValidator(_blank_to_none)]


# --- numbers ---------------------------------------------------------------------------


def _number_check(
    label: str,
    *,
    places: int,
    minimum: Decimal | None = None,
    exclusive: bool = False,
    maximum: Decimal | None = None,
) -> AfterValidator:
    def check(value: Decimal, info: ValidationInfo) -> Decimal:
        if is_lenient(info):
            return value
        if minimum is not None and exclusive and value <= minimum:
            raise ValueError(f"{label} {minimum} değerinden büyük olmalı")
        if minimum is not None and value < minimum:
            raise ValueError(f"{label} en az {minimum} olmalı")
        if maximum is not None and value > maximum:
            raise ValueError(f"{label} en çok {maximum} olabilir")
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise ValueError(f"{label} en çok {places} ondalık basamak içerebilir")
        if value.adjusted() >= _MAX_WHOLE_DIGITS:
            raise ValueError(f"{label} noktadan önce en çok {_MAX_WHOLE_DIGITS} basamak olabilir")
        return value

    return AfterValidator(check)


_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

#: A money amount in the document currency: ≥ 0, at most 2 decimals.
Money = Annotated[
    Decimal,
    _number_check("Tutar", places=2, minimum=_ZERO),
    Field(description="Tutar (≥ 0, en çok 2 ondalık)", examples=["1250.00"]),
]
#: A money amount that may be negative (payable rounding).
SignedMoney = Annotated[
    Decimal,
    _number_check("Tutar", places=2),
    Field(description="Tutar (eksi olabilir, en çok 2 ondalık)", examples=["-0.40"]),
]
#: An invoiced quantity: > 0, at most 8 decimals.
Quantity = Annotated[
    Decimal,
    _number_check("Miktar", places=8, minimum=_ZERO, exclusive=True),
    Field(description="Miktar (> 0)", examples=["12", "2.5"]),
]
#: A unit price: ≥ 0, at most 8 decimals.
UnitPrice = Annotated[
    Decimal,
    _number_check("Birim fiyat", places=8, minimum=_ZERO),
    Field(description="Birim fiyat (≥ 0, en çok 8 ondalık)", examples=["825.50"]),
]
#: A percentage 0–100 with at most 4 decimals (tax rates, discount rates).
Percent = Annotated[
    Decimal,
    _number_check("Oran", places=4, minimum=_ZERO, maximum=_HUNDRED),
    Field(description="Yüzde oranı (0–100)", examples=["20"]),
]
#: A withholding (tevkifat) percentage: a whole number, as GİB compares code + percent as text.
WithholdingPercent = Annotated[
    Decimal,
    _number_check("Tevkifat oranı", places=0, minimum=_ZERO, maximum=_HUNDRED),
    Field(description="Tevkifat oranı, tam sayı yüzde (ör. 9/10 için 90)", examples=["90"]),
]
#: An exchange rate: > 0, at most 6 decimals (GİB's ``CurrencyCodeCheck``).
ExchangeRateValue = Annotated[
    Decimal,
    _number_check("Kur", places=6, minimum=_ZERO, exclusive=True),
    Field(description="1 birim belge para biriminin TRY karşılığı", examples=["34.125"]),
]


# --- codes -----------------------------------------------------------------------------


def _code(list_name: str, label: str) -> AfterValidator:
    def check(value: str, info: ValidationInfo) -> str:
        if is_lenient(info) or codelists.is_valid(list_name, value):
            return value
        raise ValueError(f"{label} GİB'in {list_name} kod listesinde yok: {value!r}")

    return AfterValidator(check)


CurrencyCode = Annotated[
    str,
    _code("CurrencyCodeList", "Para birimi"),
    Field(description="ISO 4217 para birimi", examples=["TRY"]),
]
UnitCode = Annotated[
    str,
    _code("UnitCodeList", "Birim kodu"),
    Field(description="UN/ECE Rec 20 birim kodu", examples=["C62"]),
]
CountryCode = Annotated[
    str,
    _code("CountryCodeList", "Ülke kodu"),
    Field(description="ISO 3166-1 alfa-2 ülke kodu", examples=["TR"]),
]
TaxTypeCode = Annotated[
    str,
    _code("TaxType", "Vergi türü kodu"),
    Field(description="GİB vergi türü kodu", examples=["0015"]),
]
WithholdingCode = Annotated[
    str,
    _code("WithholdingTaxType", "Tevkifat kodu"),
    Field(description="GİB KDV tevkifat kodu (601–627, 801–825)", examples=["606"]),
]
ExemptionCode = Annotated[
    str,
    _code("TaxExemptionReasonCodeType", "İstisna kodu"),
    Field(description="GİB vergi istisna/muafiyet kodu", examples=["301"]),
]
PaymentMeansCode = Annotated[
    str,
    _code("PaymentMeansCodeTypeList", "Ödeme şekli kodu"),
    Field(description="UN/ECE 4461 ödeme şekli kodu", examples=["42"]),
]
ChannelCode = Annotated[
    str,
    _code("ChannelCodeList", "Ödeme kanalı kodu"),
    Field(description="Ödeme kanalı kodu", examples=["EM"]),
]
IncotermsCode = Annotated[
    str,
    _code("DeliveryTermCodeList", "Teslim şartı"),
    Field(description="INCOTERMS teslim şartı", examples=["CIF"]),
]
TransportModeCode = Annotated[
    str,
    _code("TransportModeCodeList", "Taşıma şekli"),
    Field(description="UN/ECE 19 gönderim şekli kodu", examples=["1"]),
]
PackagingTypeCode = Annotated[
    str,
    _code("PackageTypeCodeList", "Kap cinsi"),
    Field(description="UN/ECE 21 kap cinsi kodu", examples=["CT"]),
]
MimeCode = Annotated[
    str,
    _code("MimeCodeList", "MIME türü"),
    Field(description="Ekin MIME türü", examples=["application/pdf"]),
]
PartyIdScheme = Annotated[
    str,
    _code("PartyIdentificationIDType", "Kimlik türü"),
    Field(description="Ek taraf kimliği türü (schemeID)", examples=["MERSISNO"]),
]


# --- identifiers -----------------------------------------------------------------------


def _identifier(check: Callable[[str], str]) -> AfterValidator:
    def validate(value: str, info: ValidationInfo) -> str:
        return value if is_lenient(info) else check(value)

    return AfterValidator(validate)


Vkn = Annotated[
    str,
    _identifier(vkn.validate),
    Field(description="Vergi Kimlik Numarası (10 hane)", examples=["4540536920"]),
]
Tckn = Annotated[
    str,
    _identifier(tckn.validate),
    Field(description="T.C. Kimlik Numarası (11 hane)", examples=["17291716060"]),
]
VknOrTckn = Annotated[
    str,
    _identifier(party.validate),
    Field(description="VKN (10 hane) ya da TCKN (11 hane)", examples=["4540536920"]),
]
InvoiceNumber = Annotated[
    str,
    _identifier(invoice_id.validate),
    Field(
        description="Fatura numarası: 3 karakter seri + yıl + 9 haneli sıra no",
        examples=["ABC2025000000001"],
    ),
]
Ettn = Annotated[
    str,
    _identifier(ettn.validate),
    Field(description="ETTN (UUID)", examples=["5c2365ea-077b-4835-b19f-4b9caf1256a2"]),
]
Alias = Annotated[
    str,
    _identifier(alias.normalize),
    Field(
        description="GİB etiketi (posta kutusu / gönderici birim)",
        examples=["urn:mail:defaultpk@firma.com.tr"],
    ),
]


def _account_id(value: str) -> str:
    number = "".join(value.split()).upper()
    if _IBAN_LIKE.fullmatch(number):
        try:
            return str(_stdnum_iban.validate(number))
        except _StdnumError as exc:
            raise ValueError(f"IBAN geçersiz: {value!r}") from exc
    return value


#: A bank account: an IBAN (checked, spaces removed) or a plain account number.
AccountId = Annotated[
    str,
    AfterValidator(_non_blank),
    _identifier(_account_id),
    Field(description="IBAN ya da hesap numarası", examples=["TR330006100519786457841326"]),
]


# --- binary content --------------------------------------------------------------------


def _decode_base64(value: object) -> object:
    if isinstance(value, str):
        try:
            return base64.b64decode("".join(value.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("base64 ile kodlanmış içerik geçersiz") from exc
    return value


#: Binary content: raw ``bytes`` in Python, a base64 string in JSON (and accepted as input).
Base64Content = Annotated[
    bytes,
    BeforeValidator(_decode_base64),
    PlainSerializer(lambda data: base64.b64encode(data).decode("ascii"), when_used="json"),
    WithJsonSchema({"type": "string", "contentEncoding": "base64"}),
]
