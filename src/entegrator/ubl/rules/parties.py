"""Scenario rules on parties and payment: IHRACAT, YOLCUBERABERFATURA, KAMU.

Sources: schematron ``IhracatYolcuBeraberCheck``, ``OfficelTitleCheck``, ``PartyVDCheck``,
``LineDeliveryCheck``, ``PriceAmountCheck``, ``TaxFreeNationalityIDCheck``, ``PassportIDCheck``,
``TaxRepresentativePartyCheck``, ``KamuFaturaCheck`` (gib-protocol.md §4.4). Export and
tax-free invoices are addressed to the customs authority (GTB), whose VKN is
:data:`GTB_VKN`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from entegrator.ubl.errors import Problem
from entegrator.ubl.model import Invoice, Profile
from entegrator.ubl.totals import InvoiceTotals

__all__ = ["GTB_VKN", "RULES"]

#: VKN of Gümrük ve Ticaret Bakanlığı, the customer of every export/tax-free invoice.
GTB_VKN: Final = "1460415308"
_TR_IBAN: Final = re.compile(r"TR\d{7}[A-Z0-9]{17}")
_BUYER_TYPE: Final = {Profile.IHRACAT: "EXPORT", Profile.YOLCUBERABERFATURA: "TAXFREE"}


def _buyer(invoice: Invoice, _: InvoiceTotals) -> Iterator[Problem]:
    expected = _BUYER_TYPE.get(invoice.profile)
    buyer = invoice.buyer_customer
    if expected is None:
        if buyer is not None:
            yield Problem(
                "buyer_customer", "asıl alıcı yalnız IHRACAT ve YOLCUBERABERFATURA'da verilir"
            )
        if invoice.tax_representative is not None:
            yield Problem("tax_representative", "aracı kurum yalnız YOLCUBERABERFATURA'da verilir")
        return
    if invoice.customer.vkn != GTB_VKN:
        yield Problem(
            "customer.vkn", f"{invoice.profile} faturasının alıcısı GTB ({GTB_VKN}) olmalı"
        )
    if buyer is None:
        yield Problem("buyer_customer", f"{invoice.profile} faturasında asıl alıcı zorunlu")
        return
    if buyer.party_type != expected:
        yield Problem(
            "buyer_customer.party_type", f"{invoice.profile} faturasında {expected} olmalı"
        )


def _export(invoice: Invoice, _: InvoiceTotals) -> Iterator[Problem]:
    if invoice.profile != Profile.IHRACAT:
        return
    if invoice.buyer_customer is not None and invoice.buyer_customer.name is None:
        yield Problem("buyer_customer.name", "ihracat faturasında alıcının unvanı zorunlu")
    if invoice.supplier.tax_office is None:
        yield Problem("supplier.tax_office", "ihracat faturasında satıcının vergi dairesi zorunlu")
    document = invoice.delivery
    for index, line in enumerate(invoice.lines):
        path = f"lines[{index}].delivery"
        own = line.delivery
        if own is None or own.gtip is None:
            yield Problem(f"{path}.gtip", "ihracat faturasında her satırda GTİP zorunlu")
        for field, label in (
            ("incoterms", "teslim şartı"),
            ("address", "teslim adresi"),
            ("transport_mode", "gönderim şekli"),
        ):
            if getattr(own, field, None) is None and getattr(document, field, None) is None:
                yield Problem(
                    f"{path}.{field}",
                    f"ihracat faturasında {label} satırda ya da belgede (delivery) verilmeli",
                )


def _tax_free(invoice: Invoice, _: InvoiceTotals) -> Iterator[Problem]:
    if invoice.profile != Profile.YOLCUBERABERFATURA:
        return
    buyer = invoice.buyer_customer
    if buyer is not None and buyer.traveller is None:
        yield Problem("buyer_customer.traveller", "yolcu beraberi faturada yolcu bilgisi zorunlu")
    if invoice.tax_representative is None:
        yield Problem("tax_representative", "yolcu beraberi faturada aracı kurum zorunlu")


def _public(invoice: Invoice, _: InvoiceTotals) -> Iterator[Problem]:
    if invoice.profile != Profile.KAMU:
        return
    accounts = [
        (index, means.payee_account)
        for index, means in enumerate(invoice.payment_means)
        if means.payee_account is not None
    ]
    if len(accounts) != 1:
        yield Problem(
            "payment_means",
            "KAMU faturasında alacaklı hesabı (payee_account) olan tam bir ödeme şekli olmalı",
        )
    for index, account in accounts:
        if not _TR_IBAN.fullmatch(account.id):
            yield Problem(
                f"payment_means[{index}].payee_account.id",
                f"KAMU faturasında geçerli bir Türkiye IBAN'ı olmalı: {account.id!r}",
            )


RULES: Final = (_buyer, _export, _tax_free, _public)
