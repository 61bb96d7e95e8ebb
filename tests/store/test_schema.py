"""Tests of entegrator.store.schema: UTC timestamps, 64-bit ids, constraint names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from entegrator.store import Database, UtcDateTime, id_column
from entegrator.store.schema import NAMING_CONVENTION, Json

_md = sa.MetaData(naming_convention=NAMING_CONVENTION)
_events = sa.Table(
    "events",
    _md,
    id_column(),
    sa.Column("at", UtcDateTime, nullable=True),
    sa.Column("data", Json, nullable=True),
    sa.Column("code", sa.String(10), unique=True),
)

ISTANBUL = timezone(timedelta(hours=3))


@pytest.fixture
def events(db: Database) -> Database:
    _md.create_all(db.engine)
    return db


def _insert(db: Database, **values: object) -> int:
    with db.transaction() as conn:
        return int(
            conn.execute(sa.insert(_events).values(**values).returning(_events.c.id)).scalar_one()
        )


def test_timestamp_comes_back_aware_utc(events: Database) -> None:
    row_id = _insert(events, at=datetime(2030, 5, 1, 15, 30, 0, 123456, tzinfo=ISTANBUL))
    with events.transaction(read_only=True) as conn:
        at = conn.execute(sa.select(_events.c.at).where(_events.c.id == row_id)).scalar_one()
    assert at == datetime(2030, 5, 1, 12, 30, 0, 123456, tzinfo=UTC)
    assert at.tzinfo is UTC


def test_timestamp_refuses_naive_datetime(events: Database) -> None:
    with pytest.raises(sa.exc.StatementError, match="timezone-aware"):
        _insert(events, at=datetime(2030, 5, 1, 12, 0))


def test_timestamp_null_stays_null(events: Database) -> None:
    row_id = _insert(events, at=None)
    with events.transaction(read_only=True) as conn:
        assert conn.execute(sa.select(_events.c.at).where(_events.c.id == row_id)).scalar() is None


def test_timestamp_comparison_in_sql_follows_time_not_offset(events: Database) -> None:
    base = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
    for offset_us in (0, 1, 999_999):
        _insert(events, at=base + timedelta(microseconds=offset_us))
    # 15:00:00.5 in Istanbul is 12:00:00.5 UTC: only the .999999 row is later.
    threshold = datetime(2030, 5, 1, 15, 0, 0, 500_000, tzinfo=ISTANBUL)
    with events.transaction(read_only=True) as conn:
        later = (
            conn.execute(sa.select(_events.c.at).where(_events.c.at > threshold)).scalars().all()
        )
    assert later == [base + timedelta(microseconds=999_999)]


def test_ids_are_generated_and_increase(events: Database) -> None:
    first, second = _insert(events), _insert(events)
    assert second > first > 0


def test_ids_hold_64_bit_values(events: Database) -> None:
    big = 2**62 + 1
    _insert(events, id=big)
    with events.transaction(read_only=True) as conn:
        assert conn.execute(sa.select(_events.c.id).where(_events.c.id == big)).scalar() == big


def test_json_column_round_trips_nested_documents(events: Database) -> None:
    document = {"ettn": "f47ac10b-58cc-4372-a567-0e02b2c3d479", "lines": [1, 2], "ok": True}
    row_id = _insert(events, data=document)
    with events.transaction(read_only=True) as conn:
        assert (
            conn.execute(sa.select(_events.c.data).where(_events.c.id == row_id)).scalar()
            == document
        )


def test_naming_convention_names_constraints() -> None:
    names = {c.name for c in _events.constraints}
    assert {"pk_events", "uq_events_code"} <= names
