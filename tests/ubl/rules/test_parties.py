"""Tests for entegrator.ubl.rules.parties (IHRACAT, YOLCUBERABERFATURA, KAMU)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from entegrator.ubl.errors import Problem
from entegrator.ubl.rules.parties import GTB_VKN

Problems = Callable[..., list[Problem]]
_ADDRESS = {"city_subdivision": "Mitte", "city": "Berlin", "country": "Almanya"}
_GTB = {"vkn": GTB_VKN, "name": "GTB", "address": {"city_subdivision": "Ulus", "city": "Ankara"}}


def _paths(found: list[Problem]) -> list[str]:
    return [problem.path for problem in found]


@pytest.fixture
def export(line: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    delivery = {
        "gtip": "020622000000",
        "incoterms": "CIF",
        "transport_mode": "1",
        "address": _ADDRESS,
    }
    return {
        "profile": "IHRACAT",
        "invoice_type": "ISTISNA",
        "customer": _GTB,
        "buyer_customer": {"party_type": "EXPORT", "name": "Buyer GmbH", "address": _ADDRESS},
        "lines": [line("10", {"percent": "0", "exemption_reason_code": "301"}, delivery=delivery)],
    }


def test_complete_export_passes(problems: Problems, export: dict[str, Any]) -> None:
    assert problems(**export) == []


def test_export_goes_to_gtb(
    problems: Problems, export: dict[str, Any], spec: dict[str, Any]
) -> None:
    assert _paths(problems(**{**export, "customer": spec["customer"]})) == ["customer.vkn"]


def test_export_needs_the_export_buyer(problems: Problems, export: dict[str, Any]) -> None:
    assert _paths(problems(**{**export, "buyer_customer": None})) == ["buyer_customer"]


def test_export_buyer_needs_a_name(problems: Problems, export: dict[str, Any]) -> None:
    buyer = {**export["buyer_customer"], "name": None}
    assert _paths(problems(**{**export, "buyer_customer": buyer})) == ["buyer_customer.name"]


def test_export_supplier_needs_a_tax_office(
    problems: Problems, export: dict[str, Any], spec: dict[str, Any]
) -> None:
    supplier = {**spec["supplier"], "tax_office": None}
    assert _paths(problems(**{**export, "supplier": supplier})) == ["supplier.tax_office"]


def test_export_line_needs_gtip_and_delivery_terms(
    problems: Problems, export: dict[str, Any], line: Callable[..., dict[str, Any]]
) -> None:
    bare = line("10", {"percent": "0", "exemption_reason_code": "301"})
    assert _paths(problems(**{**export, "lines": [bare]})) == [
        "lines[0].delivery.gtip",
        "lines[0].delivery.incoterms",
        "lines[0].delivery.address",
        "lines[0].delivery.transport_mode",
    ]


def test_export_delivery_terms_may_be_on_the_document(
    problems: Problems, export: dict[str, Any], line: Callable[..., dict[str, Any]]
) -> None:
    only_gtip = line(
        "10", {"percent": "0", "exemption_reason_code": "301"}, delivery={"gtip": "020622000000"}
    )
    document = {"incoterms": "FOB", "transport_mode": "3", "address": _ADDRESS}
    assert problems(**{**export, "lines": [only_gtip], "delivery": document}) == []


def test_buyer_customer_only_in_export_and_tax_free(problems: Problems) -> None:
    buyer = {"party_type": "EXPORT", "name": "X", "address": _ADDRESS}
    assert _paths(problems(buyer_customer=buyer)) == ["buyer_customer"]


def test_tax_free_needs_traveller_and_intermediary(
    problems: Problems, line: Callable[..., dict[str, Any]]
) -> None:
    found = problems(
        profile="YOLCUBERABERFATURA",
        invoice_type="ISTISNA",
        customer=_GTB,
        buyer_customer={"party_type": "TAXFREE", "address": _ADDRESS},
        lines=[line("10", {"percent": "20", "exemption_reason_code": "501"})],
    )
    assert _paths(found) == ["buyer_customer.traveller", "tax_representative"]


def test_tax_free_buyer_must_be_taxfree(problems: Problems, export: dict[str, Any]) -> None:
    found = problems(**{**export, "profile": "YOLCUBERABERFATURA"})
    assert "buyer_customer.party_type" in _paths(found)


def test_kamu_needs_a_turkish_iban(problems: Problems) -> None:
    means = [{"code": "42", "payee_account": {"id": "DE89370400440532013000"}}]
    found = problems(profile="KAMU", payment_means=means)
    assert _paths(found) == ["payment_means[0].payee_account.id"]


def test_kamu_needs_exactly_one_payee_account(problems: Problems) -> None:
    assert _paths(problems(profile="KAMU")) == ["payment_means"]


def test_kamu_with_iban_passes(problems: Problems) -> None:
    means = [{"code": "42", "payee_account": {"id": "TR330006100519786457841326"}}]
    assert problems(profile="KAMU", payment_means=means) == []
