"""Tests for entegrator.gib.userlist.writer: GİB's schema, zips, UserTempList."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from entegrator.gib.userlist import (
    INVOICE,
    Alias,
    DocumentAliases,
    TempUser,
    User,
    iter_temp_users,
    iter_users,
    write_temp_users,
    write_users,
    write_users_zip,
)

USERS = [
    User("3900383669", "GELİR İDARESİ BAŞKANLIĞI", "KAMU", "2014-04-01T00:00:00", "ENTEGRASYON",
         (DocumentAliases(INVOICE, (Alias(("urn:mail:defaultpk@gib.gov.tr",),
                                          "2014-04-01T00:00:00"),
                                    Alias(("urn:mail:eski@gib.gov.tr",), "2014-04-01T00:00:00",
                                          "2026-03-26T00:00:00"))),)),
    User("12345678901", "AYŞE & ÇİFTÇİ <Ltd>", "OZEL", "2021-03-09T15:36:56", None, ()),
]


def test_written_list_validates_against_gibs_schema(gib_reference_dir: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(gib_reference_dir / "NewUserList.xsd")))
    sink = io.BytesIO()
    assert write_users(USERS, sink) == 2
    document = etree.fromstring(sink.getvalue())
    assert schema.validate(document), schema.error_log


def test_written_list_reads_back_equal() -> None:
    sink = io.BytesIO()
    write_users(USERS, sink)
    assert list(iter_users(io.BytesIO(sink.getvalue()))) == USERS


def test_zip_has_one_named_member(tmp_path: Path) -> None:
    path = tmp_path / "newUserPkListxml.zip"
    assert write_users_zip(USERS, path, member_name="newUserPkList.xml") == 2
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["newUserPkList.xml"]
        assert archive.infolist()[0].compress_type == zipfile.ZIP_DEFLATED


def test_temp_list_round_trip_writes_every_field() -> None:
    users = [TempUser("3900383669", "20260326", "1", None, "861", "bölünme"),
             TempUser("1234567890", "20260401", "1", "9876543210")]
    sink = io.BytesIO()
    assert write_temp_users(users, sink) == 2
    first = etree.fromstring(sink.getvalue())[0]
    assert [child.tag for child in first] == ["Identifier", "NewIdentifier", "ClosureDate",
                                              "Status", "RegistrationCode",
                                              "RegistrationDescription"]
    assert list(iter_temp_users(io.BytesIO(sink.getvalue()))) == users
