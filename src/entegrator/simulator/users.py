"""The registered-user list: taxpayers, their GB and PK aliases, and who hosts each alias.

GİB's rule (Özel Entegrasyon Kılavuzu §4): each (VKN/TCKN, alias) pair lives at exactly one
integrator — the one that opened it with a USERENVELOPE (or that the admin assigned). Aliases
are closed by setting ``deleted_at``; closed aliases stay in the published lists with their
``DeletionTime`` (UserList guide v1.0 §2.1.1.6.1). The lists are published in GİB's format
(``NewUserList.xsd``, GB and PK separately) through :mod:`entegrator.gib.userlist`; the
optional ``since`` gives only users changed at or after a moment (hourly refresh).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, or_, select, update

from entegrator.gib.userlist import INVOICE, Alias, DocumentAliases, User, UserListKind
from entegrator.simulator.errors import AliasConflict
from entegrator.simulator.tables import aliases, users
from entegrator.ubl.responses.model import TURKEY_TIME

__all__ = [
    "AliasEntry",
    "UserEntry",
    "add_alias",
    "find_aliases",
    "import_users",
    "iter_list",
    "list_users",
    "register",
    "remove_aliases",
    "upsert_user",
]

_a = aliases.c
_u = users.c


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One alias of one taxpayer, with its role and the integrator hosting it."""

    identifier: str
    role: str  # GB | PK
    name: str
    owner: str  # integrator id, or "portal"
    document_type: str
    created_at: datetime
    deleted_at: datetime | None

    @property
    def active(self) -> bool:
        """True while the alias is open."""
        return self.deleted_at is None


@dataclass(frozen=True, slots=True)
class UserEntry:
    """A taxpayer of the list with all its aliases (open and closed)."""

    identifier: str
    title: str
    type: str
    account_type: str
    first_created_at: datetime
    aliases: tuple[AliasEntry, ...]


def _entry(row: Row[Any]) -> AliasEntry:
    return AliasEntry(row.identifier, row.role, row.name, row.owner, row.document_type,
                      row.created_at, row.deleted_at)


def upsert_user(conn: Connection, identifier: str, *, title: str, type: str, account_type: str,
                now: datetime) -> None:
    """Add the taxpayer, or update its title/type (its first creation time is kept)."""
    found = conn.execute(select(_u.identifier).where(_u.identifier == identifier)).first()
    if found is None:
        conn.execute(insert(users).values(identifier=identifier, title=title, type=type,
                                          account_type=account_type, first_created_at=now,
                                          updated_at=now))
    else:
        conn.execute(update(users).where(_u.identifier == identifier).values(
            title=title, type=type, account_type=account_type, updated_at=now))


def find_aliases(conn: Connection, name: str, *, identifier: str | None = None,
                 document_type: str = INVOICE) -> list[AliasEntry]:
    """Open aliases called ``name`` (of ``identifier`` when given)."""
    stmt = select(aliases).where(_a.name == name.strip(), _a.deleted_at.is_(None),
                                 _a.document_type == document_type)
    if identifier is not None:
        stmt = stmt.where(_a.identifier == identifier)
    return [_entry(row) for row in conn.execute(stmt)]


def add_alias(conn: Connection, identifier: str, role: str, name: str, *, owner: str,
              now: datetime, document_type: str = INVOICE) -> bool:
    """Open ``name`` as a ``role`` alias of ``identifier`` at ``owner``; False if already open.

    Raises :class:`AliasConflict` when the same (VKN, alias) is open at another integrator.
    """
    for entry in find_aliases(conn, name, identifier=identifier, document_type=document_type):
        if entry.owner != owner:
            raise AliasConflict(
                f"{identifier} / {name} başka bir entegratörde ({entry.owner}) açık; aynı VKN ve "
                "etiket birden fazla entegratörde tanımlanamaz")
        if entry.role == role:
            return False
    conn.execute(insert(aliases).values(
        identifier=identifier, role=role, document_type=document_type, name=name.strip(),
        owner=owner, created_at=now, updated_at=now))
    conn.execute(update(users).where(_u.identifier == identifier).values(updated_at=now))
    return True


def remove_aliases(conn: Connection, identifier: str, *, now: datetime, owner: str | None = None,
                   role: str | None = None, name: str | None = None,
                   document_type: str = INVOICE) -> int:
    """Close the matching open aliases of ``identifier``; return how many were closed."""
    stmt = update(aliases).where(_a.identifier == identifier, _a.deleted_at.is_(None),
                                 _a.document_type == document_type)
    if owner is not None:
        stmt = stmt.where(_a.owner == owner)
    if role is not None:
        stmt = stmt.where(_a.role == role)
    if name is not None:
        stmt = stmt.where(_a.name == name.strip())
    closed = conn.execute(stmt.values(deleted_at=now, updated_at=now)).rowcount
    if closed:
        conn.execute(update(users).where(_u.identifier == identifier).values(updated_at=now))
    return int(closed)


def list_users(conn: Connection, *, identifier: str | None = None,
               since: datetime | None = None) -> list[UserEntry]:
    """Users (one or all, or those changed at/after ``since``) with every alias."""
    return list(_iter_users(conn, identifier=identifier, since=since))


def _iter_users(conn: Connection, *, identifier: str | None = None,
                since: datetime | None = None) -> Iterator[UserEntry]:
    wanted = select(_u.identifier)
    if identifier is not None:
        wanted = wanted.where(_u.identifier == identifier)
    if since is not None:
        changed = select(_a.identifier).where(_a.updated_at >= since)
        wanted = wanted.where(or_(_u.updated_at >= since, _u.identifier.in_(changed)))
    user_rows = conn.execute(select(users).where(_u.identifier.in_(wanted))
                             .order_by(_u.identifier)).all()
    alias_rows = iter(conn.execute(select(aliases).where(_a.identifier.in_(wanted))
                                   .order_by(_a.identifier, _a.id)).all())
    pending = next(alias_rows, None)
    for row in user_rows:  # both ordered by identifier: merge them
        found: list[AliasEntry] = []
        while pending is not None and pending.identifier <= row.identifier:
            if pending.identifier == row.identifier:
                found.append(_entry(pending))
            pending = next(alias_rows, None)
        yield UserEntry(row.identifier, row.title, row.type, row.account_type,
                        row.first_created_at, tuple(found))


def register(conn: Connection, identifier: str, *, title: str, type: str, owner: str,
             now: datetime, gb: Iterable[str] = (), pk: Iterable[str] = (),
             account_type: str = "OZELENTEGRASYON") -> int:
    """Add or update a user and open its GB and PK aliases at ``owner``; return how many opened.

    Raises :class:`AliasConflict` (nothing changed, if the caller rolls back) when an alias is
    open at another integrator.
    """
    upsert_user(conn, identifier, title=title, type=type, account_type=account_type, now=now)
    opened = 0
    for role, names in (("GB", gb), ("PK", pk)):
        for name in names:
            opened += add_alias(conn, identifier, role, name, owner=owner, now=now)
    return opened


def import_users(conn: Connection, records: Iterable[User], *, role: str, owner: str,
                 now: datetime) -> tuple[int, int]:
    """Load users of a GİB list (GB or PK, as ``role``) at ``owner``; return (users, aliases).

    Open aliases are opened; aliases the list shows closed are skipped.
    """
    count_users = count_aliases = 0
    for record in records:
        upsert_user(conn, record.identifier, title=record.title or record.identifier,
                    type=record.type if record.type in ("OZEL", "KAMU") else "OZEL",
                    account_type=record.account_type or "OZELENTEGRASYON", now=now)
        count_users += 1
        for group in record.documents:
            for alias in group.aliases:
                if alias.active and alias.name and add_alias(
                        conn, record.identifier, role, alias.name, owner=owner, now=now,
                        document_type=group.type or INVOICE):
                    count_aliases += 1
    return count_users, count_aliases


def _gib_time(moment: datetime) -> str:
    """GİB's list times: Turkish local time without offset (``2021-03-09T15:36:56``)."""
    return moment.astimezone(TURKEY_TIME).replace(tzinfo=None).isoformat(timespec="seconds")


def _record(entry: UserEntry, role: str) -> User | None:
    groups: dict[str, list[Alias]] = {}
    for alias in entry.aliases:
        if alias.role != role:
            continue
        deleted = _gib_time(alias.deleted_at) if alias.deleted_at is not None else None
        groups.setdefault(alias.document_type, []).append(
            Alias((alias.name,), _gib_time(alias.created_at), deleted))
    if not groups:
        return None
    return User(
        identifier=entry.identifier, title=entry.title, type=entry.type,
        first_creation_time=_gib_time(entry.first_created_at), account_type=entry.account_type,
        documents=tuple(DocumentAliases(kind, tuple(found)) for kind, found in groups.items()))


def iter_list(entries: Iterable[UserEntry], kind: UserListKind) -> Iterator[User]:
    """The GB or PK list records (GİB's ``NewUserList.xsd`` layout) of ``entries``."""
    for entry in entries:
        record = _record(entry, kind.value)
        if record is not None:
            yield record
