"""Exceptions to the families' error codes (api.soap.errors.classify)."""

from __future__ import annotations

import datetime as dt

import pytest

from entegrator.api.protection import Throttled
from entegrator.api.soap.errors import (
    EDM_CODES,
    IZIBIZ_CODES,
    OIB_CODES,
    AlreadyDone,
    BadRequest,
    NotZip,
    TooLarge,
    Unsupported,
    classify,
)
from entegrator.core.auth import AccountLocked, AuthenticationFailed
from entegrator.core.errors import DuplicateDocument, InvalidState, NotRegisteredUser
from entegrator.core.sessions import SessionExpired
from entegrator.errors import NotFound, PermissionDenied, TransportError
from entegrator.validation import DocumentInvalid, ValidationReport
from entegrator.validation.findings import Finding, Layer

DUPLICATE = DuplicateDocument("var", ettn="0f1e…", number="ENT2024000000001")
LOCKED = AccountLocked("kilitli", locked_until=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize(("error", "izibiz", "oib", "edm"), [
    (AuthenticationFailed("x"), 10002, 10002, 2005),
    (LOCKED, 10002, 10002, 2005),
    (SessionExpired("x"), 10004, 10004, 10004),
    (Throttled("x", retry_after=3), 10018, 10018, 10018),
    (PermissionDenied("x"), 10006, 10006, 10006),
    (NotFound("x"), 10008, 10008, 10008),
    (DUPLICATE, 10009, 2005, 10009),
    (AlreadyDone("x"), 10011, 2005, 10011),
    (TooLarge("x"), 10010, 10010, 10010),
    (NotZip("x"), 10007, 10007, 10007),
    (Unsupported("x"), 10015, 10015, 10015),
    (BadRequest("x"), 10013, 10013, 10013),
    (NotRegisteredUser("x", identifier="1"), 10013, 10013, 10013),
    (InvalidState("x", state="draft"), 10013, 10013, 10013),
    (TransportError("x"), -1, -1, -1),
    (RuntimeError("boom"), 10001, 10001, 10001),
])
def test_codes_per_family(error: BaseException, izibiz: int, oib: int, edm: int) -> None:
    assert [classify(error, t).code for t in (IZIBIZ_CODES, OIB_CODES, EDM_CODES)] == [
        izibiz, oib, edm]


def test_schematron_failure_is_10003_with_the_first_finding() -> None:
    finding = Finding("InvoiceIDCheck-1", Layer.SCHEMATRON, 1150, "Fatura numarası hatalı")
    error = DocumentInvalid(ValidationReport.of(None, [finding]))

    info = classify(error, IZIBIZ_CODES)

    assert info.code == 10003 and "InvoiceIDCheck-1" in (info.long or "")


def test_duplicates_name_uuid_and_id_for_clients_that_parse_them() -> None:
    info = classify(DUPLICATE, OIB_CODES)

    assert "UUID:0f1e…, ID:ENT2024000000001" in info.short


def test_edm_names_bad_logins_and_dead_sessions_as_its_clients_expect() -> None:
    assert classify(AuthenticationFailed("x"), EDM_CODES).short == "Kullanıcı Bulunamadı!"
    assert classify(SessionExpired("x"), EDM_CODES).short == "Aktif session bulunamadı"


def test_unexpected_errors_hide_their_internals() -> None:
    info = classify(RuntimeError("password=hunter2 in /etc/secret"), IZIBIZ_CODES)

    assert info.long is None and "hunter2" not in info.short and not info.client


def test_a_wrong_password_never_says_which_part_was_wrong() -> None:
    info = classify(AuthenticationFailed("kullanıcı yok: veli"), IZIBIZ_CODES)

    assert "veli" not in (info.long or "") + info.short
