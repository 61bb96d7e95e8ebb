"""Tests for the row reader of entegrator.gib.userlist.reader (``iter_user_rows``): the same
values as the record reader (``iter_users``) on GİB's samples, hand-written edge cases and
generated lists."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entegrator.gib.errors import UserListError
from entegrator.gib.userlist import (
    DESPATCH_ADVICE,
    INVOICE,
    Alias,
    DocumentAliases,
    User,
    UserRow,
    iter_user_rows,
    iter_user_rows_zip,
    iter_users,
    iter_users_zip,
    write_users,
    write_users_zip,
)

SAMPLES = ("UserList_example_GIB_UserList_Kilavuzu_v1.0.xml",
           "UserList_legacy_flat_format_example.xml")


def as_row(user: User) -> UserRow:
    """What ``iter_user_rows`` must give for a record of ``iter_users``."""
    aliases = [(group.type, name, alias.creation_time, alias.deletion_time)
               for group in user.documents for alias in group.aliases
               for name in alias.names if name]
    return (user.identifier, user.title, user.type, user.first_creation_time,
            user.account_type, aliases)


@pytest.mark.parametrize("name", SAMPLES)
def test_rows_equal_records_on_gibs_samples(samples_dir: Path, name: str) -> None:
    path = samples_dir / "userlist" / name
    records = list(iter_users(path))
    assert records  # the samples hold users
    assert list(iter_user_rows(path)) == [as_row(user) for user in records]


def test_rows_of_gibs_example_hold_every_alias(samples_dir: Path) -> None:
    path = samples_dir / "userlist" / SAMPLES[0]
    ((ident, _title, kind, _first, account, aliases),) = iter_user_rows(path)
    assert (ident, kind, account) == ("3900383669", "KAMU", "ENTEGRASYON")
    assert (INVOICE, "urn:mail:defaultgb@gmail.com", "2014-04-01T00:00:00",
            "2026-03-26T00:00:00") in aliases
    assert {row[0] for row in aliases} == {INVOICE, DESPATCH_ADVICE}


EDGE_CASES = """<?xml version="1.0" encoding="UTF-8"?>
<UserList>
  <User>
    <Identifier> 1234567890 </Identifier><Title>  Özel  Firma </Title><Type>Özel</Type>
    <FirstCreationTime>2020-01-01T10:00:00</FirstCreationTime><AccountType></AccountType>
    <Documents>
      <Document type="Invoice">
        <Alias><Name> urn:mail:a@x.com </Name><Name></Name><Name>urn:mail:b@x.com</Name>
          <CreationTime>2020-01-01T10:00:00</CreationTime><DeletionTime> </DeletionTime></Alias>
        <Alias><Name>urn:mail:c@x.com</Name><CreationTime>2020-01-02T10:00:00</CreationTime>
          <DeletionTime>2021-01-02T10:00:00</DeletionTime></Alias>
      </Document>
      <Document><Alias><Name>urn:mail:d@x.com</Name></Alias></Document>
      <Document type="DespatchAdvice"/>
    </Documents>
  </User>
  <User><Identifier>10000000146</Identifier><Title>KİŞİ</Title><Type>kamu</Type></User>
  <User><Identifier>0010030481</Identifier><Title>FLAT</Title><Type>OZEL</Type>
    <Alias>urn:mail:flat@x.com</Alias><AliasCreationTime>2015-09-29T11:34:24</AliasCreationTime>
  </User>
  <User><Identifier>0010030482</Identifier><Title>FLAT BOŞ</Title><Alias> </Alias></User>
</UserList>
"""


def test_rows_equal_records_on_edge_cases() -> None:
    rows = list(iter_user_rows(io.BytesIO(EDGE_CASES.encode())))
    assert rows == [as_row(u) for u in iter_users(io.BytesIO(EDGE_CASES.encode()))]
    first = rows[0]
    assert first[:5] == ("1234567890", "Özel  Firma", "OZEL", "2020-01-01T10:00:00", None)
    assert first[5] == [
        (INVOICE, "urn:mail:a@x.com", "2020-01-01T10:00:00", None),
        (INVOICE, "urn:mail:b@x.com", "2020-01-01T10:00:00", None),
        (INVOICE, "urn:mail:c@x.com", "2020-01-02T10:00:00", "2021-01-02T10:00:00"),
        (None, "urn:mail:d@x.com", "", None),
    ]
    assert rows[1] == ("10000000146", "KİŞİ", "KAMU", "", None, [])
    assert rows[2][5] == [(INVOICE, "urn:mail:flat@x.com", "2015-09-29T11:34:24", None)]
    assert rows[3][5] == []


def test_row_without_identifier_is_an_error_with_its_line() -> None:
    xml = b"<UserList>\n<User><Identifier>1</Identifier></User>\n<User><Title>T</Title></User>" \
          b"</UserList>"
    rows = iter_user_rows(io.BytesIO(xml))
    assert next(rows)[0] == "1"
    with pytest.raises(UserListError) as caught:
        next(rows)
    assert caught.value.line == 3


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)
_alias = st.builds(Alias, st.lists(_text, min_size=1, max_size=3).map(tuple), _text,
                   st.none() | _text)
_group = st.builds(DocumentAliases, st.sampled_from([INVOICE, DESPATCH_ADVICE, None]),
                   st.lists(_alias, max_size=3).map(tuple))
_user = st.builds(User, st.from_regex(r"[0-9]{10,11}", fullmatch=True), _text,
                  st.sampled_from(["OZEL", "KAMU"]), _text, st.none() | _text,
                  st.lists(_group, max_size=3).map(tuple))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_user, max_size=6))
def test_rows_equal_records_on_generated_lists(users: list[User]) -> None:
    sink = io.BytesIO()
    write_users(users, sink)
    xml = sink.getvalue()
    assert list(iter_user_rows(io.BytesIO(xml))) == [
        as_row(u) for u in iter_users(io.BytesIO(xml))]


def _numbered(count: int) -> list[User]:
    return [User(f"{1_000_000_000 + i:010d}", f"FİRMA {i}", "OZEL", "2021-03-09T15:36:56",
                 None, (DocumentAliases(INVOICE, (
                     Alias((f"urn:mail:pk@firma{i}.com.tr",), "2021-03-09T15:36:56"),)),))
            for i in range(count)]


def test_rows_of_a_long_zip_equal_records() -> None:
    # longer than the reader's batch of dropped records, and not a multiple of it
    sink = io.BytesIO()
    write_users_zip(_numbered(1_000), sink, member_name="list.xml")
    rows = list(iter_user_rows_zip(io.BytesIO(sink.getvalue())))
    assert len(rows) == 1_000
    assert rows == [as_row(u) for u in iter_users_zip(io.BytesIO(sink.getvalue()))]


def test_rows_of_a_damaged_zip_fail_after_the_good_part() -> None:
    sink = io.BytesIO()
    write_users_zip(_numbered(3_000), sink, member_name="list.xml")
    damaged = bytearray(sink.getvalue())
    damaged[len(damaged) // 2] ^= 0xFF
    read: list[UserRow] = []
    with pytest.raises(UserListError):
        read.extend(iter_user_rows_zip(io.BytesIO(bytes(damaged))))
    assert len(read) < 3_000
