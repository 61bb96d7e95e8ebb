"""Helpers of the inbound tests: signed invoices and answers in real envelopes, delivered to
the Receiver, processed by a real job worker, and read back."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from entegrator.core.events import Event
from entegrator.core.inbound import Receiver
from entegrator.core.inbound import register as register_inbound
from entegrator.core.responses import register as register_responses
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.envelope import (
    EnvelopeHeader,
    EnvelopeType,
    Party,
    ZippedEnvelope,
    build_envelope,
    read_envelope,
    read_system_response,
)
from entegrator.gib import Caller
from entegrator.signing import Seal, SoftwareSigner, TrustStore, make_seal, sign_bytes
from entegrator.signing.devpki import DevPki
from entegrator.store.domain import documents, envelopes
from entegrator.store.jobs import HandlerRegistry, Worker, WorkerConfig
from entegrator.ubl import build_invoice, load_invoice
from entegrator.ubl.identifiers import ettn
from entegrator.ubl.responses import ResponseParty, new_business_response, to_xml
from entegrator.ubl.responses.model import TURKEY_TIME
from tests.core.support import CUSTOMER, SUPPLIER, CorePki, PartySpec

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
LOOPBACK = Caller("127.0.0.1")


def party(spec: PartySpec, role: str) -> Party:
    """The envelope end of ``spec`` with its default GB or PK alias."""
    return Party(spec.gb if role == "GB" else spec.pk, spec.vkn, spec.title)


def seal_for(pki: CorePki | DevPki, vkn: str, title: str = "Test Mükellefi", *,
             signer_vkn: str | None = None) -> Seal:
    """A software seal for ``vkn`` issued by ``pki`` (the test PKI is trusted by the
    integrator; a fresh DevPki is not). ``signer_vkn``: the certificate is someone else's
    who signs on ``vkn``'s behalf (a delegate)."""
    dev = pki.pki if isinstance(pki, CorePki) else pki
    issued = dev.issue_seal(signer_vkn or vkn, title)
    trust = TrustStore.from_certificates(dev.trust_anchors)
    return make_seal(SoftwareSigner(issued.private_key, issued.certificate), taxpayer_vkn=vkn,
                     trust=trust, delegated=signer_vkn is not None, integrator_vkn=signer_vkn)


def invoice_bytes(
    *, profile: str = "TICARIFATURA", number: int = 1, uuid: str | None = None,
    supplier: PartySpec = SUPPLIER, customer: PartySpec = CUSTOMER, seal: Seal | None = None,
    changes: dict[str, Any] | None = None, edit: Callable[[bytes], bytes] | None = None,
    example: str = "32-ticari-satis.json",
) -> bytes:
    """A UBL-TR invoice (``examples/<example>`` with these parties), ``edit``-ed, then signed
    if sealed."""
    data = json.loads((EXAMPLES / example).read_text(encoding="utf-8"))
    data.update(profile=profile, number=f"ENT2025{number:09d}", ettn=uuid or ettn.new())
    data["supplier"].update(vkn=supplier.vkn, name=supplier.title, alias=supplier.gb)
    data["customer"].update(vkn=customer.vkn, name=customer.title, alias=customer.pk)
    data.update(changes or {})
    xml = build_invoice(load_invoice(data))
    if edit is not None:
        xml = edit(xml)
    return sign_bytes(xml, seal) if seal is not None else xml


def answer_bytes(
    invoice_uuid: str, code: str, *, seal: Seal | None, sender: PartySpec = CUSTOMER,
    receiver: PartySpec = SUPPLIER, reason: str | None = None,
    issued_at: dt.datetime | None = None, invoice_date: dt.date | None = None,
) -> bytes:
    """A KABUL/RED application response from ``sender`` to ``receiver``'s invoice."""
    response = new_business_response(
        code, sender=ResponseParty(sender.vkn, sender.title),
        receiver=ResponseParty(receiver.vkn, receiver.title), invoice_ettn=invoice_uuid,
        invoice_type="SATIS", invoice_issue_date=invoice_date or dt.date(2025, 3, 14),
        issued_at=issued_at or dt.datetime.now(dt.UTC), reason=reason or (
            "Fatura kabul edildi." if code == "KABUL" else "Hatalı fiyat"),
    )
    xml = to_xml(response)
    return sign_bytes(xml, seal) if seal is not None else xml


def envelope_zip(
    documents_: Sequence[bytes], *, kind: EnvelopeType = EnvelopeType.SENDER,
    sender: Party | None = None, receiver: Party | None = None, envelope_id: str | None = None,
) -> ZippedEnvelope:
    """The zipped envelope carrying ``documents_`` (default: supplier GB → customer PK)."""
    if kind is EnvelopeType.POSTBOX:
        sender = sender or party(CUSTOMER, "PK")
        receiver = receiver or party(SUPPLIER, "GB")
    header = EnvelopeHeader(
        envelope_id or ettn.new(), kind, sender or party(SUPPLIER, "GB"),
        receiver or party(CUSTOMER, "PK"), dt.datetime.now(TURKEY_TIME).replace(microsecond=0),
    )
    return build_envelope(header, list(documents_)).zipped()


def deliver(integrator: Integrator, zipped: ZippedEnvelope) -> None:
    """Merkez's sendDocument towards us: the Receiver port, as the server calls it."""
    Receiver(integrator).receive(zipped.file_name, zipped.data, zipped.md5, caller=LOOPBACK)


def registry(integrator: Integrator) -> HandlerRegistry:
    """The job kinds inbound tests run (outbound's sender is not among them)."""
    handlers = HandlerRegistry()
    register_inbound(handlers, integrator)
    register_responses(handlers, integrator)
    return handlers


def run_jobs(integrator: Integrator) -> int:
    """Run every due inbound/responses job; return how many ran."""
    worker = Worker(integrator.db, registry(integrator), WorkerConfig(poll_interval=0.01),
                    clock=integrator.clock)
    return worker.run_until_idle()


class Recorder:
    """An event sink that keeps what it is given (in commit-or-rollback order of calls)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def publish(self, conn: Any, event: Event) -> None:
        self.events.append(event)


@dataclass(frozen=True)
class Outcome:
    """What happened to one received envelope."""

    row: Any
    answer_code: int | None
    answer_row: Any | None


def outcome(integrator: Integrator, envelope_uuid: str) -> Outcome:
    """The received envelope's row and the status code of the system response we queued."""
    with integrator.db.transaction(read_only=True) as conn:
        row = conn.execute(select(envelopes).where(
            envelopes.c.envelope_uuid == envelope_uuid.lower(),
            envelopes.c.direction == "IN")).one()
        answer = None
        if row.response_envelope_uuid is not None:
            answer = conn.execute(select(envelopes).where(
                envelopes.c.envelope_uuid == row.response_envelope_uuid,
                envelopes.c.direction == "OUT")).one()
            data = integrator.archive.get(conn, answer.archive_ref)
    code = None
    if answer is not None:
        response = read_system_response(read_envelope(data))
        code = response.status_code.code if response.status_code else None
    return Outcome(row, code, answer)


def mailbox(integrator: Integrator, tenant_id: int) -> list[Any]:
    """Every IN document of ``tenant_id`` (system read for assertions)."""
    from entegrator.store.tenancy import TenantScope

    with integrator.db.transaction(read_only=True) as conn:
        scope = TenantScope(conn, tenant_id)
        return list(conn.execute(scope.select(documents).where(
            documents.c.direction == "IN").order_by(documents.c.id)).all())


@dataclass(frozen=True)
class SentInvoice:
    """One of our outgoing invoices as outbound leaves it after sending."""

    document_id: int
    ettn: str
    envelope_uuid: str
    data: bytes


def sent_invoice(
    integrator: Integrator, tenant_id: int, *, seal: Seal, profile: str = "TICARIFATURA",
    state: DocumentState = DocumentState.SEND_WAIT_APPLICATION_RESPONSE,
    sent_at: dt.datetime | None = None, number: int = 1,
) -> SentInvoice:
    """Insert a signed invoice of ``tenant_id`` (SUPPLIER → CUSTOMER) that was sent in its
    own SENDERENVELOPE, in ``state`` (what outbound's prepare/send/status leave behind)."""
    from entegrator.store.archive.model import ArchiveKind
    from entegrator.store.tenancy import TenantScope
    from entegrator.ubl import summarize

    data = invoice_bytes(profile=profile, number=number, seal=seal)
    summary = summarize(data)
    envelope_uuid = ettn.new()
    now = integrator.clock.now()
    sent = sent_at or now
    deadline = sent + dt.timedelta(days=8) if state in (
        DocumentState.SEND_WAIT_APPLICATION_RESPONSE,) else None
    with integrator.db.transaction() as conn:
        scope = TenantScope(conn, tenant_id)
        ref = integrator.archive.put(conn, data, kind=ArchiveKind.INVOICE, direction="OUT",
                                     tenant_id=tenant_id)
        conn.execute(envelopes.insert().values(
            envelope_uuid=envelope_uuid, direction="OUT", type="SENDERENVELOPE",
            tenant_id=tenant_id, sender_alias=SUPPLIER.gb, sender_vkn_tckn=SUPPLIER.vkn,
            receiver_alias=CUSTOMER.pk, receiver_vkn_tckn=CUSTOMER.vkn, document_count=1,
            state="sent", created_at=sent, sent_at=sent, updated_at=sent))
        document_id = scope.execute(scope.insert(documents).values(
            direction="OUT", ettn=(summary.ettn or "").lower(), number=summary.number,
            profile=profile, invoice_type="SATIS", issue_date=summary.issue_date,
            currency="TRY", payable_amount=summary.payable_amount,
            counterpart_vkn_tckn=CUSTOMER.vkn, counterpart_name=CUSTOMER.title,
            sender_alias=SUPPLIER.gb, receiver_alias=CUSTOMER.pk, state=state.value,
            state_changed_at=sent, envelope_uuid=envelope_uuid, response_deadline=deadline,
            archive_ref=ref.sha256, channel="api", created_at=sent, updated_at=sent,
            sent_at=sent,
        ).returning(documents.c.id)).scalar_one()
    return SentInvoice(int(document_id), (summary.ettn or "").lower(), envelope_uuid, data)


def document(integrator: Integrator, tenant_id: int, document_id: int) -> Any:
    """One document row (system read for assertions)."""
    from entegrator.store.tenancy import TenantScope

    with integrator.db.transaction(read_only=True) as conn:
        return TenantScope(conn, tenant_id).get(documents, document_id)
