"""Merkez (the simulator) goes down while invoices travel: jobs back off, then drain; nothing
is lost, nothing doubled, no number skipped."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from entegrator.core.outbound import Request, submit_many
from entegrator.store import Database, StoreConfig
from entegrator.store.jobs import breaker_status
from entegrator.ubl import load_invoice
from tests.core.support import CorePki, admin_caller
from tests.core.twoway import (
    final_events,
    make_twoway,
    start_in_process,
    states,
    wait_for,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "01-temel-satis.json"


def invoices(count: int) -> list[Request]:
    """``count`` TEMELFATURA invoices from SUPPLIER to CUSTOMER, numbered by series ENT."""
    spec = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    spec.pop("number")
    spec.pop("ettn")
    return [Request(load_invoice({**spec, "notes": [f"fatura {i}"]})) for i in range(count)]


@pytest.fixture
def b_store(tmp_path: Path) -> StoreConfig:
    """Integrator B's database (SQLite; A's side is what these tests are about)."""
    return StoreConfig(url=f"sqlite:///{tmp_path / 'b.db'}")


@pytest.fixture
def twoway_dir(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "twoway"
    path.mkdir()
    yield path


@pytest.mark.slow
def test_an_outage_is_waited_out_and_every_invoice_arrives_once(
    db_config: StoreConfig, b_store: StoreConfig, twoway_dir: Path, core_pki: CorePki,
) -> None:
    pair = make_twoway(twoway_dir, core_pki, db_config, b_store)
    a_db, b_db = Database.from_config(db_config), Database.from_config(b_store)
    try:
        with start_in_process(pair.b), start_in_process(pair.a) as a:
            caller = admin_caller(pair.a.tenant_id)
            with pair.merkez():
                submit_many(a, caller, invoices(40), channel="api")
                wait_for(lambda: states(b_db, "IN").get("received", 0) >= 10, timeout=120,
                         what="the first invoices at B")
            # Merkez is down now.
            submit_many(a, caller, invoices(40), channel="api")

            def breaker_open() -> bool:
                with a_db.transaction(read_only=True) as conn:
                    return breaker_status(conn, "gib").state.value in ("open", "half_open")

            wait_for(breaker_open, timeout=60, what="the gib circuit breaker to open")
            stuck = states(a_db, "OUT")
            assert "send_failed" not in stuck and sum(stuck.values()) == 80
            with pair.merkez():
                wait_for(lambda: states(a_db, "OUT") == {"send_succeed": 80}, timeout=300,
                         what="all 80 invoices to succeed at A")
                wait_for(lambda: states(b_db, "IN").get("received", 0) == 80, timeout=60,
                         what="80 invoices at B")
    finally:
        a_db.dispose()
        b_db.dispose()
    _check_exactly_once(db_config, b_store, 80)


def _check_exactly_once(a_store: StoreConfig, b_store: StoreConfig, count: int) -> None:
    from sqlalchemy import select

    from entegrator.store.domain import documents
    from entegrator.store.tenancy import all_tenants

    a_db, b_db = Database.from_config(a_store), Database.from_config(b_store)
    try:
        d = documents.c
        with a_db.transaction(read_only=True) as conn:
            sent = conn.execute(all_tenants(select(d.number, d.ettn, d.issue_date)
                                            .where(d.direction == "OUT"))).all()
        with b_db.transaction(read_only=True) as conn:
            got = conn.execute(all_tenants(select(d.ettn).where(d.direction == "IN"))).all()
        year = sent[0].issue_date.year
        assert sorted(r.number for r in sent) == [f"ENT{year}{n:09d}" for n in
                                                  range(1, count + 1)]
        assert sorted(r.ettn for r in got) == sorted(r.ettn for r in sent)
        assert set(final_events(a_db, "send_succeed").values()) == {1}
        assert len(final_events(a_db, "send_succeed")) == count
    finally:
        a_db.dispose()
        b_db.dispose()
