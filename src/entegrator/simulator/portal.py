"""What GİB portal users do: send invoices, receive them, accept or reject them (KABUL/RED).

* :func:`send_invoices` — test plan §9 "Test Araçları": ``envelopes`` envelopes of ``invoices``
  invoices each (built with :mod:`entegrator.ubl`, sealed with the user's test seal) from the
  portal user's GB alias to an integrator's PK alias. They enter Merkez like any envelope.
* :func:`accept_delivery` — Merkez delivers to a portal user: its signatures are checked as a
  PK would, the documents land in the user's inbox, and the user answers with its own
  SYSTEMENVELOPE (1200, or the signature's failure code), which Merkez then routes to the
  sender like any receiver's answer (so the sender's envelope reaches 1300).
* :func:`respond` — test plan §6.1: the user accepts or rejects a TICARIFATURA it received,
  with a sealed application response in a POSTBOXENVELOPE to the seller's GB alias.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from lxml import etree
from sqlalchemy import Connection, insert, select, update

from entegrator.envelope import (
    ElementType,
    EnvelopeHeader,
    EnvelopeType,
    Party,
    build_envelope,
    read_envelope,
    system_envelope,
)
from entegrator.errors import NotFound
from entegrator.signing import sign_element
from entegrator.simulator import users
from entegrator.simulator.config import PORTAL_OWNER
from entegrator.simulator.receiver import store_incoming
from entegrator.simulator.records import EnvelopeRecord
from entegrator.simulator.responses import local_time
from entegrator.simulator.runtime import Runtime
from entegrator.simulator.signatures import SignatureFailure, check_document
from entegrator.simulator.tables import portal_inbox, portal_sequences
from entegrator.store.dialect import insert_for
from entegrator.ubl import build_invoice, load_invoice, ns, summarize
from entegrator.ubl.identifiers import ettn, invoice_id
from entegrator.ubl.responses import ResponseParty, from_element, new_business_response, to_element
from entegrator.ubl.responses.model import BusinessResponse
from entegrator.ubl.xml import parse

__all__ = [
    "LocalAnswer",
    "accept_delivery",
    "inbox",
    "invoice_spec",
    "respond",
    "send_invoices",
]

SERIES = "PRT"
_p = portal_inbox.c


@dataclass(frozen=True, slots=True)
class LocalAnswer:
    """A portal user's answer to a delivery: its SYSTEMENVELOPE zip and its inbox rows."""

    file_name: str
    data: bytes
    rows: tuple[dict[str, Any], ...] = field(default=())

    def store(self, conn: Connection, rt: Runtime) -> None:
        """Write the inbox rows (in the caller's transaction)."""
        if self.rows:
            conn.execute(insert(portal_inbox), [{**row, "received_at": rt.now()}
                                                for row in self.rows])


def _inbox_row(envelope_id: str, header: EnvelopeHeader, document: etree._Element
               ) -> dict[str, Any]:
    base = {"portal_vkn": header.receiver.vkn_tckn, "envelope_id": envelope_id,
            "sender_vkn": header.sender.vkn_tckn, "sender_alias": header.sender.alias,
            "receiver_alias": header.receiver.alias}
    if document.tag == ns.qname(ns.INV, "Invoice"):
        summary = summarize(document)
        return {**base, "kind": ElementType.INVOICE.value,
                "document_uuid": (summary.ettn or "").lower(), "number": summary.number,
                "profile_id": summary.profile,
                "document_type": summary.invoice_type,
                "issue_date": summary.issue_date.isoformat() if summary.issue_date else None,
                "sender_title": summary.supplier.name}
    response = from_element(document)
    reference = response.invoice.id if isinstance(response, BusinessResponse) else None
    code = response.code if isinstance(response, BusinessResponse) else response.status
    return {**base, "kind": ElementType.APPLICATION_RESPONSE.value,
            "document_uuid": response.uuid.lower(), "profile_id": response.profile_id,
            "document_type": code, "issue_date": response.issue_date.isoformat(),
            "reference": reference}


def accept_delivery(rt: Runtime, record: EnvelopeRecord, data: bytes) -> LocalAnswer:
    """The portal user's handling of a delivered envelope (see the module docstring)."""
    envelope = read_envelope(data, file_name=record.file_name)
    # A PK verifies seals whatever Merkez's switches say (test plan §5.2.1 c).
    check = replace(rt.check_context(PORTAL_OWNER).signatures, presence=True,
                    verify=True, require_signer_vkn=True)
    code, rows = 1200, []
    for index, document in enumerate(envelope.documents()):
        try:
            check_document(document, check, now=rt.now(), label=f"{index + 1}. belge")
        except SignatureFailure as exc:
            code, rows = exc.code, []
            break
        rows.append(_inbox_row(envelope.envelope_id.lower(), envelope.header, document))
    now = local_time(rt.now())
    built = system_envelope(envelope.header, code, new_id=ettn.new, now=lambda: now)
    zipped = built.zipped()
    return LocalAnswer(zipped.file_name, zipped.data, tuple(rows))


def _numbers(rt: Runtime, vkn: str, count: int, year: int) -> Iterator[str]:
    """Reserve ``count`` consecutive invoice numbers of portal user ``vkn`` for ``year``."""
    with rt.db.transaction() as conn:
        key = {"vkn": vkn, "year": year}
        conn.execute(insert_for(conn, portal_sequences).values(**key, last=0)
                     .on_conflict_do_nothing())
        table = portal_sequences.c
        where = (table.vkn == vkn, table.year == year)
        last = conn.execute(select(table.last).where(*where)).scalar_one()
        conn.execute(update(portal_sequences).where(*where).values(last=last + count))
    return (invoice_id.make(SERIES, year, last + i) for i in range(1, count + 1))


def _party(vkn: str, title: str, alias: str) -> dict[str, Any]:
    address = {"city_subdivision": "Çankaya", "city": "Ankara", "country_code": "TR"}
    if len(vkn) == 11:
        first, _, family = title.rpartition(" ")
        return {"tckn": vkn, "first_name": first or title, "family_name": family or title,
                "address": address, "alias": alias}
    return {"vkn": vkn, "name": title, "tax_office": "Çankaya", "address": address,
            "alias": alias}


def send_invoices(rt: Runtime, vkn: str, *, receiver_vkn: str, receiver_alias: str,
                  envelopes: int = 1, invoices: int = 1, profile: str = "TICARIFATURA",
                  invoice_type: str = "SATIS", billing_reference: str | None = None
                  ) -> list[str]:
    """Make portal user ``vkn`` send invoices to an integrator's PK alias; return envelope ids."""
    user, seal = rt.portal.user(vkn), rt.portal.seal(vkn)
    with rt.db.transaction(read_only=True) as conn:
        found = users.list_users(conn, identifier=receiver_vkn)
    title = found[0].title if found else "Test Alıcısı"
    today = local_time(rt.now()).date()
    numbers = _numbers(rt, vkn, envelopes * invoices, today.year)
    sent = []
    for _ in range(envelopes):
        documents = []
        for index in range(invoices):
            spec = invoice_spec((user.vkn, user.title, user.gb_alias),
                                (receiver_vkn, title, receiver_alias), number=next(numbers),
                                profile=profile, invoice_type=invoice_type, today=today,
                                index=index, billing_reference=billing_reference)
            root = parse(build_invoice(load_invoice(spec)))
            documents.append(sign_element(root, seal, signing_time=rt.now()))
        header = EnvelopeHeader(ettn.new(), EnvelopeType.SENDER,
                                Party(user.gb_alias, user.vkn, user.title),
                                Party(receiver_alias, receiver_vkn), local_time(rt.now()))
        zipped = build_envelope(header, documents).zipped()
        store_incoming(rt, zipped.file_name, zipped.data, origin=PORTAL_OWNER,
                       note="GİB portalı Test Araçları")
        sent.append(header.envelope_id)
    return sent


def invoice_spec(supplier: tuple[str, str, str], customer: tuple[str, str, str], *,
                 number: str, profile: str, invoice_type: str, today: date, index: int = 0,
                 billing_reference: str | None = None) -> dict[str, Any]:
    """An invoice spec for :func:`entegrator.ubl.load_invoice`: one line of 100 TRY + 20% KDV.

    ``supplier`` and ``customer`` are (VKN/TCKN, title, alias).
    """
    spec: dict[str, Any] = {
        "profile": profile, "invoice_type": invoice_type, "number": number, "ettn": ettn.new(),
        "issue_date": today.isoformat(), "issue_time": "10:00:00",
        "supplier": _party(*supplier), "customer": _party(*customer),
        "lines": [{"name": f"Test hizmeti {index + 1}", "quantity": "1", "unit_code": "C62",
                   "unit_price": "100", "taxes": [{"percent": "20"}]}],
    }
    if billing_reference is not None:
        spec["billing_references"] = [{"number": billing_reference,
                                       "issue_date": today.isoformat()}]
    return spec


def respond(rt: Runtime, vkn: str, document_uuid: str, code: str, reason: str | None = None
            ) -> str:
    """Portal user ``vkn`` accepts (KABUL) or rejects (RED) a received invoice; return the
    POSTBOXENVELOPE's id."""
    user, seal = rt.portal.user(vkn), rt.portal.seal(vkn)
    with rt.db.transaction(read_only=True) as conn:
        row = conn.execute(select(portal_inbox).where(
            _p.portal_vkn == vkn, _p.document_uuid == document_uuid.lower(),
            _p.kind == ElementType.INVOICE.value)).first()
    if row is None:
        raise NotFound(f"{vkn} gelen kutusunda {document_uuid} faturası yok")
    response = new_business_response(
        code, sender=ResponseParty(vkn, name=user.title),
        receiver=ResponseParty(row.sender_vkn, name=row.sender_title or row.sender_vkn),
        invoice_ettn=row.document_uuid, invoice_type=row.document_type or "SATIS",
        invoice_issue_date=date.fromisoformat(row.issue_date), issued_at=rt.now(), reason=reason)
    document = sign_element(to_element(response), seal, signing_time=rt.now())
    header = EnvelopeHeader(ettn.new(), EnvelopeType.POSTBOX,
                            Party(row.receiver_alias, vkn, user.title),
                            Party(row.sender_alias, row.sender_vkn), local_time(rt.now()))
    zipped = build_envelope(header, [document]).zipped()
    store_incoming(rt, zipped.file_name, zipped.data, origin=PORTAL_OWNER, note=f"portal {code}")
    with rt.db.transaction() as conn:
        conn.execute(update(portal_inbox).where(_p.id == row.id).values(
            response_code=code, response_envelope=header.envelope_id))
    return header.envelope_id


def inbox(rt: Runtime, vkn: str) -> list[dict[str, Any]]:
    """What portal user ``vkn`` received (invoices and application responses), oldest first."""
    rt.portal.user(vkn)
    with rt.db.transaction(read_only=True) as conn:
        rows = conn.execute(select(portal_inbox).where(_p.portal_vkn == vkn)
                            .order_by(_p.id)).all()
    result = []
    for row in rows:
        values = row._asdict()
        values["received_at"] = values["received_at"].isoformat()
        result.append(values)
    return result
