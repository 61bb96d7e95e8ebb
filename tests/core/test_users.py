"""Tests of entegrator.core.users: a taxpayer's people, tenant-scoped and audited."""

from __future__ import annotations

import pytest

from entegrator.core import users
from entegrator.core.permissions import Role
from entegrator.core.tenants import AlreadyExists
from entegrator.core.wiring import Integrator
from entegrator.errors import InvalidIdentifier, NotFound, PermissionDenied
from entegrator.store import audit
from entegrator.store.tenancy import TenantScope
from tests.core.support import SeededTaxpayer


def _add(integrator: Integrator, who: SeededTaxpayer, name: str, role: Role = Role.VIEWER,
         password: str = "uzun-parola-1") -> users.User:
    with integrator.db.transaction() as conn:
        return users.add_user(conn, who.caller, name, password, role,
                              settings=integrator.config.auth, clock=integrator.clock)


def test_add_user_stores_the_lower_cased_name_and_role(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    user = _add(integrator, supplier, "Muhasebe.Ayse", Role.ACCOUNTANT)
    assert (user.username, user.role, user.tenant_id, user.active) == (
        "muhasebe.ayse", Role.ACCOUNTANT, supplier.id, True)


def test_add_user_never_stores_the_password(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    user = _add(integrator, supplier, "ayse", password="gizli-parola-9")
    with integrator.db.transaction(read_only=True) as conn:
        stored = conn.exec_driver_sql(
            f"SELECT password_hash FROM users WHERE id = {user.id}").scalar_one()
        details = [e.details for e in audit.entries(TenantScope(conn, supplier.id))]
    assert "gizli-parola-9" not in stored and stored.startswith("scrypt$")
    assert "gizli-parola-9" not in repr(details)


def test_user_names_are_unique_across_taxpayers(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    _add(integrator, supplier, "ortak")
    with pytest.raises(AlreadyExists):
        _add(integrator, customer, "ORTAK")


@pytest.mark.parametrize(("name", "password"), [("ab", "uzun-parola-1"), ("a b c", "uzun-parola-1"),
                                                ("ayse", "kisa")])
def test_add_user_refuses_bad_names_and_short_passwords(
    integrator: Integrator, supplier: SeededTaxpayer, name: str, password: str
) -> None:
    with pytest.raises(InvalidIdentifier):
        _add(integrator, supplier, name, password=password)


def test_a_taxpayer_sees_only_its_own_users(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    other = _add(integrator, customer, "karadeniz.muhasebe")
    with integrator.db.transaction(read_only=True) as conn:
        names = [u.username for u in users.list_users(conn, supplier.caller)]
        with pytest.raises(NotFound):
            users.get_user(conn, supplier.caller, other.id)
    assert names == [supplier.username]


def test_a_taxpayer_cannot_change_another_taxpayers_user(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    other = _add(integrator, customer, "karadeniz.muhasebe")
    with pytest.raises(NotFound), integrator.db.transaction() as conn:
        users.set_active(conn, supplier.caller, other.id, False)


def test_only_admins_manage_users(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    with pytest.raises(PermissionDenied), integrator.db.transaction() as conn:
        users.add_user(conn, supplier.as_role(Role.ACCOUNTANT), "yeni", "uzun-parola-1",
                       Role.VIEWER, settings=integrator.config.auth)


def test_set_active_disables_and_is_audited(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    user = _add(integrator, supplier, "gecici")
    with integrator.db.transaction() as conn:
        changed = users.set_active(conn, supplier.caller, user.id, False, clock=integrator.clock)
        actions = [e.action for e in audit.entries(TenantScope(conn, supplier.id))]
    assert changed.active is False
    assert actions[0] == "user.disable"
