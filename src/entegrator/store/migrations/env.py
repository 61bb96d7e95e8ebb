"""Alembic environment: runs on the connection handed in by entegrator.store.migrate."""

from __future__ import annotations

from alembic import context

import entegrator.store  # noqa: F401  (defines the store's tables on the metadata)
from entegrator.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through entegrator.store.migrate (entegrator db upgrade)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
