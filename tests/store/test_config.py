"""Tests of entegrator.store.config."""

from __future__ import annotations

import pytest

from entegrator.errors import ConfigurationError
from entegrator.store import StoreConfig


def test_config_accepts_sqlite_file() -> None:
    assert StoreConfig(url="sqlite:///var/e.db").dialect == "sqlite"


def test_config_accepts_postgresql_psycopg() -> None:
    assert StoreConfig(url="postgresql+psycopg://u@h/db").dialect == "postgresql"


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_config_refuses_sqlite_memory(url: str) -> None:
    with pytest.raises(ConfigurationError, match="bellek"):
        StoreConfig(url=url)


def test_config_refuses_other_postgresql_driver() -> None:
    with pytest.raises(ConfigurationError, match="psycopg"):
        StoreConfig(url="postgresql+psycopg2://u@h/db")


def test_config_refuses_other_database() -> None:
    with pytest.raises(ConfigurationError, match="desteklenmeyen"):
        StoreConfig(url="mysql://u@h/db")


def test_config_refuses_malformed_url() -> None:
    with pytest.raises(ConfigurationError):
        StoreConfig(url="not a url")


def test_config_refuses_unsafe_schema_name() -> None:
    with pytest.raises(ConfigurationError, match="şema"):
        StoreConfig(url="postgresql+psycopg://u@h/db", pg_schema="x; drop table y")


def test_config_repr_hides_password() -> None:
    text = repr(StoreConfig(url="postgresql+psycopg://u:hunter2@h/db"))
    assert "hunter2" not in text
    assert "***" in text


def test_config_from_mapping_reads_prefixed_keys() -> None:
    config = StoreConfig.from_mapping(
        {
            "ENTEGRATOR_DATABASE__URL": "postgresql+psycopg://u@h/db",
            "ENTEGRATOR_DATABASE__POOL_SIZE": "12",
            "ENTEGRATOR_DATABASE__PG_SCHEMA": "ent",
        }
    )
    assert (config.pool_size, config.pg_schema) == (12, "ent")


def test_config_from_mapping_needs_url() -> None:
    with pytest.raises(ConfigurationError, match="URL"):
        StoreConfig.from_mapping({})


def test_config_from_mapping_refuses_non_integer() -> None:
    with pytest.raises(ConfigurationError, match="tam sayı"):
        StoreConfig.from_mapping(
            {"ENTEGRATOR_DATABASE__URL": "sqlite:///x.db", "ENTEGRATOR_DATABASE__POOL_SIZE": "x"}
        )
