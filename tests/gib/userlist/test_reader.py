"""Tests for entegrator.gib.userlist.reader: GİB's samples, safety, broken files, and a
300 000-user list read with bounded memory."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from entegrator.gib.errors import UserListError
from entegrator.gib.userlist import (
    DESPATCH_ADVICE,
    INVOICE,
    Alias,
    DocumentAliases,
    User,
    iter_temp_users,
    iter_users,
    iter_users_zip,
    write_users_zip,
)


@pytest.fixture(scope="module")
def userlist_dir(samples_dir: Path) -> Path:
    return samples_dir / "userlist"


def test_reads_gibs_example(userlist_dir: Path) -> None:
    (user,) = iter_users(userlist_dir / "UserList_example_GIB_UserList_Kilavuzu_v1.0.xml")
    assert (user.identifier, user.title, user.type, user.first_creation_time,
            user.account_type) == ("3900383669", "GELİR İDARESİ BAŞKANLIĞI", "KAMU",
                                   "2014-04-01T00:00:00", "ENTEGRASYON")
    assert [group.type for group in user.documents] == [INVOICE, DESPATCH_ADVICE]
    assert user.aliases() == ["urn:mail:defaultgb@gib.gov.tr"]
    assert user.documents[0].aliases[1] == Alias(("urn:mail:defaultgb@gmail.com",),
                                                 "2014-04-01T00:00:00", "2026-03-26T00:00:00")
    assert user.aliases(DESPATCH_ADVICE) == ["urn:mail:irsaliyegb@gib.gov.tr"]


def test_reads_legacy_flat_rows(userlist_dir: Path) -> None:
    (user,) = iter_users(userlist_dir / "UserList_legacy_flat_format_example.xml")
    assert user == User(
        "0010030481", "ABALIOĞLU HOLDİNG ANONİM ŞİRKETİ", "OZEL", "2015-09-29T11:34:24", "1",
        (DocumentAliases(INVOICE, (Alias(("urn:mail:defaultpk@abalioglu.com.tr",),
                                         "2020-03-12T15:41:37"),)),))


def test_reads_gibs_temp_list_example(userlist_dir: Path) -> None:
    (user,) = iter_temp_users(userlist_dir / "UserTempList_example_GIB_UserList_Kilavuzu_v1.0.xml")
    assert (user.identifier, user.closure_date, user.status, user.new_identifier,
            user.registration_code) == ("3900383669", "20260326", "1", None, None)


def _xml(body: str) -> io.BytesIO:
    return io.BytesIO(body.encode())


def test_trims_blanks_and_keeps_several_names() -> None:
    (user,) = iter_users(_xml(
        "<UserList><User><Identifier> 1234567890 </Identifier><Title>T</Title><Type>OZEL</Type>"
        "<FirstCreationTime>t</FirstCreationTime><Documents><Document type='Invoice'><Alias>"
        "<Name> urn:mail:a@b </Name><Name>urn:mail:c@d</Name><AliasType>PK</AliasType>"
        "<CreationTime>t</CreationTime></Alias></Document></Documents></User></UserList>"))
    assert user.identifier == "1234567890"
    assert user.documents[0].aliases[0].names == ("urn:mail:a@b", "urn:mail:c@d")


def test_empty_list_gives_nothing() -> None:
    assert list(iter_users(_xml("<UserList/>"))) == []


@pytest.mark.parametrize(("body", "reason"), [
    ('<!DOCTYPE UserList [<!ENTITY x "y">]><UserList><User><Identifier>&x;</Identifier>'
     "</User></UserList>", "DTD"),
    ('<!DOCTYPE UserList [<!ENTITY x SYSTEM "file:///etc/passwd">]><UserList/>', "DTD"),
    ("<Users><User><Identifier>1</Identifier></User></Users>", "UserList bekleniyordu"),
    ("<Users/>", "UserList bekleniyordu"),
    ("<UserTempList><User><Identifier>1</Identifier></User></UserTempList>",
     "UserList bekleniyordu"),
    ("<UserList><User><Title>T</Title></User></UserList>", "Identifier eksik"),
    ("<UserList><User><Identifier>1</Identifier>", "okunamadı"),
    ("bu bir XML değil", "okunamadı"),
    ("", "okunamadı"),
])
def test_refuses_bad_documents(body: str, reason: str) -> None:
    with pytest.raises(UserListError, match=reason):
        list(iter_users(_xml(body)))


def test_refuses_temp_user_without_closure_date() -> None:
    with pytest.raises(UserListError, match="ClosureDate eksik"):
        list(iter_temp_users(_xml("<UserTempList><User><Identifier>1</Identifier></User>"
                                  "</UserTempList>")))


def test_error_names_the_line() -> None:
    with pytest.raises(UserListError) as raised:
        list(iter_users(_xml("<UserList>\n<User><Identifier>1</Identifier></User>\n"
                             "<User>\n<Title>x</Title></User></UserList>")))
    assert raised.value.line == 3


def _zip(members: dict[str, bytes]) -> io.BytesIO:
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    sink.seek(0)
    return sink


def test_reads_zip() -> None:
    users = list(iter_users_zip(_zip({"list.xml": b"<UserList><User><Identifier>1234567890"
                                                  b"</Identifier></User></UserList>"})))
    assert [user.identifier for user in users] == ["1234567890"]


@pytest.mark.parametrize(("source", "reason"), [
    (io.BytesIO(b"not a zip"), "açılamadı"),
    (_zip({"a.xml": b"<UserList/>", "b.xml": b"<UserList/>"}), "tek bir XML"),
    (_zip({"list.txt": b"<UserList/>"}), "tek bir XML"),
    (_zip({}), "tek bir XML"),
])
def test_refuses_bad_zips(source: io.BytesIO, reason: str) -> None:
    with pytest.raises(UserListError, match=reason):
        list(iter_users_zip(source))


def test_refuses_zip_over_size_cap() -> None:
    source = _zip({"list.xml": b"<UserList>" + b" " * 10_000 + b"</UserList>"})
    with pytest.raises(UserListError, match="çok büyük"):
        list(iter_users_zip(source, max_uncompressed=1000))


@pytest.mark.parametrize("position", [200, 1000, -300])
def test_damaged_zip_is_user_list_error(position: int) -> None:
    sink = io.BytesIO()
    write_users_zip((User(f"{i:010d}", "T", "OZEL", "t") for i in range(2000)), sink,
                    member_name="list.xml")
    damaged = bytearray(sink.getvalue())
    damaged[position] ^= 0xFF
    with pytest.raises(UserListError):
        list(iter_users_zip(io.BytesIO(bytes(damaged))))


def _generated(count: int) -> Iterator[User]:
    for i in range(count):
        yield User(f"{1_000_000_000 + i:010d}", f"FİRMA {i} ANONİM ŞİRKETİ", "OZEL",
                   "2021-03-09T15:36:56", "OZELENTEGRASYON", (
                       DocumentAliases(INVOICE, (
                           Alias((f"urn:mail:defaultpk@firma{i}.com.tr",), "2021-03-09T15:36:56"),
                           Alias((f"urn:mail:eskipk@firma{i}.com.tr",), "2020-01-01T00:00:00",
                                 "2021-01-01T00:00:00"))),
                       DocumentAliases(DESPATCH_ADVICE, (
                           Alias((f"urn:mail:irsaliyepk@firma{i}.com.tr",),
                                 "2025-06-30T14:51:42"),)),
                   ))


_COUNT_IN_CHILD = """
import json, resource, sys
from entegrator.gib.userlist import iter_users_zip
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
count = active = 0
last = None
for user in iter_users_zip(sys.argv[1]):
    count += 1
    active += len(user.aliases())
    last = user.identifier
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"count": count, "active": active, "last": last, "growth_kb": after - before}))
"""


@pytest.mark.slow
def test_300k_user_list_is_read_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "newUserPkListxml.zip"
    write_users_zip(_generated(300_000), path, member_name="newUserPkList.xml")
    with zipfile.ZipFile(path) as archive:
        xml_size = archive.infolist()[0].file_size
    assert xml_size > 150_000_000  # the XML is far bigger than the memory bound below
    result = subprocess.run([sys.executable, "-c", _COUNT_IN_CHILD, str(path)], check=True,
                            capture_output=True, text=True, timeout=300)
    outcome = json.loads(result.stdout)
    assert (outcome["count"], outcome["active"], outcome["last"]) == (
        300_000, 300_000, f"{1_000_000_000 + 299_999:010d}")
    assert outcome["growth_kb"] < 40 * 1024, outcome  # peak RSS grows < 40 MB for ~200 MB XML
