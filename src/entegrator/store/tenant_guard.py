"""The engine-wide tenant guard: no statement reaches tenant rows without naming its tenant.

Installed on every engine by :func:`entegrator.store.db.create_engine`. Two checks:

* structure (once per compiled statement, cached with SQLAlchemy's compiled cache): every
  tenant table or alias in a SELECT/INSERT/UPDATE/DELETE — subqueries and joins included —
  carries the predicate ``tenant_id = :entegrator_tenant_id`` made by a TenantScope (an INSERT
  sets the column from that parameter);
* values (each execution, cheap): all tenant parameters of the statement hold one tenant,
  the caller did not override it in the execution parameters, and, when run through
  ``TenantScope.execute``, it is the scope's tenant.

Statements marked with :func:`entegrator.store.tenancy.all_tenants` and textual SQL are not
checked.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, Insert, Select, Table, event
from sqlalchemy.engine.interfaces import ExecutionContext
from sqlalchemy.sql.compiler import Compiled
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import BinaryExpression, BindParameter, ClauseElement, ColumnElement
from sqlalchemy.sql.expression import Alias, FromClause
from sqlalchemy.sql.operators import eq
from sqlalchemy.sql.selectable import CompoundSelect

from entegrator.store.errors import TenantScopeViolation
from entegrator.store.tenancy import (
    ALL_TENANTS,
    EXPECTED_TENANT,
    TENANT_INFO_KEY,
    TENANT_PARAM,
    is_tenant_table,
)

__all__ = ["install_tenant_guard", "structural_problem"]

_CHECKED = (Select, CompoundSelect, UpdateBase)


def install_tenant_guard(engine: Engine) -> None:
    """Make ``engine`` refuse statements that touch tenant tables without a TenantScope."""
    verdicts: weakref.WeakKeyDictionary[Compiled, str | None] = weakref.WeakKeyDictionary()

    def before_execute(
        conn: Connection,
        statement: Any,
        multiparams: Sequence[Mapping[str, Any]],
        params: Mapping[str, Any],
        execution_options: Mapping[str, Any],
    ) -> None:
        if execution_options.get(ALL_TENANTS) or not isinstance(statement, _CHECKED):
            return
        if TENANT_PARAM in params or any(TENANT_PARAM in p for p in multiparams):
            raise TenantScopeViolation("kiracı parametresi çalıştırma sırasında değiştirilemez")

    def before_cursor_execute(**event_args: Any) -> None:
        context: ExecutionContext | None = event_args["context"]
        compiled = getattr(context, "compiled", None)
        if compiled is None or not isinstance(compiled.statement, _CHECKED):
            return
        options = context.execution_options  # type: ignore[union-attr]
        if options.get(ALL_TENANTS):
            return
        if compiled in verdicts:
            problem = verdicts[compiled]
        else:
            problem = verdicts[compiled] = structural_problem(compiled.statement)
        if problem:
            raise TenantScopeViolation(problem)
        _check_values(context, options.get(EXPECTED_TENANT))

    event.listen(engine, "before_execute", before_execute)
    event.listen(engine, "before_cursor_execute", before_cursor_execute, named=True)


def _check_values(context: Any, expected: int | None) -> None:
    extracted: Iterable[Any] | None = getattr(context, "extracted_parameters", None)
    if extracted is None:  # compiled cache disabled: look at the statement itself
        invoked = getattr(context, "invoked_statement", None)
        extracted = _walk(invoked) if invoked is not None else ()
    values = {p.value for p in extracted if isinstance(p, BindParameter) and p.key == TENANT_PARAM}
    if len(values) > 1:
        raise TenantScopeViolation("bir sorgu birden çok kiracıyı karıştıramaz")
    if expected is not None and values and values != {expected}:
        raise TenantScopeViolation("sorgu başka bir kiracı için hazırlanmış")


def structural_problem(statement: ClauseElement) -> str | None:
    """Why ``statement`` is not tenant-scoped, or None when every tenant table is scoped."""
    tenant_froms: dict[int, FromClause] = {}
    covered: set[int] = set()
    has_marker = False
    for element in _walk(statement):
        if isinstance(element, FromClause):
            if is_tenant_table(element):
                tenant_froms[_key(element)] = element
        elif isinstance(element, BindParameter) and element.key == TENANT_PARAM:
            has_marker = True
        elif isinstance(element, BinaryExpression) and element.operator is eq:
            scoped = _scoped_from(element)
            if scoped is not None:
                covered.add(_key(scoped))
    if isinstance(statement, Insert) and is_tenant_table(statement.table) and has_marker:
        covered.add(_key(statement.table))
    missing = sorted({_describe(f) for key, f in tenant_froms.items() if key not in covered})
    if missing:
        return (
            f"kiracı kapsamı olmadan sorgu: {', '.join(missing)} "
            "(TenantScope kullanın ya da all_tenants())"
        )
    return None


def _scoped_from(expression: BinaryExpression[Any]) -> FromClause | None:
    """The FROM that ``tenant_id = :entegrator_tenant_id`` scopes, if it is that predicate."""
    left, right = expression.left, expression.right
    if not (isinstance(right, BindParameter) and right.key == TENANT_PARAM):
        return None
    table = getattr(left, "table", None)
    if not isinstance(table, FromClause) or not is_tenant_table(table):
        return None
    base = _base_table(table)
    if base is None or left.key != base.info[TENANT_INFO_KEY]:
        return None
    return table


def _walk(statement: ClauseElement) -> Iterator[Any]:
    """Every element of ``statement``; an alias of a table is yielded but not entered."""
    stack: list[Any] = [statement]
    seen: set[int] = set()
    while stack:
        element = stack.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        yield element
        if _base_table(element) is not None:
            continue
        if isinstance(element, ColumnElement) and isinstance(
            getattr(element, "table", None), FromClause
        ):
            stack.append(element.table)
        stack.extend(element.get_children())


def _key(from_clause: FromClause) -> int:
    # Core may hand out annotated copies of a table; they stand for the same FROM.
    return id(from_clause._deannotate())


def _base_table(element: Any) -> Table | None:
    if isinstance(element, Table):
        return element
    if isinstance(element, Alias) and isinstance(element.element, Table):
        return element.element
    return None


def _describe(table: FromClause) -> str:
    return str(getattr(table, "name", None) or type(table).__name__)
