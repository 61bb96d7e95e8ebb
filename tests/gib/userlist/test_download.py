"""Tests for entegrator.gib.userlist.download: both zips over HTTP, failures keep the old file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from entegrator.errors import TransportError
from entegrator.gib.errors import UserListError
from entegrator.gib.inprocess import AsgiTransport
from entegrator.gib.transport import HttpTransportConfig, HttpxTransport
from entegrator.gib.userlist import (
    User,
    UserListKind,
    download_user_list,
    download_user_lists,
    iter_users_zip,
    write_users_zip,
)

if TYPE_CHECKING:
    from conftest import ServeFn


def _list_zip(identifier: str) -> bytes:
    sink = io.BytesIO()
    write_users_zip([User(identifier, "T", "OZEL", "t")], sink, member_name="list.xml")
    return sink.getvalue()


FILES = {"newUserGbListxml.zip": _list_zip("1111111111"),
         "newUserPkListxml.zip": _list_zip("2222222222"),
         "broken/newUserGbListxml.zip": b"<html>bakim</html>"}


async def _file(request: Request) -> Response:
    data = FILES.get(request.path_params["name"])
    if data is None:
        return Response(b"yok", status_code=404)
    return Response(data, media_type="application/zip")


APP = Starlette(routes=[Route("/EFaturaMerkez/{name:path}", _file)])


def test_downloads_both_lists_over_http(serve: ServeFn, tmp_path: Path) -> None:
    base = serve(APP) + "/EFaturaMerkez/"
    with HttpxTransport(HttpTransportConfig()) as transport:
        paths = download_user_lists(transport, base, tmp_path)
    assert paths == {kind: tmp_path / kind.file_name for kind in UserListKind}
    assert [u.identifier for u in iter_users_zip(paths[UserListKind.GB])] == ["1111111111"]
    assert [u.identifier for u in iter_users_zip(paths[UserListKind.PK])] == ["2222222222"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(k.file_name for k in UserListKind)


def test_http_error_keeps_previous_list(tmp_path: Path) -> None:
    previous = tmp_path / "newUserGbListxml.zip"
    previous.write_bytes(b"old")
    with pytest.raises(TransportError) as raised:
        download_user_list(AsgiTransport(APP), "http://gib.test/EFaturaMerkez/nothing",
                           UserListKind.GB, tmp_path)
    assert raised.value.status == 404
    assert previous.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["newUserGbListxml.zip"]


def test_non_zip_answer_keeps_previous_list(tmp_path: Path) -> None:
    previous = tmp_path / "newUserGbListxml.zip"
    previous.write_bytes(b"old")
    with pytest.raises(UserListError, match="zip"):
        download_user_list(AsgiTransport(APP), "http://gib.test/EFaturaMerkez/broken",
                           UserListKind.GB, tmp_path)
    assert previous.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["newUserGbListxml.zip"]


def test_download_over_cap_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TransportError):
        download_user_list(AsgiTransport(APP), "http://gib.test/EFaturaMerkez",
                           UserListKind.PK, tmp_path, max_bytes=10)
    assert list(tmp_path.iterdir()) == []
