"""KABUL/RED application responses for TICARIFATURA invoices, and their 8-day windows.

The buyer answers a commercial invoice (TICARIFATURA) once, with KABUL or RED, within eight
days of receiving it (Entegrasyon Kılavuzu v1.10 §3.2: the posta kutusu must block later and
repeated answers); the seller's side counts only the first answer and none that arrives more
than eight days after the invoice was sent (§3.1; see :mod:`entegrator.core.inbound.postbox`).
Eight days without an answer and the invoice counts as accepted (TTK 21/2) — shown as
:func:`deemed_accepted`, derived from the state and the deadline, not a state of its own
(İzibiz/EDM keep such invoices in ``WAIT_APPLICATION_RESPONSE``, integrator-api.md §4.10).

* :func:`respond` — the taxpayer answers a received invoice: the response is built
  (:func:`entegrator.ubl.responses.new_business_response`), sealed with the taxpayer's seal (or
  the integrator's, when it seals on the taxpayer's behalf, OEK §2.2), archived and sent in a
  POSTBOXENVELOPE from our PK alias to the supplier's GB alias; one ``application_responses``
  row per invoice (unique) plus the state machine make it exactly once. After a failed
  delivery the *same* signed response may be sent again, within the window.
* :func:`apply_response_status` — outbound calls it with the status codes of our
  POSTBOXENVELOPEs (system responses and polls): ACCEPT_/REJECT_PROCESSING →
  WAIT_SYSTEM_RESPONSE → SUCCEED | FAILED.
* :func:`schedule_deadline` and the ``responses.deadline`` job — a "deadline near" event
  ``InboundSettings.deadline_notice`` before the window closes, and the TTK 21/2 note in the
  history when it has closed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from entegrator.core import events
from entegrator.core.context import Caller
from entegrator.core.errors import DeadlineExpired, InvalidState, ProfileRuleViolation
from entegrator.core.inbound.outgoing import store_outgoing
from entegrator.core.inbound.settings import InboundSettings
from entegrator.core.permissions import Permission
from entegrator.core.states import Direction, DocumentState, allowed_transition
from entegrator.envelope import GIB, EnvelopeHeader, EnvelopeType, Party, build_envelope
from entegrator.errors import DocumentError
from entegrator.signing import sign_bytes, signer_identifier
from entegrator.store import audit, jobs
from entegrator.store.archive.model import ArchiveKind, ArchiveMeta
from entegrator.store.domain import (
    application_responses,
    document_events,
    documents,
    envelope_items,
    envelopes,
)
from entegrator.store.jobs import HandlerRegistry, JobContext
from entegrator.store.tenancy import TenantScope
from entegrator.ubl import InvoiceInvalid, parse_invoice, status_codes, summarize
from entegrator.ubl.identifiers import ettn
from entegrator.ubl.model import Party as InvoiceParty
from entegrator.ubl.responses import Address, ResponseParty, new_business_response, to_xml
from entegrator.ubl.responses.model import TURKEY_TIME
from entegrator.ubl.status_codes import StatusKind

if TYPE_CHECKING:
    from entegrator.core.wiring import Integrator

__all__ = [
    "DEADLINE_JOB",
    "RESPONSE_WINDOW",
    "WAITING_STATES",
    "ResponseResult",
    "apply_response_status",
    "deemed_accepted",
    "inbound_settings",
    "move_document",
    "register",
    "respond",
    "schedule_deadline",
    "schedule_deadlines",
]

#: Eight days to answer a TICARIFATURA (Entegrasyon Kılavuzu §3; TTK 21/2).
RESPONSE_WINDOW: Final = dt.timedelta(days=8)
#: Job kind watching one document's response window.
DEADLINE_JOB: Final = "responses.deadline"
#: States in which a TICARIFATURA still waits for its KABUL/RED.
WAITING_STATES: Final = frozenset(
    {DocumentState.SEND_WAIT_APPLICATION_RESPONSE, DocumentState.RECEIVE_WAIT_APPLICATION_RESPONSE}
)
_S = DocumentState
_CODES: Final = ("KABUL", "RED")
_FLOW: Final = {
    "KABUL": (_S.ACCEPT_PROCESSING, _S.ACCEPT_WAIT_SYSTEM_RESPONSE, _S.ACCEPT_SUCCEED,
              _S.ACCEPT_FAILED),
    "RED": (_S.REJECT_PROCESSING, _S.REJECT_WAIT_SYSTEM_RESPONSE, _S.REJECT_SUCCEED,
            _S.REJECT_FAILED),
}
_FAILED_STATES: Final = {_S.ACCEPT_FAILED: "KABUL", _S.REJECT_FAILED: "RED"}
_TTK_NOTE: Final = "8 gün içinde yanıt verilmedi: fatura TTK 21/2 gereği kabul edilmiş sayılır"


@dataclass(frozen=True, slots=True)
class ResponseResult:
    """What :func:`respond` did: the response's UUID, its envelope and the invoice's state."""

    document_id: int
    response_uuid: str
    envelope_uuid: str
    state: DocumentState


def deemed_accepted(state: DocumentState | str, deadline: dt.datetime | None,
                    now: dt.datetime) -> bool:
    """Whether a TICARIFATURA counts as accepted by law: no answer and the window closed."""
    return DocumentState(state) in WAITING_STATES and deadline is not None and now >= deadline


def inbound_settings(integrator: Integrator) -> InboundSettings:
    """The receiving side's settings (defaults until the configuration carries them)."""
    settings = getattr(integrator.config, "inbound", None)
    return settings if isinstance(settings, InboundSettings) else InboundSettings()


# --- answering a received invoice ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    document: Any
    code: str
    reason: str | None
    signed: bytes | None  # the archived response when sending it again
    response_row: Any | None


def respond(
    integrator: Integrator, caller: Caller, document_id: int, code: str,
    reason: str | None = None,
) -> ResponseResult:
    """Answer the received TICARIFATURA ``document_id`` with KABUL or RED (module docstring).

    Raises NotFound (also for another taxpayer's document), PermissionDenied,
    ProfileRuleViolation (not a TICARIFATURA), InvalidState (already answered, or not an
    incoming invoice), DeadlineExpired (more than 8 days after receipt).
    """
    caller.require(Permission.RESPOND)
    code = (code or "").strip().upper()
    if code not in _CODES:
        raise DocumentError(f"Yanıt kodu KABUL ya da RED olmalı: {code!r}")
    reason = (reason or "").strip() or None
    if code == "RED" and reason is None:
        raise DocumentError("Red yanıtında gerekçe zorunludur")
    now = integrator.clock.now()
    with integrator.db.transaction(read_only=True) as conn:
        plan = _plan(conn, integrator, caller.scope(conn), document_id, code=code,
                     reason=reason, now=now)
        invoice = integrator.archive.get(conn, plan.document.archive_ref)
    doc = plan.document
    ours, theirs, invoice_ettn = _invoice_parties(invoice)
    signed = plan.signed or _sign(integrator, doc, invoice_ettn=invoice_ettn, ours=ours,
                                  theirs=theirs, code=code, reason=reason, now=now)
    built = build_envelope(
        EnvelopeHeader(
            ettn.new(), EnvelopeType.POSTBOX,
            Party(doc.receiver_alias, ours.identifier, _title(ours)),
            Party(doc.sender_alias, theirs.identifier, _title(theirs)),
            now.astimezone(TURKEY_TIME),
        ),
        [signed],
    )
    response_uuid = str(built.document_uuids[0] or "").lower()
    try:
        return _commit(integrator, caller, plan, built=built, signed=signed,
                       response_uuid=response_uuid, now=now)
    except IntegrityError as exc:  # a concurrent answer won the unique row
        raise InvalidState("Bu faturaya zaten yanıt verildi", state=plan.document.state) from exc


def _commit(integrator: Integrator, caller: Caller, plan: _Plan, *, built: Any,
            signed: bytes, response_uuid: str, now: dt.datetime) -> ResponseResult:
    doc, code, document_id = plan.document, plan.code, int(plan.document.id)
    processing = _FLOW[code][0]
    with integrator.db.transaction() as conn:
        scope = caller.scope(conn)
        moved = move_document(
            scope, integrator, document_id, processing, Direction.IN, at=now,
            message=f"{code} yanıtı gönderiliyor", envelope_uuid=built.envelope_id.lower(),
            values={"response_code": code, "response_description": plan.reason,
                    "response_at": now},
        )
        if not moved:
            current = scope.get(documents, document_id)
            raise InvalidState(f"Fatura bu durumda yanıtlanamaz: {_label(current.state)}",
                               state=current.state)
        ref = integrator.archive.put(
            conn, signed, kind=ArchiveKind.APPLICATION_RESPONSE, direction="OUT",
            tenant_id=scope.tenant_id,
            meta=ArchiveMeta(ettn=response_uuid, envelope_uuid=built.envelope_id.lower(),
                             issue_date=now.astimezone(TURKEY_TIME).date(),
                             counterpart_vkn_tckn=doc.counterpart_vkn_tckn,
                             counterpart_name=doc.counterpart_name, profile=doc.profile,
                             status=code),
        )
        response_id = _save_response(scope, plan, envelope_uuid=built.envelope_id.lower(),
                                     response_uuid=response_uuid, archive_ref=ref.sha256,
                                     now=now)
        envelope_id = store_outgoing(conn, integrator, built, tenant_id=scope.tenant_id)
        conn.execute(envelope_items.insert().values(
            envelope_id=envelope_id, position=0, document_id=document_id,
            response_id=response_id))
        audit.record(conn, caller.actor, "invoice.respond", tenant_id=scope.tenant_id,
                     object_type="document", object_id=document_id,
                     details={"code": code, "reason": plan.reason,
                              "resend": plan.signed is not None},
                     clock=integrator.clock)
    return ResponseResult(document_id, response_uuid, built.envelope_id.lower(), processing)


def _plan(conn: Connection, integrator: Integrator, scope: TenantScope, document_id: int, *,
          code: str, reason: str | None, now: dt.datetime) -> _Plan:
    doc = scope.get(documents, document_id)
    state = DocumentState(doc.state)
    if doc.direction != "IN":
        raise InvalidState("Yalnız gelen faturalar yanıtlanabilir", state=doc.state)
    if doc.profile != "TICARIFATURA":
        raise ProfileRuleViolation(
            f"Yalnız TICARIFATURA senaryosundaki faturalar yanıtlanabilir ({doc.profile})")
    if doc.response_deadline is not None and now > doc.response_deadline:
        raise DeadlineExpired(
            f"Yanıt süresi {doc.response_deadline.astimezone(TURKEY_TIME):%d.%m.%Y %H:%M} "
            "tarihinde doldu (faturanın alınmasından itibaren 8 gün)")
    if state is _S.RECEIVE_WAIT_APPLICATION_RESPONSE:
        return _Plan(doc, code, reason, None, None)
    if state in _FAILED_STATES:
        row = scope.execute(scope.select(application_responses).where(
            application_responses.c.document_id == document_id,
            application_responses.c.direction == "OUT")).first()
        if row is None or row.response_code != code:
            raise InvalidState(
                f"Gönderilemeyen {_FAILED_STATES[state]} yanıtı ancak aynı kodla yeniden "
                "gönderilebilir", state=doc.state)
        signed = integrator.archive.get(conn, row.archive_ref)
        return _Plan(doc, code, row.description, signed, row)
    raise InvalidState(f"Fatura bu durumda yanıtlanamaz: {state.label}", state=doc.state)


def _sign(integrator: Integrator, doc: Any, *, invoice_ettn: str, ours: ResponseParty,
          theirs: ResponseParty, code: str, reason: str | None, now: dt.datetime) -> bytes:
    seal = integrator.seals.seal_for(ours.identifier, now=now)
    signer = signer_identifier(seal.certificate)
    signatory = None
    if signer is not None and signer != ours.identifier:
        # The integrator seals on the taxpayer's behalf (OEK §2.2): it is the signatory.
        identity = integrator.config.integrator
        signatory = ResponseParty(identifier=identity.vkn, name=identity.title)
    response = new_business_response(
        code, sender=ours, receiver=theirs, invoice_ettn=invoice_ettn,
        invoice_type=doc.invoice_type, invoice_issue_date=doc.issue_date, issued_at=now,
        reason=reason, signatory=signatory,
    )
    return sign_bytes(to_xml(response), seal, signing_time=now)


def _save_response(scope: TenantScope, plan: _Plan, *, envelope_uuid: str,
                   response_uuid: str, archive_ref: str, now: dt.datetime) -> int:
    table = application_responses
    if plan.response_row is not None:
        scope.execute(scope.update(table).where(table.c.id == plan.response_row.id).values(
            envelope_uuid=envelope_uuid, state="sending", gib_status_code=None, updated_at=now))
        return int(plan.response_row.id)
    return int(scope.execute(scope.insert(table).values(
        document_id=plan.document.id, direction="OUT", response_code=plan.code,
        description=plan.reason, ettn=plan.document.ettn, response_id=response_uuid,
        issued_at=now, envelope_uuid=envelope_uuid, state="sending",
        archive_ref=archive_ref, created_at=now, updated_at=now,
    ).returning(table.c.id)).scalar_one())


def _invoice_parties(data: bytes) -> tuple[ResponseParty, ResponseParty, str]:
    """(customer = us, supplier = them, the invoice's ETTN as written) of a received invoice."""
    try:
        invoice = parse_invoice(data)
    except InvoiceInvalid:
        summary = summarize(data)  # a foreign invoice the model cannot hold: names only
        return (ResponseParty(summary.customer.id or "", summary.customer.name),
                ResponseParty(summary.supplier.id or "", summary.supplier.name),
                summary.ettn or "")
    return _party(invoice.customer), _party(invoice.supplier), str(invoice.ettn or "")


def _party(who: InvoiceParty) -> ResponseParty:
    address = who.address
    return ResponseParty(
        identifier=who.vkn or who.tckn or "",
        name=who.name, first_name=who.first_name, family_name=who.family_name,
        tax_office=who.tax_office,
        address=Address(
            city_subdivision=address.city_subdivision or "", city=address.city or "",
            country=address.country or "Türkiye", country_code=address.country_code or "TR",
            street=address.street, building_number=address.building_number,
            postal_zone=address.postal_code,
        ) if address is not None else Address(),
    )


def _title(who: ResponseParty) -> str | None:
    if who.name:
        return who.name
    return " ".join(p for p in (who.first_name, who.family_name) if p) or None


def _label(state: str) -> str:
    return DocumentState(state).label


# --- status of our answers -------------------------------------------------------------


def apply_response_status(
    integrator: Integrator, conn: Connection, envelope_uuid: str, code: int,
    description: str | None = None, *, responder: Party | None = None,
) -> int:
    """Apply GİB status ``code`` of our POSTBOXENVELOPE ``envelope_uuid``; return rows moved.

    ``responder`` is who reported it: Merkez (``GIB``, also for polled statuses) or the
    supplier's integrator forwarding its own system response. Merkez's 1200 means "passed
    Merkez, on its way" (WAIT_SYSTEM_RESPONSE); the receiver's 1200 and Merkez's 1300 mean
    delivered (SUCCEED); failure codes mean FAILED (the same response may be sent again).
    Repeated or late news never moves a response backwards.
    """
    envelope = conn.execute(select(envelopes.c.tenant_id).where(
        envelopes.c.envelope_uuid == envelope_uuid.lower(),
        envelopes.c.direction == "OUT")).first()
    if envelope is None or envelope.tenant_id is None:
        return 0
    scope = TenantScope(conn, int(envelope.tenant_id))
    table = application_responses
    rows = scope.execute(scope.select(table).where(
        table.c.envelope_uuid == envelope_uuid.lower(), table.c.direction == "OUT")).all()
    from_merkez = responder is None or responder.vkn_tckn == GIB.vkn_tckn
    now = integrator.clock.now()
    moved = 0
    for row in rows:
        step = _step(code, from_merkez)
        if step is None:
            continue
        row_state, index = step
        new = _FLOW[row.response_code][index]
        scope.execute(scope.update(table).where(table.c.id == row.id).values(
            state=row_state, gib_status_code=code, updated_at=now))
        moved += len(move_document(
            scope, integrator, int(row.document_id), new, Direction.IN, at=now,
            gib_code=code, envelope_uuid=envelope_uuid.lower(),
            message=description or status_codes.status(code).label,
            values={"gib_status_code": code,
                    "gib_status_description": status_codes.status(code).label},
        ))
    return moved


def _step(code: int, from_merkez: bool) -> tuple[str, int] | None:
    """(response row state, index into the KABUL/RED flow) for GİB ``code``; None: no news."""
    if code not in status_codes.STATUSES:
        return None
    kind = status_codes.status(code).kind
    if code in (1000, 1100) or kind is StatusKind.CANCELLED:
        return None
    if code == 1300 or (code == 1200 and not from_merkez):
        return "succeeded", 2
    if kind is StatusKind.FAILURE:
        return "failed", 3
    return "sent", 1  # Merkez's 1200, 1210, 1220: on the way to the supplier


# --- state changes with history ----------------------------------------------------------


def move_document(
    scope: TenantScope, integrator: Integrator, document_id: int, new: DocumentState,
    direction: Direction, *, at: dt.datetime, message: str | None = None,
    gib_code: int | None = None, envelope_uuid: str | None = None,
    values: dict[str, Any] | None = None,
) -> list[tuple[int, DocumentState]]:
    """Move one document to ``new`` if its state allows it (history row + event)."""
    d = documents.c
    row = scope.execute(scope.select(documents, d.state).where(
        d.id == document_id, d.direction == direction.value)).first()
    if row is None or not allowed_transition(DocumentState(row.state), new):
        return []
    update = dict(values or {})
    update.update(state=new.value, state_changed_at=at, updated_at=at)
    done = scope.execute(scope.update(documents).where(
        d.id == document_id, d.state == row.state).values(update)).rowcount
    if done != 1:
        return []
    old = DocumentState(row.state)
    scope.execute(scope.insert(document_events).values(
        document_id=document_id, at=at, state=new.value, gib_status_code=gib_code,
        envelope_uuid=envelope_uuid, message=message))
    integrator.events.publish(scope.conn, events.StatusChanged(
        scope.tenant_id, document_id, direction, old, new, gib_code))
    return [(document_id, old)]


# --- the 8-day window --------------------------------------------------------------------


def schedule_deadline(conn: Connection, integrator: Integrator, tenant_id: int,
                      document_id: int, deadline: dt.datetime) -> None:
    """Enqueue the job watching ``document_id``'s response window (once per document).

    Outbound calls it when an invoice of ours reaches SEND_WAIT_APPLICATION_RESPONSE, with
    the deadline it stored (the send time + :data:`RESPONSE_WINDOW`).
    """
    schedule_deadlines(conn, integrator, [(tenant_id, document_id, deadline)])


def schedule_deadlines(conn: Connection, integrator: Integrator,
                       windows: Sequence[tuple[int, int, dt.datetime]]) -> None:
    """:func:`schedule_deadline` for many ``(tenant_id, document_id, deadline)`` at once."""
    notice = inbound_settings(integrator).deadline_notice
    now = integrator.clock.now()
    jobs.enqueue_many(conn, [
        jobs.NewJob(DEADLINE_JOB, {"tenant_id": tenant_id, "document_id": document_id},
                    run_at=max(now, deadline - notice),
                    dedupe_key=f"{DEADLINE_JOB}:{document_id}")
        for tenant_id, document_id, deadline in windows
    ], clock=integrator.clock)


def run_deadline(ctx: JobContext, integrator: Integrator) -> None:
    """The ``responses.deadline`` job: warn before the window closes, note it once closed."""
    tenant_id, document_id = int(ctx.payload["tenant_id"]), int(ctx.payload["document_id"])
    with ctx.transaction() as conn:
        scope = TenantScope(conn, tenant_id)
        d = documents.c
        doc = scope.execute(scope.select(documents, d.state, d.direction, d.response_deadline)
                            .where(d.id == document_id)).first()
        if doc is None or doc.response_deadline is None or doc.state not in WAITING_STATES:
            return  # answered (or gone) meanwhile
        direction, deadline = Direction(doc.direction), doc.response_deadline
        now = integrator.clock.now()
        if now < deadline:
            integrator.events.publish(conn, events.ResponseDeadlineNear(
                tenant_id, document_id, direction, deadline))
            ctx.reschedule(at=deadline)
            return
        scope.execute(scope.insert(document_events).values(
            document_id=document_id, at=now, state=doc.state, message=_TTK_NOTE))
        integrator.events.publish(conn, events.ResponseDeadlinePassed(
            tenant_id, document_id, direction, deadline))


def register(registry: HandlerRegistry, integrator: Integrator) -> None:
    """Register the ``responses.deadline`` job."""
    registry.register(DEADLINE_JOB, lambda ctx: run_deadline(ctx, integrator))
