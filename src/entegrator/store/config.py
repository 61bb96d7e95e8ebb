"""Database settings of the store: a frozen dataclass built once by the faces.

Only two back ends are supported: SQLite (a file; the embedded default) and PostgreSQL through
psycopg 3 (production). See ``docs/decisions/store-database.md`` for why the SQLite defaults
(WAL, ``synchronous=FULL``, ``BEGIN IMMEDIATE``) are what they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from entegrator.errors import ConfigurationError

__all__ = ["StoreConfig"]

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True, slots=True, repr=False)
class StoreConfig:
    """Where the database is and how connections to it behave.

    ``url`` is a SQLAlchemy URL: ``sqlite:///var/entegrator.db`` or
    ``postgresql+psycopg://user:password@host:5432/dbname``. ``pg_schema`` puts every table in
    that PostgreSQL schema (it must exist); SQLite ignores it.
    """

    url: str
    pool_size: int = 5
    max_overflow: int = 5
    pool_timeout: float = 30.0
    pool_recycle: int = 1800
    sqlite_busy_timeout_ms: int = 30_000
    sqlite_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    pg_schema: str | None = None
    pg_statement_timeout_ms: int | None = None
    application_name: str = "entegrator"
    echo: bool = False

    def __post_init__(self) -> None:
        url = self.sqlalchemy_url()
        if url.get_backend_name() == "sqlite":
            if not url.database or url.database == ":memory:":
                raise ConfigurationError(
                    "SQLite bellek veritabanı desteklenmez; bir dosya yolu verin "
                    "(örnek: sqlite:///var/entegrator.db)"
                )
        elif url.get_backend_name() == "postgresql":
            if url.get_driver_name() != "psycopg":
                raise ConfigurationError(
                    "PostgreSQL için psycopg 3 sürücüsü kullanılır: "
                    "postgresql+psycopg://kullanıcı@sunucu/veritabanı"
                )
        else:
            raise ConfigurationError(
                f"desteklenmeyen veritabanı: {url.get_backend_name()!r} "
                "(yalnızca sqlite ve postgresql)"
            )
        if self.sqlite_synchronous not in ("FULL", "NORMAL"):
            raise ConfigurationError("sqlite_synchronous FULL ya da NORMAL olmalı")
        if self.pg_schema is not None and not _SCHEMA_NAME.match(self.pg_schema):
            raise ConfigurationError(f"geçersiz PostgreSQL şema adı: {self.pg_schema!r}")
        for name in ("pool_size", "sqlite_busy_timeout_ms", "pool_recycle"):
            if getattr(self, name) < 0:
                raise ConfigurationError(f"{name} negatif olamaz")
        if self.pool_size < 1:
            raise ConfigurationError("pool_size en az 1 olmalı")

    @property
    def dialect(self) -> Literal["sqlite", "postgresql"]:
        """``"sqlite"`` or ``"postgresql"``."""
        name = self.sqlalchemy_url().get_backend_name()
        return "sqlite" if name == "sqlite" else "postgresql"

    def sqlalchemy_url(self) -> URL:
        """The URL parsed by SQLAlchemy; raises ConfigurationError when it is malformed."""
        try:
            return make_url(self.url)
        except ArgumentError as exc:
            raise ConfigurationError("veritabanı adresi okunamadı") from exc

    def __repr__(self) -> str:
        shown = self.sqlalchemy_url().render_as_string(hide_password=True)
        return f"StoreConfig(url={shown!r}, pg_schema={self.pg_schema!r})"

    @classmethod
    def from_mapping(
        cls, env: Mapping[str, str], prefix: str = "ENTEGRATOR_DATABASE__"
    ) -> StoreConfig:
        """Build the config from ``ENTEGRATOR_DATABASE__URL``, ``…__POOL_SIZE`` and friends.

        Only the faces call this (with ``os.environ``); every other module gets the object.
        """
        url = env.get(prefix + "URL")
        if not url:
            raise ConfigurationError(f"{prefix}URL tanımlı değil")
        kwargs: dict[str, object] = {"url": url}
        ints = (
            "pool_size",
            "max_overflow",
            "pool_recycle",
            "sqlite_busy_timeout_ms",
            "pg_statement_timeout_ms",
        )
        for name in ints:
            raw = env.get(prefix + name.upper())
            if raw:
                try:
                    kwargs[name] = int(raw)
                except ValueError as exc:
                    raise ConfigurationError(f"{prefix}{name.upper()} bir tam sayı olmalı") from exc
        for name in ("sqlite_synchronous", "pg_schema", "application_name"):
            raw = env.get(prefix + name.upper())
            if raw:
                kwargs[name] = raw
        return cls(**kwargs)  # type: ignore[arg-type]
