"""Opening and closing a taxpayer's GB/PK aliases at GİB with USERENVELOPEs.

An özel entegratör registers its customers' aliases itself (Özel Entegrasyon Kılavuzu §4–5,
gib-protocol.md §2.4): an HR-XML ``ProcessUserAccount`` (``CancelUserAccount`` to close)
listing the aliases, signed by the **integrator's** seal and counter-signed ("seri imza") by
the **taxpayer's** seal — not for VUK 507 customers (UserOptionCode 3/4) — travels in a
USERENVELOPE from the service alias ``usergb`` (sender VKN = the integrator's) to ``GIB``.
The envelope is archived and handed to outbound's ``outbound.send`` job in the same
transaction that moves the aliases ``pending → registering`` (``registered → cancelling``).

GİB answers with a system response (1200) and, polled, 1300 (OEK §6.1). Outbound hands
every status of a USERENVELOPE to :func:`apply_status`: success → ``registered`` (or
``cancelled``), failure (e.g. 1182 KULLANICI EKLENEMEDİ, 1183 KULLANICI SİLİNEMEDİ) →
``failed`` (a failed cancel goes back to ``registered``); waiting codes change nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from entegrator.core.context import Caller
from entegrator.core.inbound.outgoing import store_outgoing
from entegrator.core.permissions import Permission
from entegrator.core.tenants import AliasState, Taxpayer, get_taxpayer
from entegrator.envelope import (
    GIB,
    AccountHolder,
    EnvelopeHeader,
    EnvelopeType,
    Mailbox,
    Party,
    Role,
    UserAccountRequest,
    UserAction,
    build_envelope,
    build_user_account,
)
from entegrator.errors import EntegratorError, NotFound
from entegrator.signing import SealConfigurationError, countersign_element, sign_element
from entegrator.store import audit
from entegrator.store.domain import taxpayer_aliases
from entegrator.store.tenancy import all_tenants
from entegrator.ubl import status_codes
from entegrator.ubl.status_codes import StatusKind

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = [
    "SERVICE_ALIAS",
    "NothingToRegister",
    "Submitted",
    "apply_status",
    "cancel_aliases",
    "register_aliases",
]

#: The USERENVELOPE sender alias for e-Fatura users (code list ``UserEnvelopeAliases``).
SERVICE_ALIAS = "usergb"


class NothingToRegister(EntegratorError):
    """No alias of the taxpayer is in a state the request applies to."""


@dataclass(frozen=True, slots=True)
class Submitted:
    """A USERENVELOPE queued for GİB: its UUID and the aliases it carries."""

    envelope_uuid: str
    envelope_row_id: int
    aliases: tuple[str, ...]


def register_aliases(
    integrator: Integrator, caller: Caller, *, aliases: list[str] | None = None,
    vuk507: bool = False,
) -> Submitted:
    """Send the taxpayer's ``pending`` (or ``failed``) aliases — or only ``aliases`` — to GİB."""
    return _submit(integrator, caller, UserAction.PROCESS, aliases, vuk507,
                   from_states=(AliasState.PENDING, AliasState.FAILED),
                   to_state=AliasState.REGISTERING)


def cancel_aliases(
    integrator: Integrator, caller: Caller, aliases: list[str], *, vuk507: bool = False
) -> Submitted:
    """Ask GİB to close the taxpayer's registered ``aliases``."""
    return _submit(integrator, caller, UserAction.CANCEL, aliases, vuk507,
                   from_states=(AliasState.REGISTERED,), to_state=AliasState.CANCELLING)


def apply_status(
    integrator: Integrator, conn: Connection, envelope_uuid: str, code: int,
    description: str | None = None, *, responder: Party | None = None,
) -> None:
    """Apply GİB status ``code`` of USERENVELOPE ``envelope_uuid`` to the aliases it carried.

    Called by outbound (core.outbound.hooks) inside its transaction; idempotent.
    """
    try:
        kind = status_codes.status(code).kind
    except NotFound:
        kind = StatusKind.FAILURE
    if kind is StatusKind.IN_PROGRESS:
        return
    rows = conn.execute(all_tenants(select(taxpayer_aliases).where(
        taxpayer_aliases.c.gib_envelope_uuid == envelope_uuid.lower()))).all()
    now = integrator.clock.now()
    success = kind is StatusKind.SUCCESS
    for row in rows:
        state = AliasState(row.gib_state)
        values: dict[str, Any]
        if state is AliasState.REGISTERING:
            values = ({"gib_state": AliasState.REGISTERED.value, "registered_at": now}
                      if success else {"gib_state": AliasState.FAILED.value})
        elif state is AliasState.CANCELLING:
            values = ({"gib_state": AliasState.CANCELLED.value, "deleted_at": now}
                      if success else {"gib_state": AliasState.REGISTERED.value})
        else:
            continue  # already applied (1200 then 1300)
        conn.execute(all_tenants(taxpayer_aliases.update()
                                 .where(taxpayer_aliases.c.id == row.id).values(values)))
        audit.record(conn, _SYSTEM, "alias.gib_status", tenant_id=row.tenant_id,
                     object_type="alias", object_id=row.id,
                     details={"alias": row.alias, "role": row.role, "code": code,
                              "description": description, "gib_state": values["gib_state"]},
                     clock=integrator.clock)


# -- building ------------------------------------------------------------------------------

def _submit(integrator: Integrator, caller: Caller, action: UserAction,
            wanted: list[str] | None, vuk507: bool, *, from_states: tuple[AliasState, ...],
            to_state: AliasState) -> Submitted:
    caller.require(Permission.MANAGE)
    with integrator.db.transaction(read_only=True) as conn:
        taxpayer = get_taxpayer(conn, caller.tenant_id)
        rows = _aliases_in(conn, caller, from_states, wanted)
    if not rows:
        raise NothingToRegister("GİB'e gönderilecek uygun durumda etiket yok")
    document = _signed_document(integrator, taxpayer, action, rows, vuk507)
    now = integrator.clock.now()
    identity = integrator.config.integrator
    header = EnvelopeHeader(
        envelope_id=str(uuid.uuid4()), type=EnvelopeType.USER,
        sender=Party(SERVICE_ALIAS, identity.vkn, identity.title), receiver=GIB, created_at=now,
    )
    built = build_envelope(header, [document])
    envelope_uuid = header.envelope_id.lower()
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        ids = [row.id for row in rows]
        moved = scope.execute(scope.update(taxpayer_aliases).where(
            taxpayer_aliases.c.id.in_(ids),
            taxpayer_aliases.c.gib_state.in_([s.value for s in from_states]),
        ).values(gib_state=to_state.value, gib_envelope_uuid=envelope_uuid)).rowcount
        if moved != len(ids):
            raise NothingToRegister("etiketlerin durumu bu arada değişti; yeniden deneyin")
        row_id = store_outgoing(conn, integrator, built, tenant_id=caller.tenant_id)
        audit.record(conn, caller.actor, f"alias.{action.name.lower()}",
                     tenant_id=caller.tenant_id, object_type="envelope", object_id=envelope_uuid,
                     details={"aliases": [r.alias for r in rows], "option": _option(
                         taxpayer, vuk507)}, clock=integrator.clock)
    return Submitted(envelope_uuid, row_id, tuple(r.alias for r in rows))


def _aliases_in(conn: Connection, caller: Caller, states: tuple[AliasState, ...],
                wanted: list[str] | None) -> list[Any]:
    scope = caller.scope(conn)
    stmt = scope.select(taxpayer_aliases).where(
        taxpayer_aliases.c.gib_state.in_([s.value for s in states])
    ).order_by(taxpayer_aliases.c.role, taxpayer_aliases.c.id)
    if wanted is not None:
        stmt = stmt.where(taxpayer_aliases.c.alias.in_([a.strip() for a in wanted]))
    rows = list(scope.execute(stmt))
    if wanted is not None and len({r.alias for r in rows}) != len(set(wanted)):
        missing = sorted(set(wanted) - {r.alias for r in rows})
        raise NotFound(f"bu işlem için uygun durumda olmayan etiket(ler): {', '.join(missing)}")
    return rows


def _option(taxpayer: Taxpayer, vuk507: bool) -> int:
    public = taxpayer.gib_user_type == "KAMU"
    if vuk507:
        return 3 if public else 4
    return 1 if public else 2


def _signed_document(integrator: Integrator, taxpayer: Taxpayer, action: UserAction,
                     rows: list[Any], vuk507: bool) -> Any:
    holder = AccountHolder(
        vkn_tckn=taxpayer.vkn_tckn,
        title=taxpayer.title if taxpayer.kind == "company" else None,
        given_name=taxpayer.first_name, family_name=taxpayer.family_name,
    )
    request = UserAccountRequest(
        action=action, integrator_vkn=integrator.config.integrator.vkn, holder=holder,
        option=_option(taxpayer, vuk507),
        mailboxes=tuple(Mailbox(Role(r.role), r.alias) for r in rows),
        created_at=integrator.clock.now(),
    )
    document = build_user_account(request)
    moment = integrator.clock.now()
    sign_element(document, integrator.seals.seal_for(integrator.config.integrator.vkn),
                 signing_time=moment)
    if request.needs_counter_signature:
        seal = integrator.seals.seal_for(taxpayer.vkn_tckn)
        if seal.delegated:
            raise SealConfigurationError(
                f"{taxpayer.vkn_tckn} kendi mali mührüne sahip değil; GİB etiket kaydı için "
                "mükellefin karşı imzası gerekir (VUK 507 kullanıcıları hariç)")
        countersign_element(document, seal, signing_time=moment)
    return document


_SYSTEM = audit.Actor.system("registration")
