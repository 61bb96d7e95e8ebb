"""KABUL/RED answers to our invoices, delivered in a POSTBOXENVELOPE to our GB alias.

The envelope itself is judged like any other (:mod:`.examine`: XSD, schematron, seals) and
must be addressed to an active GB alias of one of our taxpayers (1171/1181,
:mod:`.addressing`). Each answer then counts only if GİB's rules for the sender unit allow
(Entegrasyon Kılavuzu v1.10 §3.1): it answers a TICARIFATURA of that taxpayer, comes from
that invoice's customer, is the **first** answer to it, and arrives no more than **eight
days after the invoice was sent**. Such an answer moves the invoice to ACCEPTED or REJECTED.

An answer that may not count is still archived (everything received is kept, OEK §8) and
noted in the invoice's history, but changes nothing. The envelope is still answered 1200:
GİB's status codes describe envelope processing, and none says "answer too late" or
"answered twice" — a failure code would misreport a well-formed envelope as broken (see
docs/decisions/core-inbound.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection

from entegrator.core import events
from entegrator.core.inbound.addressing import Owner, owner_of
from entegrator.core.inbound.examine import Failure, Received
from entegrator.core.responses import RESPONSE_WINDOW, move_document
from entegrator.core.states import Direction, DocumentState
from entegrator.envelope import EnvelopeHeader
from entegrator.store import audit
from entegrator.store.archive.model import ArchiveKind, ArchiveMeta
from entegrator.store.audit import Actor
from entegrator.store.domain import (
    application_responses,
    document_events,
    documents,
    envelope_items,
)
from entegrator.store.tenancy import TenantScope
from entegrator.ubl.responses import BusinessResponse
from entegrator.ubl.responses.model import TURKEY_TIME

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = ["Answered", "receive_answers"]

_OUTCOME: Final = {"KABUL": DocumentState.ACCEPTED, "RED": DocumentState.REJECTED}
_ACTOR: Final = Actor.system("gib")


@dataclass(frozen=True, slots=True)
class Answered:
    """What the answers of one envelope did: the owner, how many counted, how many not."""

    owner: Owner
    counted: int
    ignored: int


def receive_answers(
    conn: Connection,
    integrator: Integrator,
    header: EnvelopeHeader,
    received: Sequence[Received],
    *,
    envelope_row_id: int,
    received_at: dt.datetime,
) -> Answered | Failure:
    """Apply the answers of a checked POSTBOXENVELOPE (module docstring)."""
    owner = owner_of(conn, header.receiver, "GB")
    if isinstance(owner, Failure):
        return owner
    scope = TenantScope(conn, owner.tenant_id)
    counted = 0
    links: list[int | None] = []
    for item in received:
        document_id, counts = _answer(scope, integrator, header, item, received_at)
        counted += counts
        links.append(document_id)
    conn.execute(envelope_items.insert(), [
        {"envelope_id": envelope_row_id, "position": position, "document_id": doc_id}
        for position, doc_id in enumerate(links)
    ])
    return Answered(owner, counted, len(received) - counted)


def _answer(scope: TenantScope, integrator: Integrator, header: EnvelopeHeader,
            item: Received, received_at: dt.datetime) -> tuple[int | None, bool]:
    response = item.response
    if response is None:  # examine() fills it for every POSTBOXENVELOPE document
        raise ValueError("POSTBOXENVELOPE belgesinin yanıtı yok")
    conn = scope.conn
    ref = integrator.archive.put(
        conn, item.data, kind=ArchiveKind.APPLICATION_RESPONSE, direction="IN",
        tenant_id=scope.tenant_id,
        meta=ArchiveMeta(ettn=response.uuid.lower(), envelope_uuid=header.envelope_id.lower(),
                         issue_date=response.issue_date, received_at=received_at,
                         counterpart_vkn_tckn=response.sender.identifier,
                         counterpart_name=response.sender.name, profile=response.profile_id,
                         status=response.code),
    )
    doc = _invoice(scope, response)
    problem = _why_not(scope, doc, response, received_at)
    if problem is not None:
        _ignore(scope, integrator, doc, response=response, problem=problem, header=header)
        return (None if doc is None else int(doc.id)), False
    now = integrator.clock.now()
    scope.execute(scope.insert(application_responses).values(
        document_id=doc.id, direction="IN", response_code=response.code,
        description=response.reason, ettn=doc.ettn, response_id=response.id[:64],
        issued_at=_issued_at(response, received_at), envelope_uuid=header.envelope_id.lower(),
        state="received", archive_ref=ref.sha256, created_at=now, updated_at=now,
    ))
    move_document(
        scope, integrator, int(doc.id), _OUTCOME[response.code], Direction.OUT, at=now,
        envelope_uuid=header.envelope_id.lower(),
        message=f"Alıcı {response.code} yanıtı verdi" + (f": {response.reason}"
                                                          if response.reason else ""),
        values={"response_code": response.code, "response_description": response.reason,
                "response_at": received_at},
    )
    integrator.events.publish(conn, events.ResponseReceived(
        scope.tenant_id, int(doc.id), response.code, response.reason, counted=True))
    return int(doc.id), True


def _invoice(scope: TenantScope, response: BusinessResponse) -> Any | None:
    """Our outgoing invoice the answer refers to (by ETTN, or by number as UBL-TR 1.2.1 does)."""
    d = documents.c
    reference = response.invoice
    stmt = scope.select(documents).where(d.direction == "OUT")
    if reference.ettn is not None:
        stmt = stmt.where(d.ettn == reference.ettn.lower())
    elif reference.invoice_number is not None:
        stmt = stmt.where(d.number == reference.invoice_number)
    else:
        return None
    return scope.execute(stmt).first()


def _why_not(scope: TenantScope, doc: Any | None, response: BusinessResponse,
             received_at: dt.datetime) -> str | None:
    """Why the answer may not count (None: it counts). Entegrasyon Kılavuzu §3.1."""
    if doc is None:
        return f"yanıtlanan fatura ({response.invoice.id}) bu mükellefin giden faturası değil"
    if response.sender.identifier != doc.counterpart_vkn_tckn:
        return f"yanıtı veren ({response.sender.identifier}) faturanın alıcısı değil"
    if doc.profile != "TICARIFATURA" or response.code not in _OUTCOME:
        return f"{doc.profile} faturasına {response.code} yanıtı verilemez"
    sent_at = doc.sent_at or doc.created_at
    if received_at > sent_at + RESPONSE_WINDOW:
        return "yanıt, fatura gönderildikten 8 gün sonra geldi"
    earlier = scope.execute(scope.select(application_responses, application_responses.c.id)
                            .where(application_responses.c.document_id == doc.id,
                                   application_responses.c.direction == "IN")).first()
    if earlier is not None:
        return "faturaya daha önce yanıt verilmişti; yalnız ilk yanıt geçerlidir"
    if DocumentState(doc.state) not in _ANSWERABLE:
        return f"fatura bu durumda yanıt kabul etmez: {DocumentState(doc.state).label}"
    return None


#: States of our invoice in which an answer counts: waiting for it, or still waiting for the
#: delivery news that an answer itself proves (the answer can overtake the system response).
_ANSWERABLE: Final = frozenset({
    DocumentState.SEND_WAIT_APPLICATION_RESPONSE, DocumentState.SEND_WAIT_SYSTEM_RESPONSE,
    DocumentState.SEND_WAIT_GIB_RESPONSE,
})


def _ignore(scope: TenantScope, integrator: Integrator, doc: Any | None, *,
            response: BusinessResponse, problem: str, header: EnvelopeHeader) -> None:
    conn, now = scope.conn, integrator.clock.now()
    audit.record(conn, _ACTOR, "invoice.response_ignored", tenant_id=scope.tenant_id,
                 object_type="document" if doc is not None else "envelope",
                 object_id=doc.id if doc is not None else header.envelope_id.lower(),
                 details={"code": response.code, "response_uuid": response.uuid,
                          "reason": problem}, clock=integrator.clock)
    if doc is None:
        return
    scope.execute(scope.insert(document_events).values(
        document_id=doc.id, at=now, state=doc.state, envelope_uuid=header.envelope_id.lower(),
        message=f"{response.code} yanıtı dikkate alınmadı: {problem}"))
    integrator.events.publish(conn, events.ResponseReceived(
        scope.tenant_id, int(doc.id), response.code, response.reason, counted=False))


def _issued_at(response: BusinessResponse, fallback: dt.datetime) -> dt.datetime:
    if response.issue_time is None:
        return fallback
    local = dt.datetime.combine(response.issue_date, response.issue_time, tzinfo=TURKEY_TIME)
    return local.astimezone(dt.UTC)
