"""USERENVELOPEs: an özel entegratör opens or closes its customers' aliases (OEK §4–6).

Checks after reading: GİB's XSD and schematron (which carry the HR-XML rules: alias syntax,
reserved names, one user per message, ``oa:LogicalID`` = sender), the service alias
(``usergb`` → e-Fatura aliases, ``edespatch`` → e-İrsaliye aliases), the sender VKN = the
calling integrator's VKN (else 1170), the integrator's signature and — unless the customer
is a VUK 507 user (UserOptionCode 3/4) — the customer's counter-signature ("seri imza";
missing → 1182/1183, otherwise the signature codes). Then, all or nothing:
ProcessUserAccount adds the user and opens its aliases at this integrator (1182 if an alias
is open at another integrator); CancelUserAccount closes the listed aliases, or all of the
user's aliases at this integrator when none is listed (1183 if nothing was open).
Success: 1200 pushed to the integrator, then 1300 (OEK §6.1 d).
"""

from __future__ import annotations

from typing import Final

from lxml import etree
from sqlalchemy import Connection

from entegrator.envelope import (
    Envelope,
    EnvelopeError,
    UserAccountRequest,
    UserAction,
    read_user_account,
)
from entegrator.errors import InvalidIdentifier
from entegrator.gib.userlist import DESPATCH_ADVICE, INVOICE
from entegrator.signing import document as signed
from entegrator.simulator import records, users
from entegrator.simulator.checks import Rejected, validate_content
from entegrator.simulator.errors import AliasConflict
from entegrator.simulator.outbox import queue_response
from entegrator.simulator.records import EnvelopeRecord
from entegrator.simulator.runtime import Runtime
from entegrator.simulator.signatures import SignatureFailure, check_document
from entegrator.store.jobs import JobContext
from entegrator.ubl.identifiers import party

__all__ = ["process"]

#: Service alias (USERENVELOPE sender) → the document type whose aliases it manages.
SERVICES: Final = {"usergb": INVOICE, "edespatch": DESPATCH_ADVICE}
_FAILURE: Final = {UserAction.PROCESS: 1182, UserAction.CANCEL: 1183}
_KAMU_OPTIONS: Final = frozenset({1, 3, 51, 53})


def _requests(rt: Runtime, record: EnvelopeRecord, envelope: Envelope
              ) -> tuple[str, list[UserAccountRequest]]:
    validate_content(envelope, rt.check_context(record.origin))
    header = envelope.header
    integrator = rt.directory.get(record.origin)
    if header.sender.vkn_tckn != integrator.vkn:
        raise Rejected(1170, f"zarfı gönderen VKN ({header.sender.vkn_tckn}) bu entegratörün "
                             f"({integrator.vkn}) değil")
    requests: list[UserAccountRequest] = []
    for index, document in enumerate(envelope.documents()):
        try:
            request = read_user_account(document)
        except EnvelopeError as exc:
            raise Rejected(exc.gib_code or 1150, exc.message) from exc
        failure = _FAILURE[request.action]
        document_type = SERVICES.get(header.sender.alias)
        if document_type is None:
            raise Rejected(failure, f"{header.sender.alias} hizmeti simülatörde desteklenmiyor")
        _check_signatures(rt, record, document, request, failure=failure, index=index)
        if rt.config.checks.strict_checksums:
            try:
                party.validate(request.holder.vkn_tckn)
            except InvalidIdentifier as exc:
                raise Rejected(failure, exc.message) from exc
        requests.append(request)
    return SERVICES[header.sender.alias], requests


def _check_signatures(rt: Runtime, record: EnvelopeRecord, document: etree._Element,
                      request: UserAccountRequest, *, failure: int, index: int) -> None:
    label = f"{index + 1}. kullanıcı belgesi"
    switches = rt.config.checks
    if switches.signature_presence or switches.verify_signatures:
        signatures = signed.find_signature(document, signed.DocumentKind.USER_ACCOUNT)
        if not signatures:
            raise Rejected(failure, f"{label}: entegratörün mali mühür imzası yok")
        if request.needs_counter_signature and not signed.find_counter_signature(signatures[0]):
            raise Rejected(failure, f"{label}: müşterinin seri imzası (karşı imza) yok")
    ctx = rt.check_context(record.origin, counter_signature=request.needs_counter_signature)
    try:
        check_document(document, ctx.signatures, now=ctx.now, label=label)
    except SignatureFailure as exc:
        raise Rejected(exc.code, exc.detail) from exc


def _apply(conn: Connection, request: UserAccountRequest, *, owner: str, document_type: str,
           rt: Runtime) -> None:
    now = rt.now()
    holder = party.compact(request.holder.vkn_tckn)
    if request.action is UserAction.PROCESS:
        users.upsert_user(conn, holder, title=request.holder.formatted_name or holder,
                          type="KAMU" if request.option in _KAMU_OPTIONS else "OZEL",
                          account_type="OZELENTEGRASYON", now=now)
        for mailbox in request.mailboxes:
            try:
                users.add_alias(conn, holder, mailbox.role.value, mailbox.alias, owner=owner,
                                now=now, document_type=document_type)
            except AliasConflict as exc:
                raise Rejected(1182, exc.message) from exc
        return
    targets = request.mailboxes or (None,)
    for mailbox in targets:
        closed = users.remove_aliases(
            conn, holder, now=now, owner=owner, document_type=document_type,
            role=mailbox.role.value if mailbox else None, name=mailbox.alias if mailbox else None)
        if not closed:
            shown = mailbox.alias if mailbox else "hiçbir etiket"
            raise Rejected(1183, f"{holder} için {shown} bu entegratörde açık değil")


def process(rt: Runtime, ctx: JobContext, record: EnvelopeRecord, envelope: Envelope) -> None:
    """Handle one USERENVELOPE (the rest of a ``sim.process`` job)."""
    try:
        document_type, requests = _requests(rt, record, envelope)
    except Rejected as exc:
        _finish(rt, ctx, record, envelope, code=exc.code, detail=exc.detail, requests=[],
                document_type="")
        return
    _finish(rt, ctx, record, envelope, code=1200, detail=None, requests=requests,
            document_type=document_type)


def _finish(rt: Runtime, ctx: JobContext, record: EnvelopeRecord, envelope: Envelope, *,
            code: int, detail: str | None, requests: list[UserAccountRequest],
            document_type: str) -> None:
    with ctx.transaction() as conn:
        now = rt.now()
        records.set_header(conn, record.id, envelope, now=now)
        if code == 1200:
            savepoint = conn.begin_nested()
            try:
                for request in requests:
                    _apply(conn, request, owner=record.origin, document_type=document_type, rt=rt)
            except Rejected as exc:
                savepoint.rollback()
                code, detail = exc.code, exc.detail
            else:
                savepoint.commit()
        if not records.set_status(conn, record.id, code, now=now, only_from=(1100,),
                                  detail=detail):
            return
        queue_response(rt, conn, envelope.header, code, to=record.origin, detail=detail,
                       fallback_vkn=rt.directory.get(record.origin).vkn)
        if code == 1200:
            records.set_status(conn, record.id, 1300, now=now, note="kullanıcı listesi güncellendi")
    rt.kick()
