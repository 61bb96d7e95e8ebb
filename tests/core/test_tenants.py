"""Tests of entegrator.core.tenants: taxpayers and aliases, audited and tenant-scoped."""

from __future__ import annotations

import pytest

from entegrator.core import tenants
from entegrator.core.permissions import Role
from entegrator.core.tenants import AliasRole, AliasState, AlreadyExists, NewTaxpayer
from entegrator.core.wiring import Integrator
from entegrator.errors import InvalidIdentifier, NotFound, PermissionDenied
from entegrator.store import audit
from entegrator.store.tenancy import TenantScope
from tests.core.support import OPERATOR, SeededTaxpayer, admin_caller


def _create(integrator: Integrator, new: NewTaxpayer, *, checksum: bool = True) -> tenants.Taxpayer:
    with integrator.db.transaction() as conn:
        return tenants.create_taxpayer(conn, OPERATOR, new, checksum=checksum,
                                       clock=integrator.clock)


def test_create_taxpayer_stores_a_company(integrator: Integrator) -> None:
    made = _create(integrator, NewTaxpayer("454 053 6920", "Anadolu A.Ş.", tax_office="Beşiktaş"))
    assert (made.vkn_tckn, made.kind, made.title, made.tax_office) == (
        "4540536920", "company", "Anadolu A.Ş.", "Beşiktaş")
    with integrator.db.transaction(read_only=True) as conn:
        assert tenants.find_taxpayer(conn, "4540536920") == made
        assert tenants.list_taxpayers(conn) == [made]


def test_create_taxpayer_for_a_person_needs_names(integrator: Integrator) -> None:
    with pytest.raises(InvalidIdentifier, match="ad ve soyad"):
        _create(integrator, NewTaxpayer("10000000146"))
    made = _create(integrator, NewTaxpayer("10000000146", first_name="Ayşe", family_name="Yılmaz"))
    assert (made.kind, made.title) == ("person", "Ayşe Yılmaz")


def test_create_taxpayer_checks_the_check_digit_unless_told(integrator: Integrator) -> None:
    with pytest.raises(InvalidIdentifier):
        _create(integrator, NewTaxpayer("1288331521", "AAA A.Ş."))
    assert _create(integrator, NewTaxpayer("1288331521", "AAA A.Ş."), checksum=False).id > 0


def test_create_taxpayer_refuses_a_duplicate_vkn(integrator: Integrator) -> None:
    _create(integrator, NewTaxpayer("4540536920", "Anadolu A.Ş."))
    with pytest.raises(AlreadyExists):
        _create(integrator, NewTaxpayer("4540536920", "Başka A.Ş."))


def test_create_taxpayer_is_audited(integrator: Integrator) -> None:
    made = _create(integrator, NewTaxpayer("4540536920", "Anadolu A.Ş."))
    with integrator.db.transaction(read_only=True) as conn:
        [entry] = audit.entries(TenantScope(conn, made.id))
    assert (entry.action, entry.actor, entry.object_id) == (
        "taxpayer.create", OPERATOR, str(made.id))


def test_first_alias_of_a_role_becomes_default(integrator: Integrator) -> None:
    made = _create(integrator, NewTaxpayer("4540536920", "Anadolu A.Ş."))
    caller = admin_caller(made.id)
    with integrator.db.transaction() as conn:
        first = tenants.add_alias(conn, caller, "urn:mail:defaultpk@anadolu.com.tr", "PK")
        second = tenants.add_alias(conn, caller, "urn:mail:ikincipk@anadolu.com.tr", "PK")
        assert tenants.default_alias(conn, caller, AliasRole.PK).id == first.id
    assert (first.is_default, second.is_default) == (True, False)
    assert first.gib_state is AliasState.PENDING


def test_add_alias_with_default_moves_the_default(integrator: Integrator) -> None:
    made = _create(integrator, NewTaxpayer("4540536920", "Anadolu A.Ş."))
    caller = admin_caller(made.id)
    with integrator.db.transaction() as conn:
        tenants.add_alias(conn, caller, "urn:mail:defaultgb@anadolu.com.tr", "GB")
        newer = tenants.add_alias(conn, caller, "urn:mail:yenigb@anadolu.com.tr", "GB",
                                  default=True)
        assert tenants.default_alias(conn, caller, "GB").id == newer.id
        assert [a.is_default for a in tenants.list_aliases(conn, caller, role="GB")] == [
            True, False]


@pytest.mark.parametrize("bad", ["defaultpk@anadolu.com.tr", "urn:mail:şube@x.com", "usergb"])
def test_add_alias_refuses_malformed_aliases(integrator: Integrator, bad: str) -> None:
    made = _create(integrator, NewTaxpayer("4540536920", "Anadolu A.Ş."))
    with pytest.raises(InvalidIdentifier), integrator.db.transaction() as conn:
        tenants.add_alias(conn, admin_caller(made.id), bad, "PK")


def test_an_alias_cannot_belong_to_two_taxpayers(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    with pytest.raises(AlreadyExists), integrator.db.transaction() as conn:
        tenants.add_alias(conn, customer.caller, supplier.party.pk, "PK")


def test_default_alias_is_not_found_without_aliases(integrator: Integrator) -> None:
    made = _create(integrator, NewTaxpayer("4540536920", "Anadolu A.Ş."))
    with pytest.raises(NotFound), integrator.db.transaction(read_only=True) as conn:
        tenants.default_alias(conn, admin_caller(made.id), "GB")


def test_a_taxpayer_sees_only_its_own_aliases(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    with integrator.db.transaction(read_only=True) as conn:
        mine = {a.alias for a in tenants.list_aliases(conn, supplier.caller)}
    assert mine == {supplier.party.gb, supplier.party.pk}


def test_only_admins_add_aliases(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    with pytest.raises(PermissionDenied), integrator.db.transaction() as conn:
        tenants.add_alias(conn, supplier.as_role(Role.ACCOUNTANT),
                          "urn:mail:baska@anadolubilisim.com.tr", "PK")


def test_update_taxpayer_changes_only_the_callers_taxpayer(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    with integrator.db.transaction() as conn:
        changed = tenants.update_taxpayer(conn, supplier.caller, title="Yeni Unvan A.Ş.",
                                          default_series="ANB", clock=integrator.clock)
        other = tenants.get_taxpayer(conn, customer.id)
    assert (changed.title, changed.default_series) == ("Yeni Unvan A.Ş.", "ANB")
    assert other.title == customer.party.title
