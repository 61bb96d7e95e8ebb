"""Tests of entegrator.core.auth: scrypt hashes, logins, lockout, API keys."""

from __future__ import annotations

import pytest

from entegrator.core import auth, credentials, users
from entegrator.core.auth import AccountLocked, AuthenticationFailed, RequestOrigin
from entegrator.core.config import AuthSettings
from entegrator.core.context import Caller
from entegrator.core.permissions import Role
from entegrator.core.wiring import Integrator
from entegrator.errors import PermissionDenied
from entegrator.store import FakeClock, audit
from entegrator.store.tenancy import TenantScope
from tests.core.support import SeededTaxpayer

CHEAP = AuthSettings(scrypt_n=2**10)
PORTAL = RequestOrigin("portal", ip="192.0.2.7")


def test_hash_password_verifies_only_the_same_password() -> None:
    stored = auth.hash_password("doğru-parola", CHEAP)
    assert auth.verify_password("doğru-parola", stored)
    assert not auth.verify_password("yanlış-parola", stored)


def test_hash_password_salts_every_hash() -> None:
    assert auth.hash_password("aynı", CHEAP) != auth.hash_password("aynı", CHEAP)


@pytest.mark.parametrize("stored", ["", "md5$abc", "scrypt$x$8$1$AA==$AA==", "scrypt$1024$8$1$!$!"])
def test_verify_password_rejects_malformed_hashes(stored: str) -> None:
    assert auth.verify_password("parola", stored) is False


def test_needs_rehash_when_the_cost_changed() -> None:
    stored = auth.hash_password("parola", CHEAP)
    assert not auth.needs_rehash(stored, CHEAP)
    assert auth.needs_rehash(stored, AuthSettings(scrypt_n=2**11))


def _login(integrator: Integrator, username: str, password: str) -> Caller:
    return auth.authenticate_user(integrator.db, username, password, PORTAL,
                                  settings=integrator.config.auth, clock=integrator.clock)


def test_login_returns_the_caller_of_the_users_taxpayer(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    caller = _login(integrator, supplier.username.upper(), supplier.password)
    assert (caller.tenant_id, caller.role, caller.actor.id, caller.actor.ip) == (
        supplier.id, Role.ADMIN, supplier.username, "192.0.2.7")


@pytest.mark.parametrize("username", ["nobody", "anadolubilisim@test"])
def test_wrong_user_or_password_fail_alike(
    integrator: Integrator, supplier: SeededTaxpayer, username: str
) -> None:
    with pytest.raises(AuthenticationFailed, match="Kullanıcı adı ya da parola hatalı"):
        _login(integrator, username, "yanlis-parola")


def test_failed_logins_are_counted_and_audited_although_the_call_raises(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    with pytest.raises(AuthenticationFailed):
        _login(integrator, supplier.username, "yanlis-parola")
    with integrator.db.transaction(read_only=True) as conn:
        latest = audit.entries(TenantScope(conn, supplier.id), limit=1)[0]
    assert (latest.action, latest.actor.ip) == ("user.login_failed", "192.0.2.7")


def test_the_account_locks_after_too_many_failures_and_opens_later(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    settings = integrator.config.auth
    for _ in range(settings.max_failed_logins):
        with pytest.raises(AuthenticationFailed):
            _login(integrator, supplier.username, "yanlis-parola")
    with pytest.raises(AccountLocked):
        _login(integrator, supplier.username, supplier.password)
    assert isinstance(integrator.clock, FakeClock)
    integrator.clock.advance(settings.lockout_seconds + 1)
    assert _login(integrator, supplier.username, supplier.password).tenant_id == supplier.id


def test_a_success_resets_the_failure_count(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    limit = integrator.config.auth.max_failed_logins
    for _ in range(limit - 1):
        with pytest.raises(AuthenticationFailed):
            _login(integrator, supplier.username, "yanlis-parola")
    _login(integrator, supplier.username, supplier.password)
    for _ in range(limit - 1):
        with pytest.raises(AuthenticationFailed):
            _login(integrator, supplier.username, "yanlis-parola")
    assert _login(integrator, supplier.username, supplier.password).tenant_id == supplier.id


def test_a_disabled_user_cannot_log_in(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    with integrator.db.transaction() as conn:
        [user] = users.list_users(conn, supplier.caller)
        users.set_active(conn, supplier.caller, user.id, False)
    with pytest.raises(AuthenticationFailed):
        _login(integrator, supplier.username, supplier.password)


def test_api_key_authenticates_as_its_taxpayer_and_role(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    with integrator.db.transaction() as conn:
        made = credentials.create_api_key(conn, supplier.caller, role=Role.API, label="ERP")
    caller = auth.authenticate_api_key(integrator.db, made.token.reveal(),
                                       RequestOrigin("api"), clock=integrator.clock)
    assert (caller.tenant_id, caller.role, caller.actor.id) == (
        supplier.id, Role.API, made.credential.key_id)


@pytest.mark.parametrize("mangle", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
                                    lambda t: t.split(".")[0], lambda t: "ek_x." + t])
def test_a_wrong_api_token_fails(
    integrator: Integrator, supplier: SeededTaxpayer, mangle: object
) -> None:
    with integrator.db.transaction() as conn:
        made = credentials.create_api_key(conn, supplier.caller)
    with pytest.raises(PermissionDenied):
        auth.authenticate_api_key(integrator.db, mangle(made.token.reveal()),  # type: ignore[operator]
                                  RequestOrigin("api"))


def test_a_revoked_api_key_fails(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    with integrator.db.transaction() as conn:
        made = credentials.create_api_key(conn, supplier.caller)
        credentials.revoke_credential(conn, supplier.caller, made.credential.key_id)
    with pytest.raises(AuthenticationFailed):
        auth.authenticate_api_key(integrator.db, made.token, RequestOrigin("api"))
