"""Tenant scoping by construction: every query on a taxpayer's data names its taxpayer.

A *tenant table* (made with :func:`tenant_table`) carries ``tenant_id`` — the taxpayer the row
belongs to. Code reaches tenant tables through a :class:`TenantScope` bound to one tenant id;
its builders (``select``, ``insert``, ``update``, ``delete``) add the tenant predicate, and
:meth:`TenantScope.criteria` gives the predicate for joined tables.

Forgetting it fails loudly: every engine made by :func:`entegrator.store.db.create_engine`
carries a guard (:mod:`entegrator.store.tenant_guard`) that inspects each
SELECT/INSERT/UPDATE/DELETE before it runs and raises
:class:`~entegrator.store.errors.TenantScopeViolation` when a tenant table (or an alias of one)
appears without the scope's predicate, when one statement names two tenants, or when the
tenant parameter is overridden at execution. System code that must see every tenant (the job
worker, reports for the operator) says so with :func:`all_tenants`. Textual SQL (``text()``)
is not inspected: never use it on tenant tables. See ``docs/decisions/store-tenancy.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    Connection,
    CursorResult,
    Delete,
    ForeignKey,
    Insert,
    MetaData,
    Row,
    Select,
    Table,
    Update,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.expression import Alias, FromClause

from entegrator.errors import NotFound
from entegrator.store.errors import TenantScopeViolation
from entegrator.store.schema import BigId, id_column

__all__ = [
    "ALL_TENANTS",
    "EXPECTED_TENANT",
    "TENANT_INFO_KEY",
    "TENANT_PARAM",
    "TenantScope",
    "all_tenants",
    "is_tenant_table",
    "tenant_table",
]

#: Key of the bound parameter that carries the tenant id; only TenantScope creates it.
TENANT_PARAM = "entegrator_tenant_id"
#: Execution option that lets one statement read or write every tenant's rows.
ALL_TENANTS = "entegrator_all_tenants"
#: Execution option set by TenantScope.execute: the tenant the statement must name.
EXPECTED_TENANT = "entegrator_expected_tenant"
#: ``Table.info`` key naming a table's tenant column; set by tenant_table(), or by hand for a
#: table whose tenant is optional (the audit log).
TENANT_INFO_KEY = "tenant_column"
_S = TypeVar("_S", bound=Executable)


def tenant_table(
    name: str,
    metadata: MetaData,
    *columns: Any,
    tenant_fk: str | None = None,
    **kwargs: Any,
) -> Table:
    """Define a table owned by tenants: ``id`` primary key, then ``tenant_id``, then ``columns``.

    ``tenant_fk`` (e.g. ``"taxpayers.id"``) makes ``tenant_id`` a foreign key.
    """
    fk = (ForeignKey(tenant_fk, ondelete="RESTRICT"),) if tenant_fk else ()
    tenant = Column("tenant_id", BigId, *fk, nullable=False, index=True)
    info = dict(kwargs.pop("info", {}))
    info[TENANT_INFO_KEY] = "tenant_id"
    return Table(name, metadata, id_column(), tenant, *columns, info=info, **kwargs)


def is_tenant_table(table: FromClause) -> bool:
    """Whether ``table`` (a Table, or an alias of one) holds tenant-owned rows."""
    base = _base_table(table)
    return base is not None and TENANT_INFO_KEY in base.info


def all_tenants(statement: _S) -> _S:
    """Mark ``statement`` as deliberately crossing tenants (system code only)."""
    return statement.execution_options(**{ALL_TENANTS: True})


class TenantScope:
    """A connection seen through one tenant: every statement it builds names that tenant."""

    def __init__(self, conn: Connection, tenant_id: int) -> None:
        if isinstance(tenant_id, bool) or not isinstance(tenant_id, int):
            raise TypeError(f"tenant id must be an int, got {tenant_id!r}")
        self.conn = conn
        self.tenant_id = tenant_id

    def criteria(self, table: FromClause) -> ColumnElement[bool]:
        """The predicate ``table.tenant_id = <this tenant>`` (for joins and subqueries)."""
        base = _base_table(table)
        if base is None or TENANT_INFO_KEY not in base.info:
            raise TenantScopeViolation(f"{_describe(table)} kiracıya bağlı bir tablo değil")
        column = table.c[base.info[TENANT_INFO_KEY]]
        return column == self._param(column)

    def select(self, table: FromClause, *columns: Any) -> Select[Any]:
        """``SELECT columns (default: all) FROM table WHERE <tenant>``."""
        return select(*(columns or (table,))).select_from(table).where(self.criteria(table))

    def insert(self, table: Table) -> Insert:
        """``INSERT INTO table`` with ``tenant_id`` set to this tenant for every row."""
        if not is_tenant_table(table):
            raise TenantScopeViolation(f"{_describe(table)} kiracıya bağlı bir tablo değil")
        column = table.c[table.info[TENANT_INFO_KEY]]
        return insert(table).values({column.key: self._param(column)})

    def update(self, table: Table) -> Update:
        """``UPDATE table … WHERE <tenant>``."""
        return update(table).where(self.criteria(table))

    def delete(self, table: Table) -> Delete:
        """``DELETE FROM table WHERE <tenant>``."""
        return delete(table).where(self.criteria(table))

    def execute(
        self,
        statement: Executable,
        params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
    ) -> CursorResult[Any]:
        """Run ``statement``; the guard refuses one built for another tenant."""
        return self.conn.execute(
            statement, params, execution_options={EXPECTED_TENANT: self.tenant_id}
        )

    def get(self, table: Table, row_id: int) -> Row[Any]:
        """The row ``row_id`` of this tenant; raises NotFound when absent or another tenant's."""
        row = self.conn.execute(self.select(table).where(table.c.id == row_id)).first()
        if row is None:
            raise NotFound(f"{table.name} kaydı bulunamadı: {row_id}")
        return row

    def _param(self, column: ColumnElement[Any]) -> BindParameter[Any]:
        return bindparam(TENANT_PARAM, self.tenant_id, type_=column.type)


def _base_table(table: FromClause) -> Table | None:
    if isinstance(table, Table):
        return table
    if isinstance(table, Alias) and isinstance(table.element, Table):
        return table.element
    return None


def _describe(table: FromClause) -> str:
    return str(getattr(table, "name", None) or type(table).__name__)
