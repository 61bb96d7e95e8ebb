"""Fixtures for the application-response tests: parties, fresh responses, GİB's checker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from efatura_kontrol.kontrol import kontrol_et

from entegrator.ubl.responses import (
    Address,
    BusinessResponse,
    ResponseParty,
    SystemResponse,
    new_business_response,
    new_system_response,
)

INVOICE_ETTN = "2d07cab5-bf97-4af5-96f8-ab45671a5e2e"
ENVELOPE_ID = "e002da78-223f-438c-addb-16badeb047b5"
ISSUED_AT = datetime(2024, 3, 4, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def buyer() -> ResponseParty:
    return ResponseParty(
        "9205121120", name="BBB Limited Şirketi", address=Address("Kızılay", "Ankara")
    )


@pytest.fixture
def seller() -> ResponseParty:
    return ResponseParty(
        "1288331521",
        name="AAA Anonim Şirketi",
        address=Address("Beşiktaş", "İstanbul", street="Papatya Caddesi", postal_zone="34100"),
        tax_office="Büyük Mükellefler",
    )


@pytest.fixture
def person() -> ResponseParty:
    return ResponseParty("17291716060", first_name="Ayşe", family_name="Yılmaz")


@pytest.fixture
def kabul(buyer: ResponseParty, seller: ResponseParty) -> BusinessResponse:
    return new_business_response(
        "KABUL",
        sender=buyer,
        receiver=seller,
        invoice_ettn=INVOICE_ETTN,
        invoice_type="SATIS",
        invoice_issue_date=date(2024, 3, 1),
        issued_at=ISSUED_AT,
    )


@pytest.fixture
def red(buyer: ResponseParty, seller: ResponseParty) -> BusinessResponse:
    return new_business_response(
        "RED",
        sender=buyer,
        receiver=seller,
        invoice_ettn=INVOICE_ETTN,
        invoice_type="TEVKIFAT",
        invoice_issue_date=date(2024, 3, 1),
        issued_at=ISSUED_AT,
        reason="Fiyatlar satış anlaşmasına uygun değil",
    )


@pytest.fixture
def system(buyer: ResponseParty, seller: ResponseParty) -> SystemResponse:
    return new_system_response(
        1200,
        envelope_id=ENVELOPE_ID,
        envelope_type="SENDERENVELOPE",
        envelope_issue_date=date(2024, 3, 1),
        sender=buyer,
        receiver=seller,
        issued_at=ISSUED_AT,
    )


Findings = Callable[[bytes], list[tuple[str, str]]]


@pytest.fixture(scope="session")
def gib_findings() -> Findings:
    """Run efatura-kontrol (GİB XSD + schematron) and return (severity, code) pairs."""

    def run(data: bytes) -> list[tuple[str, str]]:
        return [(finding.seviye, finding.kod) for finding in kontrol_et(data).bulgular]

    return run
