"""Tests of entegrator.core.registration: USERENVELOPEs for a taxpayer's aliases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from entegrator.core import registration, seals, tenants
from entegrator.core.permissions import Role
from entegrator.core.tenants import AliasState
from entegrator.core.wiring import Integrator
from entegrator.envelope import EnvelopeType, read_envelope, read_user_account
from entegrator.envelope.user_account import UserAction
from entegrator.errors import NotFound, PermissionDenied
from entegrator.signing import SealConfigurationError, VerificationPolicy, verify_element
from entegrator.store import audit
from entegrator.store.domain import envelopes
from entegrator.store.jobs import jobs as jobs_table
from entegrator.store.tenancy import TenantScope
from tests.core.support import (
    INTEGRATOR_VKN,
    SUPPLIER,
    CorePki,
    SeededTaxpayer,
    add_taxpayer,
)


@pytest.fixture
def pending(integrator: Integrator, core_pki: CorePki) -> SeededTaxpayer:
    """The supplier with its GB/PK aliases still pending at GİB."""
    return add_taxpayer(integrator, core_pki, SUPPLIER, registered=False)


def _states(integrator: Integrator, who: SeededTaxpayer) -> dict[str, AliasState]:
    with integrator.db.transaction(read_only=True) as conn:
        return {a.alias: a.gib_state
                for a in tenants.list_aliases(conn, who.caller, include_closed=True)}


def _envelope_row(integrator: Integrator, envelope_uuid: str) -> object:
    with integrator.db.transaction(read_only=True) as conn:
        return conn.execute(select(envelopes).where(
            envelopes.c.envelope_uuid == envelope_uuid)).one()


def _archived(integrator: Integrator, row: object) -> bytes:
    with integrator.db.transaction(read_only=True) as conn:
        return integrator.archive.get(conn, row.archive_ref)  # type: ignore[attr-defined]


def test_register_sends_the_pending_aliases_in_one_user_envelope(
    integrator: Integrator, pending: SeededTaxpayer
) -> None:
    submitted = registration.register_aliases(integrator, pending.caller)
    assert set(submitted.aliases) == {SUPPLIER.gb, SUPPLIER.pk}
    assert set(_states(integrator, pending).values()) == {AliasState.REGISTERING}
    row = _envelope_row(integrator, submitted.envelope_uuid)
    assert (row.type, row.direction, row.state, row.tenant_id) == (  # type: ignore[attr-defined]
        "USERENVELOPE", "OUT", "built", pending.id)
    with integrator.db.transaction(read_only=True) as conn:
        kinds = conn.execute(select(jobs_table.c.kind, jobs_table.c.payload)).all()
    assert ("outbound.send", {"envelope_id": row.id}) in [  # type: ignore[attr-defined]
        (k, p) for k, p in kinds]


def test_the_envelope_goes_from_usergb_of_the_integrator_to_gib(
    integrator: Integrator, pending: SeededTaxpayer
) -> None:
    submitted = registration.register_aliases(integrator, pending.caller)
    envelope = read_envelope(_archived(integrator, _envelope_row(integrator,
                                                                 submitted.envelope_uuid)))
    header = envelope.header
    assert header.type is EnvelopeType.USER
    assert (header.sender.alias, header.sender.vkn_tckn) == ("usergb", INTEGRATOR_VKN)
    assert (header.receiver.alias, header.receiver.vkn_tckn) == ("GIB", "3900383669")
    [document] = envelope.documents()
    request = read_user_account(document)
    assert request.action is UserAction.PROCESS
    assert (request.holder.vkn_tckn, request.option) == (SUPPLIER.vkn, 2)
    assert {(m.role.value, m.alias) for m in request.mailboxes} == {
        ("GB", SUPPLIER.gb), ("PK", SUPPLIER.pk)}


def test_the_document_is_signed_by_the_integrator_and_countersigned_by_the_taxpayer(
    integrator: Integrator, pending: SeededTaxpayer
) -> None:
    submitted = registration.register_aliases(integrator, pending.caller)
    envelope = read_envelope(_archived(integrator, _envelope_row(integrator,
                                                                 submitted.envelope_uuid)))
    [document] = envelope.documents()
    policy = VerificationPolicy(trust=integrator.trust, require_counter_signature=True)
    verified = verify_element(document, policy, now=integrator.clock.now())
    assert verified.signer_id == INTEGRATOR_VKN
    assert verified.counter_signature is not None
    assert verified.counter_signature.signer_id == SUPPLIER.vkn


def test_vuk507_users_need_no_counter_signature(
    integrator: Integrator, core_pki: CorePki
) -> None:
    who = add_taxpayer(integrator, core_pki, SUPPLIER, registered=False, seal="delegated")
    with pytest.raises(SealConfigurationError, match="karşı imzası"):
        registration.register_aliases(integrator, who.caller)
    submitted = registration.register_aliases(integrator, who.caller, vuk507=True)
    envelope = read_envelope(_archived(integrator, _envelope_row(integrator,
                                                                 submitted.envelope_uuid)))
    [document] = envelope.documents()
    assert read_user_account(document).option == 4
    verified = verify_element(document, VerificationPolicy(trust=integrator.trust),
                              now=integrator.clock.now())
    assert verified.counter_signature is None


def test_nothing_pending_is_refused(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    with pytest.raises(registration.NothingToRegister):
        registration.register_aliases(integrator, supplier.caller)


def test_naming_an_alias_not_pending_is_refused(
    integrator: Integrator, pending: SeededTaxpayer
) -> None:
    with pytest.raises(NotFound):
        registration.register_aliases(integrator, pending.caller,
                                      aliases=[SUPPLIER.pk, "urn:mail:yok@x.com"])


def test_only_admins_register(integrator: Integrator, pending: SeededTaxpayer) -> None:
    with pytest.raises(PermissionDenied):
        registration.register_aliases(integrator, pending.as_role(Role.ACCOUNTANT))


@pytest.mark.parametrize(("code", "expected"), [
    (1000, AliasState.REGISTERING), (1100, AliasState.REGISTERING),
    (1200, AliasState.REGISTERED), (1300, AliasState.REGISTERED),
    (1182, AliasState.FAILED), (1150, AliasState.FAILED),
])
def test_apply_status_moves_the_aliases(
    integrator: Integrator, pending: SeededTaxpayer, code: int, expected: AliasState
) -> None:
    submitted = registration.register_aliases(integrator, pending.caller)
    with integrator.db.transaction() as conn:
        registration.apply_status(integrator, conn, submitted.envelope_uuid.upper(), code,
                                  "açıklama")
    assert set(_states(integrator, pending).values()) == {expected}


def test_apply_status_twice_changes_nothing_more(
    integrator: Integrator, pending: SeededTaxpayer
) -> None:
    submitted = registration.register_aliases(integrator, pending.caller)
    for code in (1200, 1300):
        with integrator.db.transaction() as conn:
            registration.apply_status(integrator, conn, submitted.envelope_uuid, code)
    with integrator.db.transaction(read_only=True) as conn:
        actions = [e.action for e in audit.entries(TenantScope(conn, pending.id))]
    assert actions.count("alias.gib_status") == 2  # one per alias, from the 1200 only


def test_a_failed_registration_can_be_sent_again(
    integrator: Integrator, pending: SeededTaxpayer
) -> None:
    first = registration.register_aliases(integrator, pending.caller)
    with integrator.db.transaction() as conn:
        registration.apply_status(integrator, conn, first.envelope_uuid, 1182)
    again = registration.register_aliases(integrator, pending.caller)
    assert again.envelope_uuid != first.envelope_uuid
    assert set(_states(integrator, pending).values()) == {AliasState.REGISTERING}


def test_cancel_closes_a_registered_alias_on_success(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    submitted = registration.cancel_aliases(integrator, supplier.caller, [SUPPLIER.pk])
    assert _states(integrator, supplier)[SUPPLIER.pk] is AliasState.CANCELLING
    with integrator.db.transaction() as conn:
        registration.apply_status(integrator, conn, submitted.envelope_uuid, 1200)
    states = _states(integrator, supplier)
    assert (states[SUPPLIER.pk], states[SUPPLIER.gb]) == (
        AliasState.CANCELLED, AliasState.REGISTERED)
    envelope = read_envelope(_archived(integrator, _envelope_row(integrator,
                                                                 submitted.envelope_uuid)))
    assert read_user_account(next(iter(envelope.documents()))).action is UserAction.CANCEL


def test_a_failed_cancel_leaves_the_alias_registered(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    submitted = registration.cancel_aliases(integrator, supplier.caller, [SUPPLIER.pk])
    with integrator.db.transaction() as conn:
        registration.apply_status(integrator, conn, submitted.envelope_uuid, 1183)
    assert _states(integrator, supplier)[SUPPLIER.pk] is AliasState.REGISTERED


def test_registration_touches_only_the_callers_aliases(
    integrator: Integrator, pending: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    registration.register_aliases(integrator, pending.caller)
    assert set(_states(integrator, customer).values()) == {AliasState.REGISTERED}


def test_delegated_seal_row_still_resolves(integrator: Integrator, pending: SeededTaxpayer) -> None:
    with integrator.db.transaction() as conn:
        seals.set_seal(conn, pending.caller, seals.DelegatedSeal())
    with pytest.raises(SealConfigurationError):
        registration.register_aliases(integrator, pending.caller)
    assert set(_states(integrator, pending).values()) == {AliasState.PENDING}
