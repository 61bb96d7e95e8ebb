"""Engine factory and transaction helper for SQLite and PostgreSQL.

SQLite (file) connections run in WAL mode with ``synchronous`` FULL by default (a commit
survives power loss, not only a crash of the process), ``foreign_keys=ON`` and a busy timeout.
SQLAlchemy — not the ``sqlite3`` module — emits ``BEGIN``: ``BEGIN IMMEDIATE`` for every
transaction that may write, so two writers queue on the busy timeout instead of both reading
first and then dead-locking on the upgrade to a write lock (SQLITE_BUSY that no wait cures);
read-only transactions use a plain deferred ``BEGIN``. PostgreSQL connections use psycopg 3
with the session time zone UTC and, optionally, a ``search_path`` of one schema.

Every engine made here carries the tenant guard (:mod:`entegrator.store.tenancy`).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from sqlalchemy import Connection, Engine, event
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.pool import ConnectionPoolEntry

from entegrator.store.config import StoreConfig
from entegrator.store.tenant_guard import install_tenant_guard

__all__ = ["READ_ONLY", "Database", "create_engine"]

#: Execution option marking a transaction that never writes (plain BEGIN on SQLite,
#: READ ONLY on PostgreSQL).
READ_ONLY = "entegrator_read_only"


def create_engine(config: StoreConfig) -> Engine:
    """Build the SQLAlchemy engine for ``config`` (SQLite file or PostgreSQL via psycopg 3)."""
    url = config.sqlalchemy_url()
    if config.dialect == "sqlite":
        engine = sa_create_engine(
            url,
            echo=config.echo,
            pool_size=config.pool_size,
            max_overflow=config.max_overflow,
            pool_timeout=config.pool_timeout,
            connect_args={
                "timeout": config.sqlite_busy_timeout_ms / 1000,
                "check_same_thread": False,
            },
        )
        _configure_sqlite(engine, config)
    else:
        options = ["-c timezone=UTC"]
        if config.pg_schema:
            options.append(f"-c search_path={config.pg_schema}")
        if config.pg_statement_timeout_ms is not None:
            options.append(f"-c statement_timeout={config.pg_statement_timeout_ms}")
        engine = sa_create_engine(
            url,
            echo=config.echo,
            pool_size=config.pool_size,
            max_overflow=config.max_overflow,
            pool_timeout=config.pool_timeout,
            pool_recycle=config.pool_recycle,
            pool_pre_ping=True,
            connect_args={
                "options": " ".join(options),
                "application_name": config.application_name,
                "connect_timeout": 10,
            },
        )
        _configure_postgresql(engine)
    install_tenant_guard(engine)
    return engine


def _configure_sqlite(engine: Engine, config: StoreConfig) -> None:
    pragmas = (
        f"PRAGMA synchronous={config.sqlite_synchronous}",
        "PRAGMA foreign_keys=ON",
        f"PRAGMA busy_timeout={config.sqlite_busy_timeout_ms}",
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Take BEGIN away from the sqlite3 module: it would skip it before SELECTs and DDL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            _enable_wal(cursor, config.sqlite_busy_timeout_ms / 1000)
            for pragma in pragmas:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _enable_wal(cursor: Any, timeout: float) -> None:
    """Switch the database file to WAL (a no-op once it is: the mode is persistent).

    The switch needs the file's exclusive lock and SQLite does not wait for it on the busy
    timeout — a process opening a new database while another migrates it would fail with
    "database is locked" — so the switch is retried here until ``timeout`` runs out.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(READ_ONLY, False):
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")


class Database:
    """An engine plus the one way to run work in a transaction (``db.transaction()``)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_config(cls, config: StoreConfig) -> Database:
        """Create the engine for ``config`` and wrap it."""
        return cls(create_engine(config))

    @property
    def dialect(self) -> Literal["sqlite", "postgresql"]:
        """``"sqlite"`` or ``"postgresql"``."""
        return "sqlite" if self.engine.dialect.name == "sqlite" else "postgresql"

    @contextmanager
    def transaction(self, *, read_only: bool = False) -> Iterator[Connection]:
        """Open a connection in a transaction; commit on normal exit, roll back on error.

        Write transactions take SQLite's write lock at once (``BEGIN IMMEDIATE``);
        ``read_only=True`` reads a snapshot without it.
        """
        with self.engine.connect() as conn:
            if read_only:
                conn.execution_options(**{READ_ONLY: True})  # in place for this connection
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        """Close every pooled connection (call at shutdown and after ``fork``)."""
        self.engine.dispose()
