"""Tests of entegrator.store.archive.search: filters, tenancy, titles, cursors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from entegrator.store import Database
from entegrator.store.archive import Archive, ArchiveError, ArchiveKind, ArchiveMeta
from entegrator.store.archive.search import ArchiveQuery, count, iterate, search

ROWS = [
    # number, counterpart, title, day, amount, currency, direction, profile
    ("AAA2026000000001", "1111111111", "ANKARA ÇİMENTO A.Ş.", 1, "100.00", "TRY", "OUT",
     "TEMELFATURA"),
    ("AAA2026000000002", "1111111111", "ANKARA ÇİMENTO A.Ş.", 2, "250.50", "TRY", "OUT",
     "TICARIFATURA"),
    ("AAA2026000000003", "2222222222", "Işık Gıda Ltd. Şti.", 3, "999.99", "USD", "OUT",
     "TEMELFATURA"),
    ("BBB2026000000001", "2222222222", "Işık Gıda Ltd. Şti.", 4, "10.00", "TRY", "IN",
     "TEMELFATURA"),
    ("BBB2026000000002", "33333333333", "Ayşe Yılmaz", 5, "5000.00", "EUR", "IN",
     "TICARIFATURA"),
]


@pytest.fixture
def filled(db: Database, archive: Archive) -> Database:
    with db.transaction() as conn:
        for tenant in (1, 2):
            for n, row in enumerate(ROWS):
                number, vkn, title, day, amount, currency, direction, profile = row
                received = datetime(2026, 1, day, 12, tzinfo=UTC) if direction == "IN" else None
                meta = ArchiveMeta(
                    ettn=f"00000000-0000-4000-8000-{tenant:06d}{n:06d}",
                    number=number,
                    envelope_uuid=f"10000000-0000-4000-8000-{n:012d}",
                    issue_date=date(2026, 1, day),
                    received_at=received,
                    counterpart_vkn_tckn=vkn,
                    counterpart_name=title,
                    profile=profile,
                    invoice_type="SATIS",
                    status="SEND_SUCCEED" if direction == "OUT" else "RECEIVED",
                    payable_amount=Decimal(amount),
                    currency=currency,
                )
                archive.put(
                    conn,
                    f"<doc t='{tenant}' n='{n}'/>".encode(),
                    kind=ArchiveKind.INVOICE,
                    direction=direction,  # type: ignore[arg-type]
                    tenant_id=tenant,
                    meta=meta,
                )
    return db


def _numbers(db: Database, query: ArchiveQuery, tenant: int = 1) -> list[str | None]:
    with db.transaction(read_only=True) as conn:
        return [e.meta.number for e in search(conn, tenant, query).entries]


def test_everything_newest_first(filled: Database) -> None:
    assert _numbers(filled, ArchiveQuery()) == [r[0] for r in reversed(ROWS)]


def test_another_taxpayers_documents_are_never_seen(filled: Database, archive: Archive) -> None:
    with filled.transaction(read_only=True) as conn:
        entries = search(conn, 3, ArchiveQuery()).entries
        ones = search(conn, 1, ArchiveQuery()).entries
    assert entries == []
    assert {e.tenant_id for e in ones} == {1}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ArchiveQuery(direction="IN"), ["BBB2026000000002", "BBB2026000000001"]),
        (ArchiveQuery(counterpart_vkn_tckn="1111111111"), ["AAA2026000000002", "AAA2026000000001"]),
        (ArchiveQuery(number="AAA2026000000003"), ["AAA2026000000003"]),
        (ArchiveQuery(ettn="00000000-0000-4000-8000-000001000003"), ["BBB2026000000001"]),
        (ArchiveQuery(ettn="00000000-0000-4000-8000-000001000003".upper()), ["BBB2026000000001"]),
        (ArchiveQuery(envelope_uuid="10000000-0000-4000-8000-000000000000"), ["AAA2026000000001"]),
        (
            ArchiveQuery(issued_from=date(2026, 1, 2), issued_to=date(2026, 1, 3)),
            ["AAA2026000000003", "AAA2026000000002"],
        ),
        (
            ArchiveQuery(received_from=datetime(2026, 1, 5, tzinfo=UTC)),
            ["BBB2026000000002"],
        ),
        (ArchiveQuery(profile="TICARIFATURA"), ["BBB2026000000002", "AAA2026000000002"]),
        (ArchiveQuery(invoice_type="IADE"), []),
        (ArchiveQuery(status="RECEIVED"), ["BBB2026000000002", "BBB2026000000001"]),
        (ArchiveQuery(currency="USD"), ["AAA2026000000003"]),
        (
            ArchiveQuery(amount_min=Decimal("100"), amount_max=Decimal("999.99")),
            ["AAA2026000000003", "AAA2026000000002", "AAA2026000000001"],
        ),
        (ArchiveQuery(kind=ArchiveKind.ENVELOPE), []),
        (
            ArchiveQuery(counterpart_vkn_tckn="2222222222", issued_from=date(2026, 1, 4)),
            ["BBB2026000000001"],
        ),
    ],
)
def test_filters(filled: Database, query: ArchiveQuery, expected: list[str]) -> None:
    assert _numbers(filled, query) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("ankara", ["AAA2026000000002", "AAA2026000000001"]),
        ("ANK çim", ["AAA2026000000002", "AAA2026000000001"]),
        ("ışık", ["BBB2026000000001", "AAA2026000000003"]),
        ("ISIK gida", ["BBB2026000000001", "AAA2026000000003"]),
        ("yılmaz ayşe", ["BBB2026000000002"]),
        ("istanbul", []),
        ("a.ş.", ["AAA2026000000002", "AAA2026000000001"]),
    ],
)
def test_title_matches_word_prefixes_whatever_the_turkish_case(
    filled: Database, title: str, expected: list[str]
) -> None:
    assert _numbers(filled, ArchiveQuery(title=title)) == expected


def test_title_of_only_punctuation_filters_nothing(filled: Database) -> None:
    assert len(_numbers(filled, ArchiveQuery(title="'\"*"))) == len(ROWS)


def test_cursor_pages_through_every_result_once(filled: Database) -> None:
    seen: list[str | None] = []
    cursor = None
    with filled.transaction(read_only=True) as conn:
        while True:
            page = search(conn, 1, ArchiveQuery(), limit=2, cursor=cursor)
            seen.extend(e.meta.number for e in page.entries)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
    assert seen == [r[0] for r in reversed(ROWS)]


def test_a_full_last_page_has_no_next_cursor(filled: Database) -> None:
    with filled.transaction(read_only=True) as conn:
        page = search(conn, 1, ArchiveQuery(), limit=len(ROWS))
    assert page.next_cursor is None and len(page.entries) == len(ROWS)


def test_iterate_and_count_agree(filled: Database) -> None:
    query = ArchiveQuery(direction="OUT")
    with filled.transaction(read_only=True) as conn:
        assert count(conn, 1, query) == len(list(iterate(conn, 1, query, batch=1))) == 3


@pytest.mark.parametrize("cursor", ["", "garbage", "MnwyMDI2LTAxLTAxfDE"])
def test_a_bad_cursor_is_refused(filled: Database, cursor: str) -> None:
    with filled.transaction(read_only=True) as conn, pytest.raises(ArchiveError):
        search(conn, 1, ArchiveQuery(), cursor=cursor)


@pytest.mark.parametrize("limit", [0, 501])
def test_page_size_is_bounded(filled: Database, limit: int) -> None:
    with filled.transaction(read_only=True) as conn, pytest.raises(ArchiveError):
        search(conn, 1, ArchiveQuery(), limit=limit)


def test_renamed_counterpart_is_found_by_its_new_title(filled: Database, archive: Archive) -> None:
    with filled.transaction() as conn:
        entry = search(conn, 1, ArchiveQuery(number="AAA2026000000001")).entries[0]
        archive.update(conn, entry.ref, ArchiveMeta(counterpart_name="Yeni Unvan Holding"))
    assert _numbers(filled, ArchiveQuery(title="holding")) == ["AAA2026000000001"]
    assert _numbers(filled, ArchiveQuery(title="ankara")) == ["AAA2026000000002"]


def test_day_offsets_are_dates(filled: Database) -> None:
    with filled.transaction(read_only=True) as conn:
        entries = search(conn, 1, ArchiveQuery(), limit=1).entries
    assert entries[0].meta.issue_date == date(2026, 1, 1) + timedelta(days=4)
