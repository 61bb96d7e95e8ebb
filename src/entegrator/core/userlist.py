"""GİB's registered-user list at the integrator: refresh, look-up, search, CheckUser.

:func:`refresh` downloads the GB and PK list zips from Merkez (or the simulator) through the
integrator's transport and loads them (:mod:`entegrator.core.userlist_load`). A *full*
refresh replaces the list; an *incremental* one asks for ``?since=<UTC ISO time>`` — the
users changed since the previous refresh, minus a safety overlap — and upserts them. A
server that ignores ``since`` (GİB publishes whole files) sends the whole list, which an
incremental load also handles correctly (users never leave GİB's list; closed aliases stay
with their DeletionTime). A full refresh runs when none succeeded within ``full_every``.

:class:`UserDirectory` answers :meth:`~UserDirectory.lookup` (by VKN/TCKN, one indexed read,
then an in-process LRU cache keyed by the list's sync id: a refresh by any process
invalidates it within ``cache_check`` seconds), :meth:`~UserDirectory.search` (title words,
Turkish-folded, or an identifier prefix) and :meth:`~UserDirectory.check_user` with the
integrator API's CheckUser semantics (integrator-api.md §4.3: one entry per alias, an empty
list means "not an e-Fatura user"). Job ``userlist.refresh`` refreshes hourly by default
(GİB: at most hourly, Özel Entegrasyon Kılavuzu §4).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import threading
import time
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlencode

from sqlalchemy import Connection, and_, case, func, insert, select

from entegrator.core import userlist_load
from entegrator.core.turkish import fold
from entegrator.core.userlist_stage import StagedCounts
from entegrator.errors import TransportError
from entegrator.gib.errors import UserListError
from entegrator.gib.userlist import INVOICE, UserListKind
from entegrator.gib.userlist.download import DEFAULT_MAX_DOWNLOAD
from entegrator.store import jobs
from entegrator.store.db import Database
from entegrator.store.domain import gib_user_aliases, gib_userlist_syncs, gib_users
from entegrator.ubl.identifiers import party

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = [
    "REFRESH_JOB",
    "GibAlias",
    "GibUser",
    "SyncResult",
    "UserDirectory",
    "ensure_refresh_scheduled",
    "refresh",
    "register",
]

log = logging.getLogger("entegrator.core.userlist")

REFRESH_JOB: Final = "userlist.refresh"
#: Overlap subtracted from the previous refresh time when asking for changes (clock skew).
SINCE_OVERLAP: Final = dt.timedelta(minutes=10)
FULL_EVERY: Final = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class GibAlias:
    """One alias of a registered user."""

    alias: str
    role: str  # GB | PK
    document_type: str  # Invoice | DespatchAdvice
    created_at: dt.datetime | None
    deleted_at: dt.datetime | None

    @property
    def active(self) -> bool:
        """Usable: not closed."""
        return self.deleted_at is None


@dataclass(frozen=True, slots=True)
class GibUser:
    """A registered e-Fatura user with every alias (closed ones included)."""

    identifier: str
    title: str
    type: str  # OZEL | KAMU
    account_type: str | None
    first_creation_time: dt.datetime | None
    aliases: tuple[GibAlias, ...]

    def active_aliases(self, role: str | None = None,
                       document_type: str | None = INVOICE) -> list[GibAlias]:
        """Open aliases, optionally of one role (GB/PK) and document type."""
        return [a for a in self.aliases if a.active
                and (role is None or a.role == role)
                and (document_type is None or a.document_type == document_type)]


@dataclass(frozen=True, slots=True)
class SyncResult:
    """One finished refresh."""

    sync_id: int
    kind: str  # full | incremental
    users: int
    aliases: int
    seconds: float  # in all: download + stage + apply
    download_seconds: float
    stage_seconds: float  # parse both zips into the staging tables
    apply_seconds: float  # the write transaction, commit included


# -- refresh ------------------------------------------------------------------------------


def refresh(integrator: Integrator, *, full: bool | None = None) -> SyncResult:
    """Download and load the user list; ``full=None`` picks full or incremental itself."""
    started = integrator.clock.now()
    clock_start = time.monotonic()
    with integrator.db.transaction(read_only=True) as conn:
        last_full, last_any = _last_success(conn, "full"), _last_success(conn, None)
    if full is None:
        full = (not integrator.config.userlist.incremental or last_full is None
                or last_any is None or started - last_full >= FULL_EVERY)
    since = None if full or last_any is None else last_any - SINCE_OVERLAP
    kind = "full" if full else "incremental"
    directory = integrator.config.userlist_dir()
    directory.mkdir(parents=True, exist_ok=True)
    scratch = directory / f".spool-{secrets.token_hex(6)}.sqlite"  # refreshes may overlap
    try:
        zips = {k: _download(integrator, k, directory, since) for k in UserListKind}
        downloaded = time.monotonic()
        with userlist_load.load(integrator.db, zips, full=full, now=started,
                                scratch=scratch) as loaded:
            counts = loaded.counts
            sync_id = _record_sync(loaded.conn, started, integrator.clock.now(), kind, counts)
    except Exception as exc:
        with integrator.db.transaction() as conn:
            _record_sync(conn, started, integrator.clock.now(), kind, None,
                         error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    finally:
        scratch.unlink(missing_ok=True)
    finished = time.monotonic()
    seconds = finished - clock_start
    applied = finished - downloaded - loaded.stage_seconds
    log.info("user list %s refresh: %d users, %d aliases in %.1fs "
             "(download %.1fs, parse+stage %.1fs, apply %.1fs)", kind, counts.users,
             counts.aliases, seconds, downloaded - clock_start, loaded.stage_seconds, applied)
    integrator.gib_users.invalidate()
    return SyncResult(sync_id, kind, counts.users, counts.aliases, seconds,
                      downloaded - clock_start, loaded.stage_seconds, applied)


def _download(integrator: Integrator, kind: UserListKind, directory: Path,
              since: dt.datetime | None) -> Path:
    """Fetch one list zip (with ``?since=`` for an incremental refresh) into ``directory``.

    Like :func:`entegrator.gib.userlist.download_user_list` (streamed to a ``.part`` file,
    checked to be a zip, then moved into place), plus the query parameter.
    """
    url = f"{integrator.config.gib.userlist_base()}/{kind.file_name}"
    if since is not None:
        url += "?" + urlencode({"since": since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")})
    target = directory / kind.file_name
    partial = directory / f".{kind.file_name}.{secrets.token_hex(6)}.part"
    try:
        with partial.open("wb") as sink:
            reply = integrator.transport.download(url, sink, max_bytes=DEFAULT_MAX_DOWNLOAD)
        if reply.status != 200:
            raise TransportError(f"{url} indirilemedi: HTTP {reply.status}", status=reply.status)
        if not zipfile.is_zipfile(partial):
            raise UserListError(f"{url} bir zip dosyası değil")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _last_success(conn: Connection, kind: str | None) -> dt.datetime | None:
    stmt = select(func.max(gib_userlist_syncs.c.started_at)).where(
        gib_userlist_syncs.c.error.is_(None), gib_userlist_syncs.c.finished_at.is_not(None))
    if kind is not None:
        stmt = stmt.where(gib_userlist_syncs.c.kind == kind)
    value: dt.datetime | None = conn.execute(stmt).scalar_one()
    return value


def _record_sync(conn: Connection, started: dt.datetime, finished: dt.datetime, kind: str,
                 counts: StagedCounts | None, *, error: str | None = None) -> int:
    row_id: int = conn.execute(insert(gib_userlist_syncs).values(
        started_at=started, finished_at=finished, kind=kind,
        users=None if counts is None else counts.users,
        aliases=None if counts is None else counts.aliases, error=error,
    ).returning(gib_userlist_syncs.c.id)).scalar_one()
    return row_id


# -- look-up ------------------------------------------------------------------------------


class UserDirectory:
    """Reads of the loaded list with a per-process cache (see the module docstring).

    The cache is documented process state: an LRU of at most ``cache_size`` users, emptied
    whenever the newest successful sync id changes.
    """

    def __init__(self, db: Database, *, cache_size: int = 100_000,
                 cache_check: float = 5.0) -> None:
        self._db = db
        self._cache: OrderedDict[str, GibUser | None] = OrderedDict()
        self._cache_size = cache_size
        self._cache_check = cache_check
        self._sync_id: int | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def invalidate(self) -> None:
        """Forget everything cached (called after a refresh in this process)."""
        with self._lock:
            self._cache.clear()
            self._checked_at = float("-inf")

    def lookup(self, identifier: str) -> GibUser | None:
        """The registered user with this VKN/TCKN, or None when it is not an e-Fatura user."""
        number = party.compact(identifier)
        self._revalidate()
        with self._lock:
            if number in self._cache:
                self._cache.move_to_end(number)
                return self._cache[number]
        with _reading(self._db) as conn:
            found = _read_users(conn, [number]).get(number)
        with self._lock:
            self._cache[number] = found
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return found

    def check_user(self, identifier: str, role: str | None = "PK",
                   document_type: str | None = INVOICE) -> list[tuple[GibUser, GibAlias]]:
        """CheckUser: one ``(user, alias)`` per open alias of ``role``; ``[]`` = not a user."""
        user = self.lookup(identifier)
        if user is None:
            return []
        return [(user, alias) for alias in user.active_aliases(role, document_type)]

    def search(self, text: str, *, limit: int = 50) -> list[GibUser]:
        """Users whose title holds every word of ``text`` (Turkish-folded), or whose VKN/TCKN
        starts with ``text`` when it is all digits; title-prefix matches first."""
        term = text.strip()
        if not term:
            return []
        with self._db.transaction(read_only=True) as conn:
            if term.isdigit():
                stmt = (select(gib_users.c.identifier)
                        .where(gib_users.c.identifier.startswith(term, autoescape=True))
                        .order_by(gib_users.c.identifier).limit(limit))
            else:
                words = fold(term).split()
                column = gib_users.c.title_search
                stmt = (select(gib_users.c.identifier)
                        .where(and_(*(column.contains(w, autoescape=True) for w in words)))
                        .order_by(case((column.startswith(words[0], autoescape=True), 0),
                                       else_=1), gib_users.c.title, gib_users.c.identifier)
                        .limit(limit))
            identifiers = list(conn.execute(stmt).scalars())
            found = _read_users(conn, identifiers)
        return [found[i] for i in identifiers if i in found]

    def current_sync(self) -> int | None:
        """Id of the newest successful refresh (None before the first)."""
        with self._db.transaction(read_only=True) as conn:
            return _current_sync(conn)

    def _revalidate(self) -> None:
        with self._lock:
            if time.monotonic() - self._checked_at < self._cache_check:
                return
        with _reading(self._db) as conn:
            sync_id = _current_sync(conn)
        with self._lock:
            if sync_id != self._sync_id:
                self._cache.clear()
                self._sync_id = sync_id
            self._checked_at = time.monotonic()


def _current_sync(conn: Connection) -> int | None:
    value: int | None = conn.execute(select(func.max(gib_userlist_syncs.c.id)).where(
        gib_userlist_syncs.c.error.is_(None))).scalar_one()
    return value


def _read_users(conn: Connection, identifiers: list[str]) -> dict[str, GibUser]:
    """Users and their aliases in ONE query (a LEFT JOIN: one round trip per look-up)."""
    if not identifiers:
        return {}
    u, a = gib_users, gib_user_aliases
    stmt = (select(u.c.identifier, u.c.title, u.c.type, u.c.account_type,
                   u.c.first_creation_time, a.c.alias, a.c.role, a.c.document_type,
                   a.c.created_at, a.c.deleted_at)
            .select_from(u.outerjoin(a, a.c.identifier == u.c.identifier))
            .where(u.c.identifier.in_(identifiers))
            .order_by(u.c.identifier, a.c.role, a.c.id))
    rows: dict[str, list[Any]] = {}
    for row in conn.execute(stmt):
        rows.setdefault(row.identifier, []).append(row)
    return {
        ident: GibUser(ident, found[0].title, found[0].type, found[0].account_type,
                       found[0].first_creation_time,
                       tuple(GibAlias(r.alias, r.role, r.document_type, r.created_at,
                                      r.deleted_at) for r in found if r.alias is not None))
        for ident, found in rows.items()
    }


@contextmanager
def _reading(db: Database) -> Iterator[Connection]:
    """A connection for one-statement reads: on PostgreSQL in autocommit (no BEGIN/COMMIT
    round trips; a single SELECT sees one snapshot anyway), on SQLite a read transaction."""
    if db.dialect == "postgresql":
        with db.engine.connect() as conn:
            yield conn.execution_options(isolation_level="AUTOCOMMIT")
    else:
        with db.transaction(read_only=True) as conn:
            yield conn


# -- job ----------------------------------------------------------------------------------


def register(registry: jobs.HandlerRegistry, integrator: Integrator) -> None:
    """Add ``userlist.refresh``: refresh, then run again after ``refresh_interval``."""

    def run(ctx: jobs.JobContext) -> None:
        refresh(integrator, full=ctx.payload.get("full"))
        ctx.reschedule(delay=integrator.config.userlist.refresh_interval)

    registry.register(REFRESH_JOB, run, retry=jobs.RetryPolicy(
        max_attempts=50, base_delay=60.0, max_delay=3600.0))


def ensure_refresh_scheduled(conn: Connection, integrator: Integrator) -> int:
    """Make sure the recurring refresh job exists (idempotent); return its id.

    A parked (dead) refresh job is brought back to life.
    """
    job_id = jobs.enqueue(conn, REFRESH_JOB, {}, dedupe_key=REFRESH_JOB,
                          clock=integrator.clock)
    jobs.retry_dead(conn, job_id, clock=integrator.clock)
    return job_id

