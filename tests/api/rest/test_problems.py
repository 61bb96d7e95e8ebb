"""The one error table: each error type maps to its status and code, the most specific class
winning (archive errors are store errors, but a missing archive entry is still 404)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import DataError

from entegrator.api.protection import Throttled
from entegrator.api.rest.problems import PROBLEMS, problem_for
from entegrator.core.auth import AccountLocked
from entegrator.core.errors import DuplicateDocument, InvalidState, NotRegisteredUser
from entegrator.errors import DocumentError, EntegratorError, NotFound
from entegrator.store.archive.errors import ArchiveError, ContentCorrupted, DocumentNotArchived
from entegrator.store.errors import LeaseLost, TenantScopeViolation
from entegrator.ubl.xml import XmlError


@pytest.mark.parametrize(("error", "status", "code"), [
    (NotFound("yok"), 404, "not-found"),
    (DocumentNotArchived("yok"), 404, "not-found"),
    (ArchiveError("imleç"), 400, "archive-request"),
    (ContentCorrupted("bozuk", sha256="0" * 64), 500, "archive-corrupted"),
    (TenantScopeViolation("hata"), 500, "internal"),
    (LeaseLost(1), 503, "store-unavailable"),
    (DuplicateDocument("var"), 409, "duplicate-document"),
    (InvalidState("durum", state="queued"), 409, "invalid-state"),
    (NotRegisteredUser("değil", identifier="1"), 422, "not-registered-user"),
    (AccountLocked("kilitli", locked_until=None), 401, "unauthorized"),  # type: ignore[arg-type]
    (Throttled("yavaş", retry_after=3), 429, "rate-limited"),
    (XmlError("bozuk"), 400, "malformed-xml"),
    (DocumentError("kötü"), 400, "bad-request"),
    (DataError("s", {}, Exception("NUL")), 400, "bad-value"),
    (EntegratorError("başka"), 400, "rejected"),
    (RuntimeError("hata"), 500, "internal"),
])
def test_error_maps_to_status_and_code(error: BaseException, status: int, code: str) -> None:
    kind = problem_for(error)
    assert (kind.status, kind.code) == (status, code)


def test_duplicate_carries_izibiz_and_gib_codes() -> None:
    kind = PROBLEMS[DuplicateDocument]
    assert (kind.izibiz_code, kind.gib_code) == (10009, 1163)
