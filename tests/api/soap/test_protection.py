"""Abuse limits on the SOAP faces: login brute force, per-credential rates, account lockout."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette

from entegrator.api.protection import Protection
from entegrator.api.settings import ApiSettings, RateLimit
from entegrator.api.soap.config import SoapSettings
from entegrator.api.soap.routes import SoapFaces
from entegrator.core.wiring import Integrator
from tests.api.soap.fixtures import ServeFn
from tests.api.soap.support import EDM_PATH, edm, izibiz, login, post
from tests.core.support import SeededTaxpayer


@pytest.fixture
def strict_base(integrator: Integrator, serve: ServeFn) -> Iterator[str]:
    """SOAP faces with tight limits: 3 failed logins, 2 calls per credential (slow refill)."""
    protection = Protection(ApiSettings(login_failures=3, login_lockout=600,
                                        per_credential=RateLimit(rate=0.01, burst=2)))
    faces = SoapFaces(integrator, settings=SoapSettings(audit_flush_seconds=0),
                      protection=protection)
    yield serve(Starlette(routes=faces.routes))
    faces.close()


def _login(base: str, user: SeededTaxpayer, password: str, path: str = "/AuthenticationWS"):
    body = izibiz("Login", "-1", f"<USER_NAME>{user.username}</USER_NAME>"
                                 f"<PASSWORD>{password}</PASSWORD>")
    return post(base + path, body)


def test_repeated_failed_logins_are_throttled_even_with_the_right_password(
        strict_base: str, supplier: SeededTaxpayer) -> None:
    codes = [_login(strict_base, supplier, "yanlış").error_code for _ in range(3)]

    last = _login(strict_base, supplier, supplier.password)

    assert codes == [10002, 10002, 10002] and last.error_code == 10018


def test_edm_login_throttling_is_a_fault(strict_base: str, supplier: SeededTaxpayer) -> None:
    for _ in range(3):
        _login(strict_base, supplier, "yanlış")

    reply = post(strict_base + EDM_PATH, edm(
        "Login", "0", f'<USER_NAME xmlns="">{supplier.username}</USER_NAME>'
                      f'<PASSWORD xmlns="">{supplier.password}</PASSWORD>'))

    assert reply.is_fault and reply.error_code == 10018


def test_calls_over_the_credential_rate_are_refused(
        strict_base: str, supplier: SeededTaxpayer) -> None:
    token = login(strict_base, "/EInvoiceWS", supplier.username, supplier.password)

    codes = [post(strict_base + "/EInvoiceWS",
                  izibiz("GetInvoiceStatusAll", token, "<UUID>x</UUID>")).error_code
             for _ in range(3)]

    assert codes == [None, None, 10018]


def test_the_core_lockout_holds_after_too_many_wrong_passwords(
        soap_base: str, integrator: Integrator, supplier: SeededTaxpayer) -> None:
    for _ in range(integrator.config.auth.max_failed_logins):
        _login(soap_base, supplier, "yanlış")

    reply = _login(soap_base, supplier, supplier.password)

    assert reply.error_code == 10002 and "kilitli" in (reply.text("ERROR_TYPE/ERROR_LONG_DES")
                                                      or "")
