"""Tests of entegrator.core.seals: seal rows and the resolver that follows them."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.core import seals
from entegrator.core.permissions import Role
from entegrator.core.wiring import Integrator
from entegrator.errors import PermissionDenied
from entegrator.signing import SealConfigurationError, SealError
from entegrator.store import FakeClock, audit
from entegrator.store.tenancy import TenantScope
from tests.core.support import (
    INTEGRATOR_VKN,
    SEAL_PASSWORD_REF,
    CorePki,
    SeededTaxpayer,
)


def test_set_seal_keeps_one_active_row_and_audits(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    with integrator.db.transaction() as conn:
        record = seals.set_seal(conn, supplier.caller, seals.DelegatedSeal())
        current = seals.current_seal(conn, supplier.caller)
        count = conn.exec_driver_sql(
            f"SELECT count(*) FROM seals WHERE tenant_id = {supplier.id}").scalar_one()
        entry = audit.entries(TenantScope(conn, supplier.id), limit=1)[0]
    assert current == record and isinstance(record.spec, seals.DelegatedSeal)
    assert count == 2
    assert entry.action == "seal.set"


def test_seal_rows_keep_secret_references_not_secrets(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    with integrator.db.transaction(read_only=True) as conn:
        record = seals.current_seal(conn, supplier.caller)
    assert record is not None and isinstance(record.spec, seals.Pkcs12Seal)
    assert record.spec.password_ref == SEAL_PASSWORD_REF


def test_resolver_follows_a_seal_change_made_elsewhere(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    assert not integrator.seals.seal_for(supplier.vkn).delegated
    with integrator.db.transaction() as conn:
        seals.set_seal(conn, supplier.caller, seals.DelegatedSeal())
    seal = integrator.seals.seal_for(supplier.vkn)  # refresh_interval is 0 in tests
    assert seal.delegated and seal.signer_vkn == INTEGRATOR_VKN


def test_resolver_refuses_a_taxpayer_without_a_seal(integrator: Integrator) -> None:
    with pytest.raises(SealConfigurationError):
        integrator.seals.seal_for("9205121120")


def test_resolver_reports_a_missing_secret_for_that_taxpayer_only(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer, core_pki: CorePki
) -> None:
    path = core_pki.seal_file(supplier.vkn, supplier.party.title)
    with integrator.db.transaction() as conn:
        seals.set_seal(conn, supplier.caller, seals.Pkcs12Seal(path, "NO_SUCH_SECRET"))
    with pytest.raises(SealConfigurationError, match="NO_SUCH_SECRET"):
        integrator.seals.seal_for(supplier.vkn)
    assert integrator.seals.seal_for(customer.vkn).signer_vkn == customer.vkn


def test_resolver_signs_for_the_integrator_itself(integrator: Integrator) -> None:
    assert integrator.seals.seal_for(INTEGRATOR_VKN).signer_vkn == INTEGRATOR_VKN


def test_resolver_uses_the_integrator_clock(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    assert isinstance(integrator.clock, FakeClock)
    integrator.clock.advance(5 * 365 * 24 * 3600)  # dev-PKI seals last two years
    with pytest.raises(SealError):
        integrator.seals.seal_for(supplier.vkn)


def test_check_refuses_a_seal_of_another_vkn(
    integrator: Integrator, supplier: SeededTaxpayer, core_pki: CorePki
) -> None:
    foreign = core_pki.seal_file("9205121120", "Karadeniz")
    with pytest.raises(SealError):
        integrator.seals.check(supplier.vkn, seals.Pkcs12Seal(foreign, SEAL_PASSWORD_REF))
    own = core_pki.seal_file(supplier.vkn, supplier.party.title)
    cert = integrator.seals.check(supplier.vkn, seals.Pkcs12Seal(own, SEAL_PASSWORD_REF))
    assert supplier.vkn in cert.subject.rfc4514_string()


def test_only_admins_set_seals(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    with pytest.raises(PermissionDenied), integrator.db.transaction() as conn:
        seals.set_seal(conn, supplier.as_role(Role.ACCOUNTANT), seals.DelegatedSeal())


def test_a_taxpayer_sees_only_its_own_seal(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    with integrator.db.transaction(read_only=True) as conn:
        mine = seals.current_seal(conn, supplier.caller)
        theirs = seals.current_seal(conn, customer.caller)
    assert mine is not None and theirs is not None
    assert mine.tenant_id == supplier.id and theirs.tenant_id == customer.id


def test_pkcs11_seal_needs_a_key_label_or_id() -> None:
    with pytest.raises(SealConfigurationError):
        seals.Pkcs11Seal(Path("/usr/lib/softhsm/libsofthsm2.so"), "token", "PIN")
