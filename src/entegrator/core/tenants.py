"""Taxpayers (the tenants) and their GİB aliases.

A taxpayer is created by the integrator's operator (``entegrator taxpayer add``, the demo),
not by a tenant: :func:`create_taxpayer` takes an :class:`~entegrator.store.audit.Actor`.
Everything after that happens *for* one taxpayer and takes a
:class:`~entegrator.core.context.Caller`, whose :class:`~entegrator.store.TenantScope` names
the taxpayer in every statement. Every change writes its audit row in the same transaction.

Aliases (etiket) are URNs (``ubl.identifiers.alias``); each taxpayer has one default GB
(sender unit) and one default PK (postbox) alias. A new alias starts ``pending`` and becomes
``registered`` once GİB confirmed the USERENVELOPE (:mod:`entegrator.core.registration`);
an alias imported as already registered elsewhere starts ``registered``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select

from entegrator.core.context import Caller
from entegrator.core.permissions import Permission
from entegrator.errors import EntegratorError, InvalidIdentifier, NotFound
from entegrator.store import audit
from entegrator.store.audit import Actor
from entegrator.store.clock import SYSTEM_CLOCK, Clock
from entegrator.store.domain import taxpayer_aliases, taxpayers
from entegrator.store.tenancy import all_tenants
from entegrator.ubl.identifiers import alias as alias_id
from entegrator.ubl.identifiers import invoice_id, party

__all__ = [
    "AliasRole",
    "AliasState",
    "AlreadyExists",
    "NewTaxpayer",
    "Taxpayer",
    "TaxpayerAlias",
    "add_alias",
    "create_taxpayer",
    "default_alias",
    "find_taxpayer",
    "get_taxpayer",
    "list_aliases",
    "list_taxpayers",
    "update_taxpayer",
]


class AlreadyExists(EntegratorError):
    """A taxpayer, alias, user or credential with that identity exists already."""


class AliasRole(StrEnum):
    """GB: sender unit (Gönderici Birim); PK: postbox (Posta Kutusu)."""

    GB = "GB"
    PK = "PK"


class AliasState(StrEnum):
    """Where an alias stands at GİB."""

    PENDING = "pending"
    REGISTERING = "registering"
    REGISTERED = "registered"
    FAILED = "failed"
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class NewTaxpayer:
    """What the operator gives to create a taxpayer (a person: TCKN + first/family name)."""

    vkn_tckn: str
    title: str | None = None
    first_name: str | None = None
    family_name: str | None = None
    tax_office: str | None = None
    address: Mapping[str, Any] | None = None
    email: str | None = None
    phone: str | None = None
    gib_user_type: str = "OZEL"
    default_series: str | None = None


@dataclass(frozen=True, slots=True)
class Taxpayer:
    """One taxpayer (tenant)."""

    id: int
    vkn_tckn: str
    kind: str  # company | person
    title: str
    first_name: str | None
    family_name: str | None
    tax_office: str | None
    address: dict[str, Any] | None
    email: str | None
    phone: str | None
    gib_user_type: str
    default_series: str | None
    active: bool
    created_at: dt.datetime = field(compare=False)


@dataclass(frozen=True, slots=True)
class TaxpayerAlias:
    """One of a taxpayer's GİB aliases."""

    id: int
    tenant_id: int
    alias: str
    role: AliasRole
    is_default: bool
    gib_state: AliasState
    gib_envelope_uuid: str | None
    registered_at: dt.datetime | None
    deleted_at: dt.datetime | None
    created_at: dt.datetime


def create_taxpayer(
    conn: Connection,
    actor: Actor,
    new: NewTaxpayer,
    *,
    checksum: bool = True,
    clock: Clock = SYSTEM_CLOCK,
) -> Taxpayer:
    """Create a taxpayer (operator action); ``checksum=False`` admits GİB's test numbers."""
    number = party.validate(new.vkn_tckn, checksum=checksum)
    kind = "company" if party.scheme_of(number) == "VKN" else "person"
    title = (new.title or "").strip()
    if kind == "person":
        if not (new.first_name and new.family_name):
            raise InvalidIdentifier("TCKN ile kayıtta ad ve soyad zorunludur")
        title = title or f"{new.first_name.strip()} {new.family_name.strip()}"
    if not title:
        raise InvalidIdentifier("Mükellef unvanı boş olamaz")
    if new.gib_user_type not in ("OZEL", "KAMU"):
        raise InvalidIdentifier("Mükellef türü OZEL ya da KAMU olmalı")
    if new.default_series is not None:
        invoice_id.validate_prefix(new.default_series)
    if find_taxpayer(conn, number) is not None:
        raise AlreadyExists(f"{number} VKN/TCKN'li mükellef zaten kayıtlı")
    now = clock.now()
    values = {
        "vkn_tckn": number, "kind": kind, "title": title, "first_name": new.first_name,
        "family_name": new.family_name, "tax_office": new.tax_office,
        "address": dict(new.address) if new.address is not None else None,
        "email": new.email, "phone": new.phone, "gib_user_type": new.gib_user_type,
        "default_series": new.default_series, "active": True,
        "created_at": now, "updated_at": now,
    }
    taxpayer_id = conn.execute(
        taxpayers.insert().values(values).returning(taxpayers.c.id)
    ).scalar_one()
    audit.record(conn, actor, "taxpayer.create", tenant_id=taxpayer_id,
                 object_type="taxpayer", object_id=taxpayer_id,
                 details={"vkn_tckn": number, "title": title}, clock=clock)
    return get_taxpayer(conn, taxpayer_id)


def get_taxpayer(conn: Connection, tenant_id: int) -> Taxpayer:
    """The taxpayer ``tenant_id``; NotFound when absent."""
    row = conn.execute(select(taxpayers).where(taxpayers.c.id == tenant_id)).first()
    if row is None:
        raise NotFound(f"mükellef bulunamadı: {tenant_id}")
    return _taxpayer(row)


def find_taxpayer(conn: Connection, vkn_tckn: str) -> Taxpayer | None:
    """The taxpayer with this VKN/TCKN, or None (system look-up, e.g. inbound routing)."""
    number = party.compact(vkn_tckn)
    row = conn.execute(select(taxpayers).where(taxpayers.c.vkn_tckn == number)).first()
    return None if row is None else _taxpayer(row)


def list_taxpayers(conn: Connection, *, active_only: bool = False) -> list[Taxpayer]:
    """Every taxpayer (operator view), by id."""
    stmt = select(taxpayers).order_by(taxpayers.c.id)
    if active_only:
        stmt = stmt.where(taxpayers.c.active.is_(True))
    return [_taxpayer(row) for row in conn.execute(stmt)]


_UPDATABLE = frozenset(
    {"title", "tax_office", "address", "email", "phone", "default_series", "active"}
)


def update_taxpayer(
    conn: Connection, caller: Caller, *, clock: Clock = SYSTEM_CLOCK, **changes: Any
) -> Taxpayer:
    """Change the caller's taxpayer (title, tax office, address, contact, default series)."""
    caller.require(Permission.MANAGE)
    unknown = set(changes) - _UPDATABLE
    if unknown:
        raise ValueError(f"not updatable: {', '.join(sorted(unknown))}")
    if changes.get("default_series") is not None:
        invoice_id.validate_prefix(changes["default_series"])
    if "title" in changes and not (changes["title"] or "").strip():
        raise InvalidIdentifier("Mükellef unvanı boş olamaz")
    conn.execute(
        taxpayers.update().where(taxpayers.c.id == caller.tenant_id)
        .values(**changes, updated_at=clock.now())
    )
    audit.record(conn, caller.actor, "taxpayer.update", tenant_id=caller.tenant_id,
                 object_type="taxpayer", object_id=caller.tenant_id,
                 details={k: v for k, v in changes.items() if k != "address"}, clock=clock)
    return get_taxpayer(conn, caller.tenant_id)


def add_alias(
    conn: Connection,
    caller: Caller,
    alias: str,
    role: AliasRole | str,
    *,
    default: bool | None = None,
    registered: bool = False,
    clock: Clock = SYSTEM_CLOCK,
) -> TaxpayerAlias:
    """Add a GB or PK alias for the caller's taxpayer; audited.

    The first alias of a role becomes the default unless ``default=False``; ``default=True``
    moves the default to it. ``registered=True`` records an alias GİB already knows for this
    integrator (migration from another system); otherwise it starts ``pending`` until
    :func:`entegrator.core.registration.register_aliases` sends it.
    """
    caller.require(Permission.MANAGE)
    role = AliasRole(role)
    label = alias_id.validate(alias)
    taken = conn.execute(all_tenants(
        select(taxpayer_aliases.c.id).where(
            taxpayer_aliases.c.alias == label, taxpayer_aliases.c.role == role.value)
    )).first()
    if taken is not None:
        raise AlreadyExists(f"{label} ({role.value}) etiketi zaten kullanılıyor")
    scope = caller.scope(conn)
    existing = list_aliases(conn, caller, role=role)
    make_default = (not existing) if default is None else default
    if make_default:
        scope.execute(scope.update(taxpayer_aliases)
                      .where(taxpayer_aliases.c.role == role.value).values(is_default=False))
    now = clock.now()
    state = AliasState.REGISTERED if registered else AliasState.PENDING
    alias_row_id = scope.execute(scope.insert(taxpayer_aliases).values(
        alias=label, role=role.value, is_default=make_default, gib_state=state.value,
        registered_at=now if registered else None, created_at=now,
    ).returning(taxpayer_aliases.c.id)).scalar_one()
    audit.record(conn, caller.actor, "alias.add", tenant_id=caller.tenant_id,
                 object_type="alias", object_id=alias_row_id,
                 details={"alias": label, "role": role.value, "default": make_default,
                          "gib_state": state.value}, clock=clock)
    return _alias(scope.get(taxpayer_aliases, alias_row_id))


def list_aliases(
    conn: Connection, caller: Caller, *, role: AliasRole | str | None = None,
    include_closed: bool = False,
) -> list[TaxpayerAlias]:
    """The caller's taxpayer's aliases (default first, then by id)."""
    caller.require(Permission.READ)
    scope = caller.scope(conn)
    stmt = scope.select(taxpayer_aliases).order_by(
        taxpayer_aliases.c.role, taxpayer_aliases.c.is_default.desc(), taxpayer_aliases.c.id)
    if role is not None:
        stmt = stmt.where(taxpayer_aliases.c.role == AliasRole(role).value)
    if not include_closed:
        stmt = stmt.where(taxpayer_aliases.c.gib_state.not_in(
            [AliasState.CANCELLED.value, AliasState.FAILED.value]))
    return [_alias(row) for row in scope.execute(stmt)]


def default_alias(conn: Connection, caller: Caller, role: AliasRole | str) -> TaxpayerAlias:
    """The taxpayer's default alias of ``role``; NotFound when it has none."""
    for entry in list_aliases(conn, caller, role=role):
        if entry.is_default:
            return entry
    raise NotFound(f"mükellefin varsayılan {AliasRole(role).value} etiketi yok")


def _taxpayer(row: Any) -> Taxpayer:
    return Taxpayer(
        id=row.id, vkn_tckn=row.vkn_tckn, kind=row.kind, title=row.title,
        first_name=row.first_name, family_name=row.family_name, tax_office=row.tax_office,
        address=row.address, email=row.email, phone=row.phone,
        gib_user_type=row.gib_user_type, default_series=row.default_series,
        active=row.active, created_at=row.created_at,
    )


def _alias(row: Any) -> TaxpayerAlias:
    return TaxpayerAlias(
        id=row.id, tenant_id=row.tenant_id, alias=row.alias, role=AliasRole(row.role),
        is_default=row.is_default, gib_state=AliasState(row.gib_state),
        gib_envelope_uuid=row.gib_envelope_uuid, registered_at=row.registered_at,
        deleted_at=row.deleted_at, created_at=row.created_at,
    )
