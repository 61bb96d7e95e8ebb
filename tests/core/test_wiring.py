"""Tests of entegrator.core.wiring: building and closing the Integrator."""

from __future__ import annotations

from pathlib import Path

import pytest

from entegrator.core.wiring import Integrator, build_integrator
from entegrator.store import StoreConfig
from entegrator.store.errors import SchemaNotCurrent
from tests.core.support import CorePki, SeededTaxpayer, make_config


def test_build_integrator_refuses_an_unmigrated_database(
    db_config: StoreConfig, tmp_path: Path, core_pki: CorePki
) -> None:
    with pytest.raises(SchemaNotCurrent):
        build_integrator(make_config(db_config, tmp_path, core_pki))


def test_build_integrator_upgrades_when_asked(
    db_config: StoreConfig, tmp_path: Path, core_pki: CorePki
) -> None:
    integrator = build_integrator(make_config(db_config, tmp_path, core_pki), schema="upgrade")
    try:
        with integrator.db.transaction(read_only=True) as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM taxpayers").scalar_one() == 0
    finally:
        integrator.close()


def test_seals_resolve_a_seeded_taxpayer(integrator: Integrator, supplier: SeededTaxpayer) -> None:
    seal = integrator.seals.seal_for(supplier.vkn)
    assert seal.signer_vkn == supplier.vkn
    assert not seal.delegated


def test_the_job_registry_holds_every_owners_kinds(integrator: Integrator) -> None:
    kinds = set(integrator.jobs.kinds)
    assert {"outbound.prepare", "outbound.send", "outbound.poll", "inbound.process",
            "userlist.refresh", "archive.maintain"} <= kinds


def test_close_releases_the_database(db_config: StoreConfig, tmp_path: Path,
                                     core_pki: CorePki) -> None:
    integrator = build_integrator(make_config(db_config, tmp_path, core_pki), schema="upgrade")
    integrator.close()
    assert integrator.db.engine.pool.checkedout() == 0
