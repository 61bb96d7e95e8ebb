"""Who is calling a core service: the taxpayer (tenant), the actor and the role.

Faces authenticate the request (portal session, SOAP session, API key, OAuth2 token) and
build one :class:`Caller`; every core service takes it and works only inside that taxpayer's
:class:`~entegrator.store.tenancy.TenantScope`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from entegrator.core.permissions import Permission, Role, require
from entegrator.store.audit import Actor
from entegrator.store.tenancy import TenantScope

__all__ = ["Caller"]


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated caller acting for one taxpayer."""

    tenant_id: int
    actor: Actor
    role: Role

    def scope(self, conn: Connection) -> TenantScope:
        """The caller's taxpayer seen through ``conn``."""
        return TenantScope(conn, self.tenant_id)

    def require(self, permission: Permission) -> None:
        """Raise PermissionDenied unless the caller's role grants ``permission``."""
        require(self.role, permission)
