"""Tests of entegrator.store.audit: recording in the caller's transaction, append-only."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from entegrator.store import (
    Database,
    FakeClock,
    StoreConfig,
    TenantScope,
    TenantScopeViolation,
    all_tenants,
)
from entegrator.store.audit import Actor, ActorKind, audit_log, entries, record
from entegrator.store.migrate import upgrade

USER = Actor(ActorKind.USER, "ayse", channel="portal", ip="192.0.2.10", request_id="r-1")


def _count(db: Database) -> int:
    with db.transaction(read_only=True) as conn:
        return int(
            conn.execute(
                all_tenants(sa.select(sa.func.count()).select_from(audit_log))
            ).scalar_one()
        )


def test_record_stores_who_what_when_where(db: Database, clock: FakeClock) -> None:
    with db.transaction() as conn:
        record(
            conn,
            USER,
            "invoice.send",
            tenant_id=7,
            object_type="invoice",
            object_id=42,
            details={"ettn": "x"},
            clock=clock,
        )
    with db.transaction(read_only=True) as conn:
        (entry,) = entries(TenantScope(conn, 7))
    assert entry.actor == USER
    assert (entry.action, entry.object_type, entry.object_id) == ("invoice.send", "invoice", "42")
    assert entry.details == {"ettn": "x"}
    assert entry.at == clock.now()
    assert entry.tenant_id == 7


def test_record_is_part_of_the_callers_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as conn:
        record(conn, USER, "invoice.send", tenant_id=7)
        raise RuntimeError("the state change failed")
    assert _count(db) == 0


def test_record_without_tenant_for_system_events(db: Database) -> None:
    with db.transaction() as conn:
        record(conn, Actor.system("worker"), "userlist.refresh")
    with db.transaction(read_only=True) as conn:
        row = conn.execute(all_tenants(sa.select(audit_log))).one()
    assert (row.tenant_id, row.actor_kind, row.actor_id) == (None, "system", "worker")


def test_entries_show_only_the_scope_tenant_newest_first(db: Database) -> None:
    with db.transaction() as conn:
        for tenant, action in ((1, "a.first"), (2, "b.other"), (1, "a.second")):
            record(conn, USER, action, tenant_id=tenant)
    with db.transaction(read_only=True) as conn:
        actions = [e.action for e in entries(TenantScope(conn, 1))]
    assert actions == ["a.second", "a.first"]


def test_entries_page_with_before_id(db: Database) -> None:
    with db.transaction() as conn:
        ids = [record(conn, USER, f"x.{i}", tenant_id=1) for i in range(3)]
    with db.transaction(read_only=True) as conn:
        page = entries(TenantScope(conn, 1), limit=1, before_id=ids[2])
    assert [e.id for e in page] == [ids[1]]


def test_reading_audit_without_scope_is_refused(db: Database) -> None:
    with pytest.raises(TenantScopeViolation), db.transaction() as conn:
        conn.execute(sa.select(audit_log))


def test_record_refuses_empty_action(db: Database) -> None:
    with pytest.raises(ValueError), db.transaction() as conn:
        record(conn, USER, "")


def test_database_refuses_update_of_audit_rows(db: Database) -> None:
    with db.transaction() as conn:
        record(conn, USER, "user.login", tenant_id=1)
    with pytest.raises(sa.exc.DBAPIError, match="yalnızca eklemeye"), db.transaction() as conn:
        conn.execute(all_tenants(sa.update(audit_log).values(action="forged")))
    assert _count(db) == 1


def test_database_refuses_delete_of_audit_rows(db: Database) -> None:
    with db.transaction() as conn:
        record(conn, USER, "user.login", tenant_id=1)
    with pytest.raises(sa.exc.DBAPIError, match="yalnızca eklemeye"), db.transaction() as conn:
        conn.execute(all_tenants(sa.delete(audit_log)))
    assert _count(db) == 1


def test_database_refuses_raw_sql_delete_of_audit_rows(db: Database) -> None:
    with db.transaction() as conn:
        record(conn, USER, "user.login", tenant_id=1)
    with pytest.raises(sa.exc.DBAPIError, match="yalnızca eklemeye"), db.transaction() as conn:
        conn.exec_driver_sql("DELETE FROM audit_log")
    assert _count(db) == 1


@pytest.mark.postgres
def test_postgresql_refuses_truncate_of_audit_log(
    pg_schema_config: StoreConfig, clock: FakeClock
) -> None:
    db = Database.from_config(pg_schema_config)
    upgrade(db.engine)
    with db.transaction() as conn:
        record(conn, USER, "user.login", tenant_id=1, clock=clock)
    with pytest.raises(sa.exc.DBAPIError, match="yalnızca eklemeye"), db.transaction() as conn:
        conn.exec_driver_sql("TRUNCATE audit_log")
    assert _count(db) == 1
    db.dispose()
