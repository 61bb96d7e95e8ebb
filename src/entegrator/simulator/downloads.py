"""Publishing the registered-user list where GİB publishes it, in GİB's format.

``GET /EFaturaMerkez/newUserGbListxml.zip`` and ``…/newUserPkListxml.zip`` return one zip
with one XML in the ``NewUserList.xsd`` layout (gib-protocol.md §5.1–5.2; written by
:func:`entegrator.gib.userlist.write_users_zip`): the users with at least one GB (resp. PK)
alias, open or closed. Like GİB, only integrators (their registered source networks) may
download.

Incremental refresh (an extension of GİB's interface, for integrators' hourly refresh):
``?since=2026-03-01T10:00:00`` returns only users whose record or aliases changed at or after
that moment, with all their aliases; a time without offset is Turkish local time, as in the
lists. The reply's ``X-Liste-Zamani`` header is the moment to pass as ``since`` next time.
"""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable
from datetime import datetime

import anyio.to_thread
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from entegrator.gib.userlist import UserListKind, write_users_zip
from entegrator.simulator.runtime import Runtime
from entegrator.simulator.users import iter_list, list_users
from entegrator.ubl.responses.model import TURKEY_TIME

__all__ = ["LIST_TIME_HEADER", "userlist_routes"]

LIST_TIME_HEADER = "X-Liste-Zamani"


def _since(value: str | None) -> datetime | None:
    if value is None or not value.strip():
        return None
    moment = datetime.fromisoformat(value.strip())
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=TURKEY_TIME)


def _build(rt: Runtime, kind: UserListKind, since: datetime | None) -> bytes:
    with rt.db.transaction(read_only=True) as conn:
        entries = list_users(conn, since=since)
    buffer = io.BytesIO()
    write_users_zip(iter_list(entries, kind), buffer, member_name=kind.member_name)
    return buffer.getvalue()


def userlist_routes(rt: Runtime) -> list[Route]:
    """The two download routes."""

    def endpoint(kind: UserListKind) -> Callable[[Request], Awaitable[Response]]:
        async def download(request: Request) -> Response:
            peer = request.client.host if request.client else ""
            if not await anyio.to_thread.run_sync(rt.directory.matching, peer):
                return PlainTextResponse("kullanıcı listesi yalnız kayıtlı entegratörlere açık",
                                         status_code=403)
            try:
                since = _since(request.query_params.get("since"))
            except ValueError:
                return PlainTextResponse("since bir ISO 8601 zamanı olmalı", status_code=400)
            stamp = rt.now().astimezone(TURKEY_TIME).isoformat()
            data = await anyio.to_thread.run_sync(_build, rt, kind, since)
            return Response(data, media_type="application/zip", headers={
                "content-disposition": f'attachment; filename="{kind.file_name}"',
                LIST_TIME_HEADER: stamp})

        return download

    return [Route(f"/EFaturaMerkez/{kind.file_name}", endpoint(kind), methods=["GET"])
            for kind in UserListKind]
