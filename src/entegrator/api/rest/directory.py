"""``/api/v1/gib-users``: GİB's registered e-Fatura users as this integrator last loaded them.

``GET /gib-users/{vkn}`` is CheckUser (integrator-api.md §4.3) with REST manners: 404 (code
``not-found``) means "not an e-Fatura user" — the ERP then issues an e-Arşiv invoice;
otherwise the user with every alias (closed ones carry ``deleted_at``). ``GET
/gib-users?q=`` searches titles (Turkish-folded words) or identifier prefixes. The list is
public information, so any authenticated caller may read it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from entegrator.api.rest.context import RestContext, call
from entegrator.api.rest.invoices import ERRORS
from entegrator.core.context import Caller
from entegrator.core.permissions import Permission
from entegrator.core.userlist import GibUser
from entegrator.errors import NotFound

__all__ = ["directory_router"]


class GibAliasModel(BaseModel):
    """One alias (etiket) of a registered user."""

    alias: str
    role: str = Field(description="GB (gönderici birim) ya da PK (posta kutusu)")
    document_type: str
    created_at: dt.datetime | None
    deleted_at: dt.datetime | None
    active: bool


class GibUserModel(BaseModel):
    """A registered e-Fatura user."""

    identifier: str
    title: str
    type: str
    account_type: str | None
    first_creation_time: dt.datetime | None
    aliases: list[GibAliasModel]

    @classmethod
    def of(cls, user: GibUser) -> GibUserModel:
        """From core's user."""
        return cls(
            identifier=user.identifier, title=user.title, type=user.type,
            account_type=user.account_type, first_creation_time=user.first_creation_time,
            aliases=[GibAliasModel(alias=a.alias, role=a.role, document_type=a.document_type,
                                   created_at=a.created_at, deleted_at=a.deleted_at,
                                   active=a.active) for a in user.aliases])


def directory_router(ctx: RestContext) -> APIRouter:
    """The user-list routes over ``ctx``."""
    router = APIRouter(prefix="/gib-users", tags=["GİB kullanıcı listesi"], responses=ERRORS)
    directory = ctx.integrator.gib_users
    auth = Depends(ctx.authenticator)

    @router.get("", response_model=list[GibUserModel],
                summary="Kayıtlı kullanıcı ara (unvan ya da VKN/TCKN başı)")
    async def search(q: Annotated[str, Query(min_length=1, max_length=100)],
                     limit: Annotated[int, Query(ge=1, le=100)] = 20,
                     caller: Caller = auth) -> list[GibUserModel]:
        caller.require(Permission.READ)
        return [GibUserModel.of(u) for u in await call(directory.search, q, limit=limit)]

    @router.get("/{identifier}", response_model=GibUserModel,
                summary="VKN/TCKN e-Fatura kullanıcısı mı? (CheckUser)")
    async def lookup(identifier: Annotated[str, Path(
            min_length=10, max_length=11, pattern=r"^[0-9]{10,11}$")],
            caller: Caller = auth) -> GibUserModel:
        caller.require(Permission.READ)
        user = await call(directory.lookup, identifier)
        if user is None:
            raise NotFound(f"{identifier} e-Fatura kayıtlı kullanıcısı değil")
        return GibUserModel.of(user)

    return router
