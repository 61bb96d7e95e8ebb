"""Tests for entegrator.ubl.status_codes."""

from __future__ import annotations

import pytest

from entegrator.errors import NotFound
from entegrator.ubl import codelists, status_codes
from entegrator.ubl.status_codes import StatusKind


def test_every_code_gib_lets_integrators_send_is_defined() -> None:
    sendable = {int(code) for code in codelists.values("AppResponseCodeType")}
    assert sendable <= set(status_codes.STATUSES)


def test_merkez_states_are_defined() -> None:
    assert {1210, 1215, 1220, 1230, 1235, 1300} <= set(status_codes.STATUSES)


def test_table_keys_match_codes() -> None:
    assert all(code == entry.code for code, entry in status_codes.STATUSES.items())
    assert all(code == entry.code for code, entry in status_codes.FAULTS.items())


@pytest.mark.parametrize("code", [1000, 1100, 1210, 1220])
def test_in_progress_codes_are_not_final_and_block_resending(code: int) -> None:
    entry = status_codes.status(code)
    assert (entry.kind, entry.final, entry.resend_allowed) == (StatusKind.IN_PROGRESS, False, False)


def test_1200_is_success_of_one_hop_only() -> None:
    entry = status_codes.status(1200)
    assert (entry.kind, entry.final, entry.resend_allowed) == (StatusKind.SUCCESS, False, False)


def test_1300_is_final_success() -> None:
    entry = status_codes.status(1300)
    assert (entry.kind, entry.final, entry.resend_allowed) == (StatusKind.SUCCESS, True, False)


@pytest.mark.parametrize("code", [1163, 1164])
def test_duplicate_invoice_failures_forbid_resending(code: int) -> None:
    entry = status_codes.status(code)
    assert (entry.kind, entry.final, entry.resend_allowed) == (StatusKind.FAILURE, True, False)


@pytest.mark.parametrize(
    "code",
    [c for c in status_codes.STATUSES if 1110 <= c < 1200 and c not in (1163, 1164)] + [1215, 1230],
)
def test_final_failures_allow_resending(code: int) -> None:
    entry = status_codes.status(code)
    assert (entry.kind, entry.final, entry.resend_allowed) == (StatusKind.FAILURE, True, True)


def test_1235_is_a_cancellation() -> None:
    entry = status_codes.status(1235)
    assert (entry.kind, entry.final, entry.resend_allowed) == (StatusKind.CANCELLED, True, False)


def test_labels_are_gibs_text() -> None:
    assert status_codes.status(1200).label == "ZARF BASARIYLA ISLENDI"
    assert status_codes.status(1120).label == "ZARF ARSIVDEN_KOPYALANAMADI"
    assert all(entry.label.strip() for entry in status_codes.STATUSES.values())


@pytest.mark.parametrize("code", ["1200", " 1200 ", 1200])
def test_status_accepts_text_or_int(code: int | str) -> None:
    assert status_codes.status(code).code == 1200


@pytest.mark.parametrize("code", [1199, "S_APR", "", "١٢٠٠", True, None, 12.0])
def test_unknown_status_is_not_found(code: object) -> None:
    with pytest.raises(NotFound, match="durum kodu"):
        status_codes.status(code)  # type: ignore[arg-type]


def test_faults_2000_to_2007() -> None:
    assert sorted(status_codes.FAULTS) == list(range(2000, 2008))
    assert status_codes.fault("2000").message == "OZET DEGERLER ESIT DEGIL"


@pytest.mark.parametrize(
    ("code", "retryable"), [(2000, True), (2001, False), (2005, True), (2007, False)]
)
def test_fault_retryable(code: int, retryable: bool) -> None:
    assert status_codes.fault(code).retryable is retryable


def test_unknown_fault_is_not_found() -> None:
    with pytest.raises(NotFound, match="hata kodu"):
        status_codes.fault(2008)
