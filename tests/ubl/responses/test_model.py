"""Tests for entegrator.ubl.responses.model."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from entegrator.ubl import status_codes
from entegrator.ubl.identifiers import ettn
from entegrator.ubl.responses import (
    BusinessResponse,
    DocumentReference,
    ResponseError,
    ResponseParty,
    SystemResponse,
    new_business_response,
    new_system_response,
)

INVOICE_ETTN = "2d07cab5-bf97-4af5-96f8-ab45671a5e2e"  # the same as in conftest.py


def test_business_factory_fills_generated_parts(kabul: BusinessResponse) -> None:
    generated = [kabul.id, kabul.uuid, kabul.reference_id, kabul.lines[0].reference_id]
    assert all(ettn.is_valid(value) for value in generated)
    assert len(set(generated)) == 4


def test_business_factory_writes_one_whole_document_line(red: BusinessResponse) -> None:
    (line,) = red.lines
    assert (line.line_id, line.code, line.description) == ("", "RED", red.reason)


def test_business_factory_references_the_invoice_by_ettn(red: BusinessResponse) -> None:
    assert red.invoice == DocumentReference(INVOICE_ETTN, date(2024, 3, 1), "TEVKIFAT", "TEVKIFAT")


def test_kabul_gets_a_default_reason(kabul: BusinessResponse) -> None:
    assert kabul.reason == "Fatura kabul edildi."


def test_signatory_defaults_to_the_sender(kabul: BusinessResponse) -> None:
    assert kabul.signatory == kabul.sender


def test_issue_time_is_turkish_time_without_fraction(kabul: BusinessResponse) -> None:
    assert (kabul.issue_date, kabul.issue_time) == (date(2024, 3, 4), time(12, 30, 15))


def test_issue_date_rolls_over_in_turkish_time(buyer: ResponseParty, seller: ResponseParty) -> None:
    late = datetime(2024, 3, 4, 22, 0, tzinfo=timezone(timedelta(hours=0)))
    response = new_system_response(
        1000,
        envelope_id=INVOICE_ETTN,
        envelope_type="POSTBOXENVELOPE",
        envelope_issue_date=date(2024, 3, 4),
        sender=buyer,
        receiver=seller,
        issued_at=late,
    )
    assert (response.issue_date, response.issue_time) == (date(2024, 3, 5), time(1, 0))


def test_naive_datetime_is_refused(buyer: ResponseParty, seller: ResponseParty) -> None:
    with pytest.raises(ResponseError, match="saat dilimi"):
        new_business_response(
            "KABUL",
            sender=buyer,
            receiver=seller,
            invoice_ettn=INVOICE_ETTN,
            invoice_type="SATIS",
            invoice_issue_date=date(2024, 3, 1),
            issued_at=datetime(2024, 3, 4, 9, 30),
        )


def test_system_factory_uses_gibs_label(system: SystemResponse) -> None:
    assert (system.status, system.status_description) == ("1200", "ZARF BASARIYLA ISLENDI")
    assert system.status_code is status_codes.status(1200)


def test_system_factory_refuses_unknown_status(buyer: ResponseParty, seller: ResponseParty) -> None:
    with pytest.raises(ResponseError, match="1199"):
        new_system_response(
            1199,
            envelope_id=INVOICE_ETTN,
            envelope_type="SENDERENVELOPE",
            envelope_issue_date=date(2024, 3, 1),
            sender=buyer,
            receiver=seller,
            issued_at=datetime(2024, 3, 4, tzinfo=UTC),
        )


@pytest.mark.parametrize("status", ["KABUL", None, "", "12OO"])
def test_status_code_is_none_for_undefined_status(
    system: SystemResponse, status: str | None
) -> None:
    assert dataclasses.replace(system, status=status).status_code is None


@pytest.mark.parametrize(
    ("identifier", "scheme"),
    [("9205121120", "VKN"), ("17291716060", "TCKN"), ("123", None), ("", None)],
)
def test_party_scheme_follows_length(identifier: str, scheme: str | None) -> None:
    assert ResponseParty(identifier).scheme == scheme


@pytest.mark.parametrize(
    ("identifier", "as_ettn", "as_number"),
    [
        (INVOICE_ETTN, INVOICE_ETTN, None),
        ("GIB2009000000011", None, "GIB2009000000011"),
        ("Yanıta konu olan Fatura UUID(ETTN)", None, None),
    ],
)
def test_document_reference_tells_ettn_from_invoice_number(
    identifier: str, as_ettn: str | None, as_number: str | None
) -> None:
    reference = DocumentReference(identifier)
    assert (reference.ettn, reference.invoice_number) == (as_ettn, as_number)


def test_models_are_frozen(kabul: BusinessResponse) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        kabul.code = "RED"  # type: ignore[misc]
