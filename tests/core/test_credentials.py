"""Tests of entegrator.core.credentials: API keys shown once, hashed, tenant-scoped."""

from __future__ import annotations

import pytest

from entegrator.core import credentials
from entegrator.core.permissions import Role
from entegrator.core.wiring import Integrator
from entegrator.errors import NotFound, PermissionDenied
from entegrator.store import audit
from entegrator.store.tenancy import TenantScope
from tests.core.support import SeededTaxpayer


def test_create_api_key_returns_the_secret_once_and_stores_its_hash(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    with integrator.db.transaction() as conn:
        made = credentials.create_api_key(conn, supplier.caller, label="ERP")
        stored = conn.exec_driver_sql(
            f"SELECT secret_hash FROM api_credentials WHERE id = {made.credential.id}"
        ).scalar_one()
    secret = made.secret.reveal()
    assert secret not in stored and stored == credentials.hash_secret(secret)
    assert made.token.reveal() == f"{made.credential.key_id}.{secret}"
    assert secret not in repr(made)


def test_create_api_key_is_audited_without_the_secret(
    integrator: Integrator, supplier: SeededTaxpayer
) -> None:
    with integrator.db.transaction() as conn:
        made = credentials.create_api_key(conn, supplier.caller, role=Role.VIEWER)
        entry = audit.entries(TenantScope(conn, supplier.id), limit=1)[0]
    assert entry.action == "credential.create"
    assert entry.details == {"key_id": made.credential.key_id, "role": "viewer",
                             "kind": "api_key", "label": None}


def test_a_taxpayer_lists_only_its_own_credentials(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    with integrator.db.transaction() as conn:
        mine = credentials.create_api_key(conn, supplier.caller)
        credentials.create_api_key(conn, customer.caller)
        listed = credentials.list_credentials(conn, supplier.caller)
    assert [c.key_id for c in listed] == [mine.credential.key_id]


def test_a_taxpayer_cannot_revoke_another_taxpayers_key(
    integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer
) -> None:
    with integrator.db.transaction() as conn:
        theirs = credentials.create_api_key(conn, customer.caller)
    with pytest.raises(NotFound), integrator.db.transaction() as conn:
        credentials.revoke_credential(conn, supplier.caller, theirs.credential.key_id)


def test_only_admins_create_keys(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    with pytest.raises(PermissionDenied), integrator.db.transaction() as conn:
        credentials.create_api_key(conn, supplier.as_role(Role.API))


@pytest.mark.parametrize("token", ["", "ek_abc", "abc.def", ".secret", "ek_abc."])
def test_split_token_refuses_malformed_tokens(token: str) -> None:
    with pytest.raises(PermissionDenied):
        credentials.split_token(token)
