"""GİB's UBL-TR code lists, read from the package efatura-kontrol ships — never retyped.

The values come from GİB's ``UBL-TR_Codelist.xml`` (schematron ``let`` variables) as
efatura-kontrol publishes them in ``efatura_kontrol/ekler/kodlar.json``; the lists keep GİB's
names (``TaxType``, ``WithholdingTaxTypeWithPercent``, ``istisnaTaxExemptionReasonCodeType`` …).
The code lists carry no names for codes, so the human-readable names of tax types,
withholding codes and exemption reasons live in small data files under ``ubl/data/`` with
their source (GİB's "UBL-TR Kod Listeleri" guide); tests check that their codes match GİB's
lists exactly.

Each file is read once per process on first use (a documented, read-only cache).

>>> is_valid("TaxType", "0015"), tax_name("0015")
(True, 'KDV')
>>> withholding_percent_allowed("601", 40), withholding_percent_allowed("601", 50)
(True, False)
>>> sorted(exemption_invoice_types("801"))
['IADE', 'OZELMATRAH', 'SGK']
>>> values("NoSuchList")
Traceback (most recent call last):
...
entegrator.ubl.codelists.UnknownCode: Bilinmeyen kod listesi 'NoSuchList'; bilinen listeler: ...
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

from entegrator.errors import NotFound

__all__ = [
    "EXEMPTION_GROUPS",
    "UnknownCode",
    "description",
    "exemption_codes_for",
    "exemption_invoice_types",
    "exemption_reason_name",
    "is_valid",
    "names",
    "tax_long_name",
    "tax_name",
    "values",
    "withholding_name",
    "withholding_percent_allowed",
]

_SOURCE_PACKAGE: Final = "efatura_kontrol"

#: Which invoice types (``cbc:InvoiceTypeCode``) may use the exemption codes of each GİB list,
#: from the schematron rule ``TaxExemptionReasonCodeCheck`` (UBL-TR_Common_Schematron.xml).
#: Codes outside these lists (e.g. 151, 555) carry no invoice-type restriction there.
EXEMPTION_GROUPS: Final = MappingProxyType(
    {
        "istisnaTaxExemptionReasonCodeType": frozenset(
            {"ISTISNA", "IADE", "IHRACKAYITLI", "SGK", "YTBISTISNA", "YTBIADE"}
        ),
        "ozelMatrahTaxExemptionReasonCodeType": frozenset({"OZELMATRAH", "IADE", "SGK"}),
        "ihracExemptionReasonCodeType": frozenset({"IHRACKAYITLI", "IADE", "SGK"}),
    }
)


class UnknownCode(NotFound, KeyError):
    """A code list or a code in it does not exist (a :class:`KeyError`, too)."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return self.message


def _read_json(package: str, path: str) -> dict[str, Any]:
    data = resources.files(package).joinpath(path).read_text(encoding="utf-8")
    result: dict[str, Any] = json.loads(data)
    return result


@cache
def _lists() -> MappingProxyType[str, frozenset[str]]:
    raw = _read_json(_SOURCE_PACKAGE, "ekler/kodlar.json")["listeler"]
    return MappingProxyType({name: frozenset(codes) for name, codes in raw.items()})


@cache
def _descriptions() -> MappingProxyType[str, str]:
    return MappingProxyType(_read_json(_SOURCE_PACKAGE, "ekler/aciklamalar.json")["listeler"])


@cache
def _names(file: str, key: str) -> MappingProxyType[str, dict[str, str]]:
    return MappingProxyType(_read_json("entegrator.ubl", f"data/{file}")[key])


def names() -> tuple[str, ...]:
    """The names of all code lists, sorted."""
    return tuple(sorted(_lists()))


def values(list_name: str) -> frozenset[str]:
    """All codes of GİB's list ``list_name``; :class:`UnknownCode` for an unknown list."""
    try:
        return _lists()[list_name]
    except KeyError:
        raise UnknownCode(
            f"Bilinmeyen kod listesi {list_name!r}; bilinen listeler: {', '.join(names())}"
        ) from None


def is_valid(list_name: str, value: object) -> bool:
    """True if ``value`` is a code of ``list_name`` (exact, case-sensitive, as GİB compares)."""
    return isinstance(value, str) and value in values(list_name)


def description(list_name: str) -> str:
    """A short Turkish description of the list (what it is used for), or its name."""
    values(list_name)
    return _descriptions().get(list_name, list_name)


def _tax_entry(code: str) -> dict[str, str]:
    entry = _names("tax_types.json", "tax_types").get(code)
    if entry is None:
        raise UnknownCode(f"Bilinmeyen vergi türü kodu {code!r} (TaxType listesi)")
    return entry


def tax_name(code: str) -> str:
    """The name written to ``cac:TaxScheme/cbc:Name`` for tax type ``code`` (``0015`` → ``KDV``)."""
    return _tax_entry(code)["scheme_name"]


def tax_long_name(code: str) -> str:
    """The full name of tax type ``code`` as GİB's code-list guide writes it."""
    return _tax_entry(code)["name"]


def withholding_name(code: str) -> str:
    """The name of withholding (tevkifat) code ``code`` (601–627, 801–825)."""
    entry = _names("withholding.json", "withholding").get(code)
    if entry is None:
        raise UnknownCode(f"Bilinmeyen tevkifat kodu {code!r} (WithholdingTaxType listesi)")
    return entry["name"]


def withholding_percent_allowed(code: str, percent: int | Decimal) -> bool:
    """True if GİB allows withholding ``code`` with ``percent`` (``WithholdingTaxTypeWithPercent``).

    GİB compares the text ``code + cbc:Percent``, so the percent must be a whole number and
    the builder must write it without decimals (``40``, not ``40.00``).
    """
    if isinstance(percent, bool) or not isinstance(percent, int | Decimal):
        return False
    if isinstance(percent, Decimal) and not (
        percent.is_finite() and percent == percent.to_integral_value()
    ):
        return False
    return f"{code}{int(percent)}" in values("WithholdingTaxTypeWithPercent")


def exemption_reason_name(code: str) -> str | None:
    """The name of exemption reason ``code`` (``cbc:TaxExemptionReason``), None if unknown."""
    entry = _names("exemption_reasons.json", "exemption_reasons").get(code)
    return None if entry is None else entry["name"]


def exemption_invoice_types(code: str) -> frozenset[str] | None:
    """Invoice types allowed with exemption ``code``; None when GİB restricts none.

    The union over every GİB list that contains ``code`` (see :data:`EXEMPTION_GROUPS`).
    """
    allowed = [types for group, types in EXEMPTION_GROUPS.items() if code in values(group)]
    return frozenset().union(*allowed) if allowed else None


def exemption_codes_for(invoice_type: str) -> frozenset[str]:
    """Exemption codes whose GİB list admits ``invoice_type`` (e.g. ``OZELMATRAH`` → 801–812).

    Codes without an invoice-type restriction (151, 555 …) are not included.
    """
    codes = [values(group) for group, types in EXEMPTION_GROUPS.items() if invoice_type in types]
    return frozenset().union(*codes)
