"""A loopback HTTP server that publishes GİB user-list zips (for the user-list tests and the
bench): real HTTP through the integrator's transport, lists made with gib.userlist's writer.

``publish(kind, users)`` sets the full list; ``publish(kind, users, delta=True)`` sets what a
request with ``?since=`` gets. Every request's path and query are recorded.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from entegrator.gib.userlist import (
    INVOICE,
    Alias,
    DocumentAliases,
    User,
    UserListKind,
    write_users_zip,
)

__all__ = ["ListServer", "make_user", "serve_lists"]


def make_user(identifier: str, title: str, *, gb: Iterable[str] = (), pk: Iterable[str] = (),
              closed: Iterable[str] = (), kind: UserListKind, created: str = "2021-03-09T15:36:56",
              type: str = "OZEL") -> User | None:
    """One list record of ``kind`` (None when the user has no alias of that role)."""
    names = list(gb if kind is UserListKind.GB else pk)
    if not names:
        return None
    aliases = tuple(Alias((name,), created, "2024-01-02T10:00:00" if name in set(closed) else None)
                    for name in names)
    return User(identifier, title, type, created, "OZELENTEGRASYON",
                (DocumentAliases(INVOICE, aliases),))


class ListServer:
    """What the server publishes and what it was asked."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.deltas: dict[str, bytes] = {}
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self.port = 0

    @property
    def merkez_url(self) -> str:
        """The EFatura URL whose folder holds the lists."""
        return f"http://127.0.0.1:{self.port}/EFaturaMerkez/services/EFatura"

    def publish(self, kind: UserListKind, users: Iterable[User | None], *,
                delta: bool = False) -> None:
        """Publish ``users`` as the full list (or the ``since`` answer) of ``kind``."""
        sink = io.BytesIO()
        write_users_zip((u for u in users if u is not None), sink, member_name=kind.member_name)
        (self.deltas if delta else self.files)[kind.file_name] = sink.getvalue()


@contextmanager
def serve_lists() -> Iterator[ListServer]:
    """Run a :class:`ListServer` on a free loopback port for the ``with`` block."""
    state = ListServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            state.requests.append((parts.path, query))
            name = parts.path.rsplit("/", 1)[-1]
            body = (state.deltas if "since" in query else state.files).get(name)
            if not parts.path.startswith("/EFaturaMerkez/") or body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/zip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
