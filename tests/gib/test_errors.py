"""Tests for entegrator.gib.errors: EFaturaFault codes → typed errors and client actions."""

from __future__ import annotations

import pytest

from entegrator.errors import EntegratorError, NotFound
from entegrator.gib.errors import (
    AlreadyReceived,
    ArchiveFailure,
    FaultAction,
    FaultCode,
    GibFault,
    HashMismatch,
    InvalidFileName,
    QueueFailure,
    Suspended,
    SystemFault,
    UnknownEnvelope,
)

EXPECTED = [
    (2000, HashMismatch, FaultAction.RESEND, True),
    (2001, AlreadyReceived, FaultAction.POLL, False),
    (2002, ArchiveFailure, FaultAction.RETRY_LATER, True),
    (2003, QueueFailure, FaultAction.RETRY_LATER, True),
    (2004, UnknownEnvelope, FaultAction.FIX_REQUEST, False),
    (2005, SystemFault, FaultAction.RETRY_LATER, True),
    (2006, InvalidFileName, FaultAction.FIX_REQUEST, False),
    (2007, Suspended, FaultAction.STOP, False),
]


@pytest.mark.parametrize(("code", "cls", "action", "retryable"), EXPECTED)
def test_for_code_gives_typed_fault(code: int, cls: type[GibFault], action: FaultAction,
                                    retryable: bool) -> None:
    fault = GibFault.for_code(code)
    assert type(fault) is cls
    assert (fault.code, fault.gib_code, fault.action, fault.retryable) == (
        code, code, action, retryable)
    assert fault.msg == FaultCode(code).text
    assert isinstance(fault, EntegratorError)


def test_for_code_keeps_the_message_sent() -> None:
    assert GibFault.for_code(2005, "VERITABANI HATASI").msg == "VERITABANI HATASI"


def test_for_code_unknown_code_is_plain_fault() -> None:
    fault = GibFault.for_code(2999, "YENI HATA")
    assert type(fault) is GibFault
    assert (fault.code, fault.msg, fault.retryable) == (2999, "YENI HATA", False)


def test_unknown_envelope_is_not_found() -> None:
    assert isinstance(UnknownEnvelope(), NotFound)


def test_plain_fault_needs_a_code() -> None:
    with pytest.raises(TypeError):
        GibFault()


def test_fault_texts_are_gibs() -> None:
    assert FaultCode.HASH_MISMATCH.text == "OZET DEGERLER ESIT DEGIL"
    assert FaultCode.SUSPENDED.text.startswith("PAKET GÖNDERMEYE VE SORGULAMAYA")
