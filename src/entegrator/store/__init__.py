"""store — persistence: database engine and schema, migrations, durable jobs, audit log, archive.

SQLAlchemy 2 Core on SQLite (embedded default, WAL) and PostgreSQL (production, psycopg 3).
Rules of this part: every write happens in a caller-visible transaction
(``Database.transaction()``), jobs and audit rows are written in the caller's transaction,
tenant-owned tables are reached only through a ``TenantScope``, timestamps come from a
``Clock`` and are UTC. Decisions: ``docs/decisions/store-*.md``.
"""

from __future__ import annotations

from entegrator.store import audit, jobs
from entegrator.store.clock import SYSTEM_CLOCK, Clock, FakeClock, SystemClock
from entegrator.store.config import StoreConfig
from entegrator.store.db import Database, create_engine
from entegrator.store.errors import LeaseLost, SchemaNotCurrent, StoreError, TenantScopeViolation
from entegrator.store.schema import BigId, Json, UtcDateTime, id_column, metadata
from entegrator.store.tenancy import TenantScope, all_tenants, tenant_table

__all__ = [
    "SYSTEM_CLOCK",
    "BigId",
    "Clock",
    "Database",
    "FakeClock",
    "Json",
    "LeaseLost",
    "SchemaNotCurrent",
    "StoreConfig",
    "StoreError",
    "SystemClock",
    "TenantScope",
    "TenantScopeViolation",
    "UtcDateTime",
    "all_tenants",
    "audit",
    "create_engine",
    "id_column",
    "jobs",
    "metadata",
    "tenant_table",
]
