"""Login sessions (core.sessions): JWT-shaped ids, expiry, revocation, live checks."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from entegrator.core import users
from entegrator.core.auth import AuthenticationFailed, RequestOrigin
from entegrator.core.permissions import Role
from entegrator.core.sessions import (
    SessionExpired,
    SessionInvalid,
    Sessions,
    SessionSettings,
    token_claims,
)
from entegrator.core.wiring import Integrator
from entegrator.store import FakeClock
from entegrator.store.audit import entries
from entegrator.store.tenancy import TenantScope
from tests.core.support import SeededTaxpayer

ORIGIN = RequestOrigin("soap", "127.0.0.1")


@pytest.fixture
def sessions(integrator: Integrator) -> Sessions:
    """Sessions that trust nothing from memory (cache off), on the integrator's fake clock."""
    return Sessions(integrator.db, auth=integrator.config.auth, clock=integrator.clock,
                    settings=SessionSettings(cache_seconds=0.0))


def _clock(integrator: Integrator) -> FakeClock:
    assert isinstance(integrator.clock, FakeClock)
    return integrator.clock


def test_login_gives_a_jwt_whose_exp_is_eight_hours_away(
        integrator: Integrator, sessions: Sessions, supplier: SeededTaxpayer) -> None:
    session = sessions.login(supplier.username, supplier.password, ORIGIN)

    header = json.loads(base64.urlsafe_b64decode(session.token.split(".")[0] + "=="))
    claims = token_claims(session.token)
    now = integrator.clock.now().timestamp()
    assert header["alg"] == "HS256" and header["typ"] == "JWT"
    assert claims["exp"] - now == pytest.approx(8 * 3600, abs=2)
    assert claims["tid"] == supplier.id and claims["sub"] == supplier.username


def test_validate_returns_the_callers_taxpayer_and_role(
        sessions: Sessions, supplier: SeededTaxpayer) -> None:
    token = sessions.login(supplier.username, supplier.password, ORIGIN).token

    session = sessions.validate(token)

    caller = session.caller(ORIGIN)
    assert caller.tenant_id == supplier.id and caller.role is Role.ADMIN
    assert caller.actor.id == supplier.username and caller.actor.channel == "soap"


def test_wrong_password_opens_no_session(sessions: Sessions, supplier: SeededTaxpayer) -> None:
    with pytest.raises(AuthenticationFailed):
        sessions.login(supplier.username, "yanlış-parola", ORIGIN)


def test_session_expires_after_its_lifetime(
        integrator: Integrator, sessions: Sessions, supplier: SeededTaxpayer) -> None:
    token = sessions.login(supplier.username, supplier.password, ORIGIN).token

    _clock(integrator).advance(8 * 3600 + 1)

    with pytest.raises(SessionExpired):
        sessions.validate(token)


def test_lifetime_is_configurable(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    short = Sessions(integrator.db, auth=integrator.config.auth, clock=integrator.clock,
                     settings=SessionSettings(ttl=dt.timedelta(minutes=5), cache_seconds=0))
    token = short.login(supplier.username, supplier.password, ORIGIN).token

    _clock(integrator).advance(301)

    with pytest.raises(SessionExpired):
        short.validate(token)


def test_revoked_session_is_refused(sessions: Sessions, supplier: SeededTaxpayer) -> None:
    token = sessions.login(supplier.username, supplier.password, ORIGIN).token

    sessions.revoke(token)

    with pytest.raises(SessionInvalid):
        sessions.validate(token)


def test_revocation_reaches_another_process_when_its_cache_lapses(
        integrator: Integrator, supplier: SeededTaxpayer) -> None:
    here = Sessions(integrator.db, auth=integrator.config.auth, clock=integrator.clock)
    there = Sessions(integrator.db, auth=integrator.config.auth, clock=integrator.clock,
                     settings=SessionSettings(cache_seconds=0.0))
    token = here.login(supplier.username, supplier.password, ORIGIN).token
    here.validate(token)

    there.revoke(token)

    with pytest.raises(SessionInvalid):
        there.validate(token)


def test_tampered_token_is_refused(sessions: Sessions, supplier: SeededTaxpayer) -> None:
    token = sessions.login(supplier.username, supplier.password, ORIGIN).token
    header, _payload, signature = token.split(".")
    claims = token_claims(token) | {"tid": supplier.id + 1}
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()

    with pytest.raises(SessionInvalid):
        sessions.validate(f"{header}.{forged}.{signature}")


@pytest.mark.parametrize("garbage", ["", "-1", "0", "abc.def.ghi", "a.b", "ü.ü.ü",
                                     "ab72489e-c791-41d7-bec2-e4f7d9d8e63b"])
def test_garbage_is_refused_without_a_crash(sessions: Sessions, garbage: str) -> None:
    with pytest.raises(SessionInvalid):
        sessions.validate(garbage)


def test_deactivated_user_loses_the_session(
        integrator: Integrator, sessions: Sessions, supplier: SeededTaxpayer) -> None:
    session = sessions.login(supplier.username, supplier.password, ORIGIN)
    with integrator.db.transaction() as conn:
        (user,) = users.list_users(conn, supplier.caller)
        users.set_active(conn, supplier.caller, user.id, False, clock=integrator.clock)

    with pytest.raises(SessionInvalid):
        sessions.validate(session.token)


def test_open_and_close_are_audited(
        integrator: Integrator, sessions: Sessions, supplier: SeededTaxpayer) -> None:
    token = sessions.login(supplier.username, supplier.password, ORIGIN).token
    sessions.revoke(token)

    with integrator.db.transaction(read_only=True) as conn:
        actions = [e.action for e in entries(TenantScope(conn, supplier.id))]
    assert "session.open" in actions and "session.close" in actions


def test_purge_removes_only_expired_sessions(
        integrator: Integrator, sessions: Sessions, supplier: SeededTaxpayer) -> None:
    sessions.login(supplier.username, supplier.password, ORIGIN)
    _clock(integrator).advance(9 * 3600)
    live = sessions.login(supplier.username, supplier.password, ORIGIN)

    removed = sessions.purge(before=integrator.clock.now())

    assert removed == 1
    assert sessions.validate(live.token).session_id == live.session_id
