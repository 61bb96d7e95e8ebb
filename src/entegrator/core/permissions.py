"""Roles and what each may do. The faces authenticate; core checks the role of the caller.

>>> allows(Role.VIEWER, Permission.READ)
True
>>> allows(Role.VIEWER, Permission.SEND)
False
"""

from __future__ import annotations

from enum import StrEnum

from entegrator.errors import PermissionDenied

__all__ = ["Permission", "Role", "allows", "require"]


class Role(StrEnum):
    """A user's or API credential's role within one taxpayer."""

    ADMIN = "admin"  # everything, including users, credentials, seals, aliases
    ACCOUNTANT = "accountant"  # send, respond, return, read
    VIEWER = "viewer"  # read only
    API = "api"  # machine access: send, receive, respond, read


class Permission(StrEnum):
    """Things a caller may be allowed to do."""

    READ = "read"
    SEND = "send"
    RESPOND = "respond"
    MANAGE = "manage"


_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.ACCOUNTANT: frozenset({Permission.READ, Permission.SEND, Permission.RESPOND}),
    Role.VIEWER: frozenset({Permission.READ}),
    Role.API: frozenset({Permission.READ, Permission.SEND, Permission.RESPOND}),
}


def allows(role: Role, permission: Permission) -> bool:
    """Whether ``role`` grants ``permission``."""
    return permission in _GRANTS[role]


def require(role: Role, permission: Permission) -> None:
    """Raise :class:`~entegrator.errors.PermissionDenied` unless ``role`` grants ``permission``."""
    if not allows(role, permission):
        raise PermissionDenied(f"Bu işlem için yetkiniz yok ({role.value}: {permission.value})")
