"""Header rules: dates, number, currency, scenario/type combinations, return references.

Sources: schematron ``InvoiceTypeCodeCheck``, ``IADEInvioceCheck``, ``TimeCheck``,
``CurrencyCodeCheck``, ``IlacTibbiCihaz/YatirimTesvik/IdisInvoiceTypeCodeCheck``,
``HKSInvioceCheck`` (gib-protocol.md §4.4–4.6).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from typing import Final

from entegrator.ubl.errors import Problem
from entegrator.ubl.identifiers import invoice_id
from entegrator.ubl.model import Invoice, InvoiceType, Profile
from entegrator.ubl.totals import InvoiceTotals

__all__ = ["RETURN_TYPES", "RULES"]

_FIRST_DATE: Final = date(2005, 1, 1)
#: Turkey's time zone (UTC+3 all year since 2016): "today" is Turkey's today, as at GİB.
_TURKEY: Final = timezone(timedelta(hours=3), "TRT")
_T = InvoiceType
_P = Profile

#: Invoice types that return an earlier invoice and must reference it.
RETURN_TYPES: Final = frozenset({_T.IADE, _T.TEVKIFATIADE, _T.YTBIADE, _T.YTBTEVKIFATIADE})

#: Scenarios that admit only some invoice types (GİB's per-scenario type checks).
_TYPES_OF_PROFILE: Final = {
    _P.ILAC_TIBBICIHAZ: frozenset(
        {_T.SATIS, _T.ISTISNA, _T.TEVKIFAT, _T.TEVKIFATIADE, _T.IADE, _T.IHRACKAYITLI}
    ),
    _P.IDIS: frozenset(
        {_T.SATIS, _T.ISTISNA, _T.IADE, _T.TEVKIFAT, _T.TEVKIFATIADE, _T.IHRACKAYITLI}
    ),
    _P.ENERJI: frozenset({_T.SARJ, _T.SARJANLIK}),
}
#: Invoice types that admit only some scenarios.
_PROFILES_OF_TYPE: Final = {
    _T.IADE: frozenset(
        {_P.TEMELFATURA, _P.EARSIVFATURA, _P.ILAC_TIBBICIHAZ, _P.YATIRIMTESVIK, _P.IDIS}
    ),
    _T.SARJ: frozenset({_P.ENERJI, _P.EARSIVFATURA}),
    _T.SARJANLIK: frozenset({_P.ENERJI, _P.EARSIVFATURA}),
    _T.TEKNOLOJIDESTEK: frozenset({_P.EARSIVFATURA}),
    **{
        t: frozenset({_P.EARSIVFATURA})
        for t in (_T.YTBSATIS, _T.YTBIADE, _T.YTBISTISNA, _T.YTBTEVKIFAT, _T.YTBTEVKIFATIADE)
    },
}
#: Scenarios whose GİB-specific fields this model does not carry yet.
_UNSUPPORTED_PROFILES: Final = frozenset({_P.YATIRIMTESVIK})


def _dates(invoice: Invoice, _: InvoiceTotals) -> Iterator[Problem]:
    if invoice.issue_date < _FIRST_DATE:
        yield Problem("issue_date", "düzenleme tarihi 01.01.2005'ten önce olamaz")
    if invoice.issue_date > datetime.now(_TURKEY).date():
        yield Problem(
            "issue_date", f"düzenleme tarihi ileri bir tarih olamaz: {invoice.issue_date}"
        )
    if invoice.number is not None and invoice_id.is_valid(invoice.number):
        year = invoice_id.split(invoice.number)[1]
        if year != invoice.issue_date.year:
            yield Problem(
                "number",
                f"fatura numarasındaki yıl ({year}) düzenleme tarihinin yılı "
                f"({invoice.issue_date.year}) ile aynı olmalı",
            )


def _currency(invoice: Invoice, _: InvoiceTotals) -> Iterator[Problem]:
    if invoice.currency != "TRY" and invoice.exchange_rate is None:
        yield Problem("exchange_rate", f"{invoice.currency} faturada döviz kuru zorunlu")
    if invoice.currency == "TRY" and invoice.exchange_rate is not None:
        yield Problem("exchange_rate", "TRY faturada döviz kuru verilmez")


def _scenario(invoice: Invoice, _: InvoiceTotals) -> Iterator[Problem]:
    profile, kind = invoice.profile, invoice.invoice_type
    if profile in _UNSUPPORTED_PROFILES:
        yield Problem("profile", f"{profile} senaryosu henüz desteklenmiyor")
    allowed_types = _TYPES_OF_PROFILE.get(profile)
    if allowed_types is not None and kind not in allowed_types:
        names = ", ".join(sorted(allowed_types))
        yield Problem("invoice_type", f"{profile} senaryosunda fatura tipi {names} olabilir")
    allowed_profiles = _PROFILES_OF_TYPE.get(kind)
    if allowed_profiles is not None and profile not in allowed_profiles:
        names = ", ".join(sorted(allowed_profiles))
        yield Problem("profile", f"{kind} tipi fatura yalnız {names} senaryosunda olabilir")


def _returns(invoice: Invoice, _: InvoiceTotals) -> Iterator[Problem]:
    if invoice.invoice_type in RETURN_TYPES and not invoice.billing_references:
        yield Problem(
            "billing_references",
            f"{invoice.invoice_type} faturası iade edilen faturayı (billing_references) göstermeli",
        )
    if invoice.invoice_type not in RETURN_TYPES:
        return
    for index, reference in enumerate(invoice.billing_references):
        path = f"billing_references[{index}]"
        if reference.type_code not in ("IADE", "İADE"):
            yield Problem(f"{path}.type_code", "iade faturasında belge türü kodu IADE olmalı")
        if not invoice_id.is_valid(reference.number):
            yield Problem(
                f"{path}.number", f"iade edilen faturanın numarası geçersiz: {reference.number!r}"
            )


def _documents(invoice: Invoice, _: InvoiceTotals) -> Iterator[Problem]:
    for index, document in enumerate(invoice.additional_documents):
        if (document.document_type or "").upper() == "XSLT":
            yield Problem(
                f"additional_documents[{index}].document_type",
                "görüntüleme XSLT'si ek belge olarak değil stylesheet alanında verilir",
            )


def _lines(invoice: Invoice, _: InvoiceTotals) -> Iterator[Problem]:
    seen: set[str] = set()
    for index, line in enumerate(invoice.lines):
        line_id = line.id or str(index + 1)
        if line_id in seen:
            yield Problem(f"lines[{index}].id", f"satır numarası tekrar ediyor: {line_id}")
        seen.add(line_id)
        if invoice.profile == Profile.HKS and not any(
            item.scheme == "KUNYENO" and len(item.value) == 19 for item in line.additional_item_ids
        ):
            yield Problem(
                f"lines[{index}].additional_item_ids",
                "HKS faturasında her satırda 19 karakterli KUNYENO olmalı",
            )


RULES: Final = (_dates, _currency, _scenario, _returns, _documents, _lines)
