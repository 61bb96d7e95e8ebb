"""Tests of entegrator.store.tenancy: scoped builders and the engine-wide tenant guard."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from entegrator.errors import NotFound
from entegrator.store import BigId, Database, TenantScope, TenantScopeViolation, all_tenants
from entegrator.store.tenancy import TENANT_PARAM, is_tenant_table, tenant_table

_md = sa.MetaData()
invoices = tenant_table("invoices", _md, sa.Column("number", sa.String(16), nullable=False))
lines = tenant_table(
    "lines",
    _md,
    sa.Column("invoice_id", BigId, sa.ForeignKey("invoices.id"), nullable=False),
    sa.Column("amount", sa.Integer, nullable=False),
)
currencies = sa.Table("currencies", _md, sa.Column("code", sa.String(3), primary_key=True))

A, B = 1, 2


@pytest.fixture
def shop(db: Database) -> Database:
    """Two tenants with one invoice (and line) each."""
    _md.create_all(db.engine)
    with db.transaction() as conn:
        for tenant, number in ((A, "AAA2030000000001"), (B, "BBB2030000000001")):
            scope = TenantScope(conn, tenant)
            invoice_id = scope.execute(
                scope.insert(invoices).values(number=number).returning(invoices.c.id)
            ).scalar_one()
            scope.execute(scope.insert(lines).values(invoice_id=invoice_id, amount=10 * tenant))
        conn.execute(sa.insert(currencies).values(code="TRY"))
    return db


def test_tenant_table_has_id_and_tenant_columns() -> None:
    assert [c.name for c in invoices.columns][:2] == ["id", "tenant_id"]
    assert not invoices.c.tenant_id.nullable
    assert is_tenant_table(invoices) and not is_tenant_table(currencies)


def test_scope_select_sees_only_its_tenant(shop: Database) -> None:
    with shop.transaction() as conn:
        scope = TenantScope(conn, A)
        numbers = scope.execute(scope.select(invoices, invoices.c.number)).scalars().all()
    assert numbers == ["AAA2030000000001"]


def test_scope_insert_sets_the_tenant(shop: Database) -> None:
    with shop.transaction() as conn:
        scope = TenantScope(conn, B)
        scope.execute(scope.insert(invoices), [{"number": "BBB2"}, {"number": "BBB3"}])
        rows = conn.execute(all_tenants(sa.select(invoices.c.tenant_id, invoices.c.number))).all()
    assert sorted(rows) == [
        (1, "AAA2030000000001"),
        (2, "BBB2"),
        (2, "BBB2030000000001"),
        (2, "BBB3"),
    ]


def test_scope_update_touches_only_its_tenant(shop: Database) -> None:
    with shop.transaction() as conn:
        scope = TenantScope(conn, A)
        changed = scope.execute(scope.update(invoices).values(number="X")).rowcount
        numbers = conn.execute(all_tenants(sa.select(invoices.c.number))).scalars().all()
    assert changed == 1
    assert sorted(numbers) == ["BBB2030000000001", "X"]


def test_scope_delete_touches_only_its_tenant(shop: Database) -> None:
    with shop.transaction() as conn:
        scope = TenantScope(conn, B)
        scope.execute(scope.delete(lines))
        remaining = conn.execute(all_tenants(sa.select(lines.c.tenant_id))).scalars().all()
    assert remaining == [A]


def test_scope_get_hides_other_tenants_rows(shop: Database) -> None:
    with shop.transaction() as conn:
        other_id = conn.execute(
            all_tenants(sa.select(invoices.c.id).where(invoices.c.tenant_id == B))
        ).scalar_one()
        with pytest.raises(NotFound):
            TenantScope(conn, A).get(invoices, other_id)
        assert TenantScope(conn, B).get(invoices, other_id).number == "BBB2030000000001"


def test_scope_join_with_criteria_on_both_tables(shop: Database) -> None:
    with shop.transaction() as conn:
        scope = TenantScope(conn, B)
        stmt = (
            scope.select(invoices, invoices.c.number, lines.c.amount)
            .join(lines, lines.c.invoice_id == invoices.c.id)
            .where(scope.criteria(lines))
        )
        assert scope.execute(stmt).all() == [("BBB2030000000001", 20)]


def test_guard_refuses_plain_select_of_tenant_table(shop: Database) -> None:
    with pytest.raises(TenantScopeViolation, match="invoices"), shop.transaction() as conn:
        conn.execute(sa.select(invoices))


def test_guard_refuses_join_that_scopes_only_one_table(shop: Database) -> None:
    with pytest.raises(TenantScopeViolation, match="lines"), shop.transaction() as conn:
        scope = TenantScope(conn, A)
        scope.execute(scope.select(invoices).join(lines, lines.c.invoice_id == invoices.c.id))


def test_guard_refuses_unscoped_subquery(shop: Database) -> None:
    with pytest.raises(TenantScopeViolation, match="lines"), shop.transaction() as conn:
        scope = TenantScope(conn, A)
        busy = sa.select(lines.c.invoice_id).scalar_subquery()
        scope.execute(scope.select(invoices).where(invoices.c.id.in_(busy)))


def test_guard_refuses_unscoped_alias(shop: Database) -> None:
    other = invoices.alias("other")
    with pytest.raises(TenantScopeViolation, match="other"), shop.transaction() as conn:
        scope = TenantScope(conn, A)
        scope.execute(scope.select(invoices).join(other, other.c.number == invoices.c.number))


def test_guard_accepts_scoped_alias(shop: Database) -> None:
    other = invoices.alias("other")
    with shop.transaction() as conn:
        scope = TenantScope(conn, A)
        stmt = scope.select(other, other.c.number)
        assert scope.execute(stmt).scalars().all() == ["AAA2030000000001"]


def test_guard_refuses_unscoped_count(shop: Database) -> None:
    with pytest.raises(TenantScopeViolation), shop.transaction() as conn:
        conn.execute(sa.select(sa.func.count()).select_from(invoices))


def test_guard_refuses_unscoped_insert_update_delete(shop: Database) -> None:
    statements = [
        sa.insert(invoices).values(tenant_id=A, number="N"),
        sa.update(invoices).values(number="N"),
        sa.delete(lines),
    ]
    for stmt in statements:
        with pytest.raises(TenantScopeViolation), shop.transaction() as conn:
            conn.execute(stmt)


def test_guard_refuses_two_tenants_in_one_statement(shop: Database) -> None:
    with pytest.raises(TenantScopeViolation, match="birden çok"), shop.transaction() as conn:
        stmt = (
            TenantScope(conn, A)
            .select(invoices)
            .join(lines, lines.c.invoice_id == invoices.c.id)
            .where(TenantScope(conn, B).criteria(lines))
        )
        conn.execute(stmt)


def test_guard_refuses_tenant_parameter_override(shop: Database) -> None:
    with pytest.raises(TenantScopeViolation, match="parametre"), shop.transaction() as conn:
        conn.execute(TenantScope(conn, A).select(invoices), {TENANT_PARAM: B})


def test_scope_refuses_statement_built_for_another_tenant(shop: Database) -> None:
    with pytest.raises(TenantScopeViolation, match="başka"), shop.transaction() as conn:
        stmt = TenantScope(conn, A).select(invoices)
        TenantScope(conn, B).execute(stmt)


def test_all_tenants_lets_system_code_see_everything(shop: Database) -> None:
    with shop.transaction() as conn:
        count = conn.execute(all_tenants(sa.select(sa.func.count()).select_from(invoices))).scalar()
    assert count == 2


def test_guard_ignores_tables_without_tenants(shop: Database) -> None:
    with shop.transaction() as conn:
        assert conn.execute(sa.select(currencies.c.code)).scalars().all() == ["TRY"]


def test_scope_criteria_refuses_table_without_tenants(shop: Database) -> None:
    with pytest.raises(TenantScopeViolation), shop.transaction() as conn:
        TenantScope(conn, A).criteria(currencies)


def test_scope_refuses_non_integer_tenant(shop: Database) -> None:
    with pytest.raises(TypeError), shop.transaction() as conn:
        TenantScope(conn, "1")  # type: ignore[arg-type]


def test_guard_checks_structure_without_the_compiled_cache(shop: Database) -> None:
    with pytest.raises(TenantScopeViolation), shop.transaction() as conn:
        conn.execution_options(compiled_cache=None)
        conn.execute(sa.select(invoices))


def test_guard_checks_tenant_values_without_the_compiled_cache(shop: Database) -> None:
    with pytest.raises(TenantScopeViolation, match="başka"), shop.transaction() as conn:
        conn.execution_options(compiled_cache=None)
        TenantScope(conn, B).execute(TenantScope(conn, A).select(invoices))


def test_guard_verdict_is_cached_per_statement_shape(shop: Database) -> None:
    with shop.transaction() as conn:
        for tenant in (A, B, A):  # same compiled form, different tenants: each sees its own
            scope = TenantScope(conn, tenant)
            assert len(scope.execute(scope.select(invoices)).all()) == 1
        with pytest.raises(TenantScopeViolation):
            conn.execute(sa.select(invoices))
