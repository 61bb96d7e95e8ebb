"""The simulator's own tables on SQLite and PostgreSQL: user list and envelope records."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect

from entegrator.gib.userlist import UserListKind, iter_users, write_users
from entegrator.simulator import AliasConflict, create_schema, records, users
from entegrator.simulator.tables import metadata
from entegrator.store import Database, StoreConfig
from entegrator.ubl.identifiers import ettn

T0 = dt.datetime(2030, 1, 1, 9, tzinfo=dt.UTC)


@pytest.fixture
def sim_db(db_config: StoreConfig) -> Iterator[Database]:
    database = Database.from_config(db_config)
    create_schema(database.engine)
    try:
        yield database
    finally:
        database.dispose()


def test_schema_has_the_simulator_and_job_tables(sim_db: Database) -> None:
    names = set(inspect(sim_db.engine).get_table_names())
    assert set(metadata.tables) | {"jobs", "job_breakers"} <= names
    create_schema(sim_db.engine)  # idempotent


def test_alias_lives_at_one_integrator(sim_db: Database) -> None:
    with sim_db.transaction() as conn:
        users.register(conn, "4540536920", title="X", type="OZEL", owner="a", now=T0,
                       gb=["urn:mail:gb@x.example"])
    with pytest.raises(AliasConflict), sim_db.transaction() as conn:
        users.register(conn, "4540536920", title="X", type="OZEL", owner="b", now=T0,
                       gb=["urn:mail:gb@x.example"])
    with sim_db.transaction() as conn:
        assert users.register(conn, "4540536920", title="X", type="OZEL", owner="a", now=T0,
                              gb=["urn:mail:gb@x.example"]) == 0  # already open: no change
        found = users.find_aliases(conn, "urn:mail:gb@x.example", identifier="4540536920")
    assert [(a.role, a.owner) for a in found] == [("GB", "a")]


def test_closed_alias_is_listed_with_its_deletion_time(sim_db: Database) -> None:
    with sim_db.transaction() as conn:
        users.register(conn, "4540536920", title="X", type="KAMU", owner="a", now=T0,
                       gb=["urn:mail:gb@x.example"], pk=["urn:mail:pk@x.example"])
        closed = users.remove_aliases(conn, "4540536920", now=T0 + dt.timedelta(hours=1),
                                      role="PK")
        entries = users.list_users(conn)
    assert closed == 1
    sink = io.BytesIO()
    write_users(users.iter_list(entries, UserListKind.PK), sink)
    (record,) = list(iter_users(io.BytesIO(sink.getvalue())))
    alias = record.documents[0].aliases[0]
    assert (record.identifier, record.type, alias.name) == ("4540536920", "KAMU",
                                                            "urn:mail:pk@x.example")
    assert (alias.creation_time, alias.deletion_time) == ("2030-01-01T12:00:00",
                                                          "2030-01-01T13:00:00")


def test_users_changed_since(sim_db: Database) -> None:
    with sim_db.transaction() as conn:
        users.register(conn, "4540536920", title="X", type="OZEL", owner="a", now=T0,
                       gb=["urn:mail:gb@x.example"])
        users.register(conn, "9205121120", title="Y", type="OZEL", owner="a", now=T0,
                       gb=["urn:mail:gb@y.example"])
        users.remove_aliases(conn, "9205121120", now=T0 + dt.timedelta(hours=2))
        changed = users.list_users(conn, since=T0 + dt.timedelta(hours=1))
    assert [u.identifier for u in changed] == ["9205121120"]


def test_import_of_a_gib_list(sim_db: Database, samples_dir: Path) -> None:
    sample = samples_dir / "userlist" / "UserList_example_GIB_UserList_Kilavuzu_v1.0.xml"
    with sim_db.transaction() as conn:
        count, opened = users.import_users(conn, iter_users(sample), role="GB", owner="a",
                                           now=T0)
        entry = users.list_users(conn, identifier="3900383669")[0]
    assert (count, opened) == (1, 2)  # closed aliases of the list are not opened
    assert {(a.name, a.document_type) for a in entry.aliases} == {
        ("urn:mail:defaultgb@gib.gov.tr", "Invoice"),
        ("urn:mail:irsaliyegb@gib.gov.tr", "DespatchAdvice")}


def test_duplicate_invoice_registration_leaves_nothing(sim_db: Database) -> None:
    keys = [records.InvoiceKey(ettn.new(), "4540536920", "ABC2030000000001"),
            records.InvoiceKey(ettn.new(), "4540536920", "ABC2030000000002")]
    with sim_db.transaction() as conn:
        first = records.insert_envelope(conn, f"{ettn.new()}.zip", b"z", origin="a", now=T0,
                                        status=1100)
        second = records.insert_envelope(conn, f"{ettn.new()}.zip", b"z", origin="a", now=T0,
                                         status=1100)
        assert records.register_invoices(conn, first, keys[:1])
        clash = [keys[1], records.InvoiceKey(ettn.new(), "4540536920", "ABC2030000000001")]
        assert not records.register_invoices(conn, second, clash)
        assert records.register_invoices(conn, second, keys[1:])  # nothing was kept
        records.unregister_invoices(conn, first)
        assert records.register_invoices(conn, second, [keys[0]])


def test_envelope_id_is_unique(sim_db: Database) -> None:
    name = f"{ettn.new()}.zip"
    with sim_db.transaction() as conn:
        records.insert_envelope(conn, name, b"z", origin="a", now=T0, status=1000)
        with pytest.raises(records.EnvelopeExists):
            records.insert_envelope(conn, name.upper().replace(".ZIP", ".zip"), b"z",
                                    origin="b", now=T0, status=1000)


def test_status_moves_only_from_the_expected_codes(sim_db: Database) -> None:
    with sim_db.transaction() as conn:
        pk = records.insert_envelope(conn, f"{ettn.new()}.zip", b"z", origin="a", now=T0,
                                     status=1000)
        assert not records.set_status(conn, pk, 1300, now=T0, only_from=(1220,))
        assert records.set_status(conn, pk, 1100, now=T0, only_from=(1000,))
        history = [e.code for e in records.envelope_events(conn, pk)]
    assert history == [1000, 1100]
