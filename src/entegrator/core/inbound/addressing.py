"""Whose envelope is this? The receiver alias + VKN of a delivered envelope → one of our taxpayers.

Merkez routes an envelope to the integrator that registered its receiver alias. The
receiver must be an active alias of one of our taxpayers **in the right role** — a PK
(posta kutusu) for invoices, a GB (gönderici birim) for KABUL/RED answers, which travel from
the buyer's PK to the seller's GB (gib-protocol.md §5.3) — and the envelope's receiver VKN
must be that taxpayer's. GİB's codes (Ek-2 §4): 1172 POSTA KUTUSU YETKISI YOK / 1171
GONDERICI BIRIM YETKISI YOK when the alias is ours but not an active alias of the needed
role; 1181 ADRES BULUNAMADI when the alias + VKN pair is not ours at all.

The sender's alias is not checked against GİB's user list: Merkez checked it before
delivering, and our copy of the list may be up to an hour old (OEK §4), so it would refuse
new users' first invoices (docs/decisions/core-inbound.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import Connection, select

from entegrator.core.inbound.examine import Failure
from entegrator.envelope import Party
from entegrator.store.domain import taxpayer_aliases, taxpayers
from entegrator.store.tenancy import all_tenants

__all__ = ["Owner", "owner_of"]

#: Alias states in which GİB may deliver to the alias (registration sent or confirmed).
_DELIVERABLE: Final = frozenset({"registering", "registered"})
_NO_ROLE: Final = {"PK": 1172, "GB": 1171}


@dataclass(frozen=True, slots=True)
class Owner:
    """The taxpayer an envelope is for."""

    tenant_id: int
    vkn_tckn: str
    title: str


def owner_of(conn: Connection, receiver: Party, role: str) -> Owner | Failure:
    """The taxpayer whose active ``role`` alias (PK or GB) is ``receiver``, or the failure."""
    rows = conn.execute(
        all_tenants(
            select(
                taxpayer_aliases.c.tenant_id,
                taxpayer_aliases.c.role,
                taxpayer_aliases.c.gib_state,
                taxpayer_aliases.c.deleted_at,
                taxpayers.c.vkn_tckn,
                taxpayers.c.title,
                taxpayers.c.active,
            )
            .join(taxpayers, taxpayers.c.id == taxpayer_aliases.c.tenant_id)
            .where(taxpayer_aliases.c.alias == receiver.alias)
        )
    ).all()
    known = [row for row in rows if row.vkn_tckn == receiver.vkn_tckn]
    if not known:
        return Failure(1181, f"Alıcı adresi ({receiver.alias}, {receiver.vkn_tckn}) bu "
                             "entegratörde kayıtlı değil")
    for row in known:
        if (row.role == role and row.deleted_at is None and row.active
                and row.gib_state in _DELIVERABLE):
            return Owner(int(row.tenant_id), row.vkn_tckn, row.title)
    return Failure(_NO_ROLE[role], f"{receiver.alias} etiketi etkin bir {role} etiketi değil")
