"""A taxpayer's people: portal and SOAP users with a role (admin, accountant, viewer, api).

User names are unique across the installation (a login names no taxpayer) and kept in lower
case. Passwords are hashed by :mod:`entegrator.core.auth`; at least 8 characters. Every
change is audited in its transaction; everything is reached through the caller's
TenantScope, so one taxpayer's admin cannot see or touch another's users.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Connection, select

from entegrator.core.auth import hash_password
from entegrator.core.config import AuthSettings
from entegrator.core.context import Caller
from entegrator.core.permissions import Permission, Role
from entegrator.core.tenants import AlreadyExists
from entegrator.errors import InvalidIdentifier
from entegrator.store import audit
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.domain import users
from entegrator.store.tenancy import all_tenants
from entegrator.types import Secret

__all__ = ["User", "add_user", "get_user", "list_users", "set_active", "set_password"]

MIN_PASSWORD: Final = 8
_USERNAME: Final = re.compile(r"[a-z0-9][a-z0-9._@-]{2,99}")


@dataclass(frozen=True, slots=True)
class User:
    """One user (never the password hash)."""

    id: int
    tenant_id: int
    username: str
    role: Role
    full_name: str | None
    email: str | None
    active: bool
    failed_logins: int
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    created_at: dt.datetime


def add_user(
    conn: Connection,
    caller: Caller,
    username: str,
    password: str | Secret,
    role: Role | str,
    *,
    settings: AuthSettings,
    full_name: str | None = None,
    email: str | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> User:
    """Create a user of the caller's taxpayer; audited (the password never is)."""
    caller.require(Permission.MANAGE)
    name = _username(username)
    role = Role(role)
    taken = conn.execute(all_tenants(select(users.c.id).where(users.c.username == name))).first()
    if taken is not None:
        raise AlreadyExists(f"{name} kullanıcı adı zaten kullanılıyor")
    scope = caller.scope(conn)
    user_id = scope.execute(scope.insert(users).values(
        username=name, password_hash=hash_password(_password(password), settings),
        role=role.value, full_name=full_name, email=email, active=True, failed_logins=0,
        created_at=clock.now(),
    ).returning(users.c.id)).scalar_one()
    audit.record(conn, caller.actor, "user.add", tenant_id=caller.tenant_id,
                 object_type="user", object_id=user_id,
                 details={"username": name, "role": role.value}, clock=clock)
    return get_user(conn, caller, user_id)


def get_user(conn: Connection, caller: Caller, user_id: int) -> User:
    """The caller's taxpayer's user ``user_id`` (NotFound for another taxpayer's)."""
    caller.require(Permission.READ)
    return _user(caller.scope(conn).get(users, user_id))


def list_users(conn: Connection, caller: Caller) -> list[User]:
    """The caller's taxpayer's users by name."""
    caller.require(Permission.MANAGE)
    scope = caller.scope(conn)
    return [_user(row) for row in scope.execute(scope.select(users).order_by(users.c.username))]


def set_password(
    conn: Connection, caller: Caller, user_id: int, password: str | Secret, *,
    settings: AuthSettings, clock: Clock = SYSTEM_CLOCK,
) -> None:
    """Set a user's password (and unlock the account); audited."""
    caller.require(Permission.MANAGE)
    scope = caller.scope(conn)
    scope.get(users, user_id)
    scope.execute(scope.update(users).where(users.c.id == user_id).values(
        password_hash=hash_password(_password(password), settings),
        failed_logins=0, locked_until=None))
    audit.record(conn, caller.actor, "user.password", tenant_id=caller.tenant_id,
                 object_type="user", object_id=user_id, clock=clock)


def set_active(
    conn: Connection, caller: Caller, user_id: int, active: bool, *, clock: Clock = SYSTEM_CLOCK
) -> User:
    """Enable or disable a user; audited."""
    caller.require(Permission.MANAGE)
    scope = caller.scope(conn)
    scope.get(users, user_id)
    scope.execute(scope.update(users).where(users.c.id == user_id).values(active=active))
    audit.record(conn, caller.actor, "user.enable" if active else "user.disable",
                 tenant_id=caller.tenant_id, object_type="user", object_id=user_id, clock=clock)
    return get_user(conn, caller, user_id)


def _username(value: str) -> str:
    name = value.strip().lower()
    if not _USERNAME.fullmatch(name):
        raise InvalidIdentifier(
            "Kullanıcı adı 3-100 karakter olmalı; harf, rakam ve . _ @ - kullanılabilir")
    return name


def _password(value: str | Secret) -> str:
    text = value.reveal() if isinstance(value, Secret) else value
    if len(text) < MIN_PASSWORD:
        raise InvalidIdentifier(f"Parola en az {MIN_PASSWORD} karakter olmalı")
    return text


def _user(row: Any) -> User:
    return User(
        id=row.id, tenant_id=row.tenant_id, username=row.username, role=Role(row.role),
        full_name=row.full_name, email=row.email, active=row.active,
        failed_logins=row.failed_logins, locked_until=row.locked_until,
        last_login_at=row.last_login_at, created_at=row.created_at,
    )
