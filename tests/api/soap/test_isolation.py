"""A user of one taxpayer can never read or act on another taxpayer's documents, through any
SOAP operation of either family: the other's documents are "not found" (never "forbidden")
or simply absent from lists, and stay exactly as they were.

The attacker is the seller's user; the victim is the buyer, who holds a received commercial
invoice (waiting for an answer), an invoice of its own in the send queue and a draft. Every
operation that names or lists documents is tried against each of them, by ETTN and by
number. (The GİB user list — CheckUser, GetGibUserList, GetUserList* — is public reference
data, not a taxpayer's.)"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from entegrator.core import documents
from entegrator.core.documents import DocumentView
from entegrator.core.outbound import submit
from entegrator.core.states import DocumentState
from entegrator.core.wiring import Integrator
from entegrator.signing import Seal
from tests.api.soap.support import EDM_PATH, Reply, edm, izibiz, login, post, receive_invoices
from tests.core.inbound.support import invoice_bytes
from tests.core.support import CUSTOMER, SUPPLIER, SeededTaxpayer


@dataclass(frozen=True)
class Victim:
    """The buyer's documents, as the attacker might name them."""

    received: DocumentView
    sent: DocumentView
    draft: DocumentView
    draft_xml: bytes

    @property
    def all(self) -> tuple[DocumentView, ...]:
        return (self.received, self.sent, self.draft)


@pytest.fixture
def victim(integrator: Integrator, supplier: SeededTaxpayer, customer: SeededTaxpayer,
           supplier_seal: Seal) -> Victim:
    (ettn,) = receive_invoices(integrator, supplier_seal, 1)
    own = invoice_bytes(profile="TEMELFATURA", number=900, supplier=CUSTOMER,
                        customer=SUPPLIER, example="01-temel-satis.json")
    sent = submit(integrator, customer.caller, own, channel="soap")
    draft_xml = invoice_bytes(profile="TEMELFATURA", number=901, supplier=CUSTOMER,
                              customer=SUPPLIER, example="01-temel-satis.json")
    draft = submit(integrator, customer.caller, draft_xml, draft=True, channel="soap")
    get = documents.get_document
    return Victim(documents.find_document(integrator, customer.caller, ettn=ettn),
                  get(integrator, customer.caller, sent.document_id),
                  get(integrator, customer.caller, draft.document_id), draft_xml)


@pytest.fixture
def attacker(soap_base: str, supplier: SeededTaxpayer) -> str:
    """A session of the seller's user."""
    return login(soap_base, "/EInvoiceWS", supplier.username, supplier.password)


def _refs(view: DocumentView) -> list[str]:
    refs = [f'UUID="{view.ettn}"', f'UUID="{view.ettn.upper()}"']
    return [*refs, f'ID="{view.number}"'] if view.number else refs


def _unchanged(integrator: Integrator, customer: SeededTaxpayer, victim: Victim) -> None:
    for before in victim.all:
        after = documents.get_document(integrator, customer.caller, before.id)
        assert (after.state, after.is_read, after.response_code) == (
            before.state, before.is_read, before.response_code)


# -- İzibiz (EInvoiceWS and the legacy EFaturaOIB share the operations) ----------------------

IZIBIZ_PATHS = ["/EInvoiceWS", "/EFaturaOIB"]
Lister = Callable[[DocumentView], str]

IZIBIZ_LISTS: dict[str, Lister] = {
    "GetInvoice-uuid": lambda v: (
        f"<INVOICE_SEARCH_KEY><UUID>{v.ettn}</UUID><READ_INCLUDED>true</READ_INCLUDED>"
        f"<DIRECTION>{v.direction.value}</DIRECTION><DRAFT_FLAG>Y</DRAFT_FLAG>"
        "</INVOICE_SEARCH_KEY><HEADER_ONLY>N</HEADER_ONLY>"),
    "GetInvoice-id": lambda v: (
        f"<INVOICE_SEARCH_KEY><ID>{v.number or 'ENT2025000000901'}</ID>"
        "<READ_INCLUDED>true</READ_INCLUDED>"
        f"<DIRECTION>{v.direction.value}</DIRECTION></INVOICE_SEARCH_KEY>"),
    "GetInvoiceWithType": lambda v: (
        f"<INVOICE_SEARCH_KEY><UUID>{v.ettn}</UUID><TYPE>XML</TYPE>"
        f"<READ_INCLUDED>true</READ_INCLUDED><DIRECTION>{v.direction.value}</DIRECTION>"
        "<DRAFT_FLAG>Y</DRAFT_FLAG></INVOICE_SEARCH_KEY>"),
    "GetInvoiceStatusAll": lambda v: f"<UUID>{v.ettn}</UUID>",
}


@pytest.mark.parametrize("path", IZIBIZ_PATHS)
@pytest.mark.parametrize("case", sorted(IZIBIZ_LISTS))
def test_izibiz_lists_never_show_another_taxpayers_documents(
        *, soap_base: str, integrator: Integrator, customer: SeededTaxpayer, victim: Victim,
        attacker: str, path: str, case: str) -> None:
    operation = case.split("-", maxsplit=1)[0]
    for view in victim.all:
        reply = post(soap_base + path, izibiz(operation, attacker, IZIBIZ_LISTS[case](view)))

        assert reply.error_code is None, case
        assert reply.payload.findall("INVOICE") == []
        assert reply.payload.findall("INVOICE_STATUS") == []
    _unchanged(integrator, customer, victim)


IZIBIZ_ACTIONS: dict[str, Callable[[str], str]] = {
    "GetInvoiceStatus": lambda ref: f"<INVOICE {ref}/>",
    "MarkInvoice": lambda ref: f'<MARK value="READ"><INVOICE {ref}/></MARK>',
    "SendInvoiceResponseWithServerSign": lambda ref: (
        f"<STATUS>KABUL</STATUS><INVOICE {ref}/>"),
    "CancelDraftInvoice": lambda ref: "<UUID>" + ref.split('"')[1] + "</UUID>",
}


@pytest.mark.parametrize("path", IZIBIZ_PATHS)
@pytest.mark.parametrize("operation", sorted(IZIBIZ_ACTIONS))
def test_izibiz_actions_on_another_taxpayers_documents_find_nothing(
        *, soap_base: str, integrator: Integrator, customer: SeededTaxpayer, victim: Victim,
        attacker: str, path: str, operation: str) -> None:
    for view in victim.all:
        for ref in _refs(view):
            reply = post(soap_base + path, izibiz(operation, attacker,
                                                  IZIBIZ_ACTIONS[operation](ref)))
            assert reply.error_code == 10008, (operation, ref)
    _unchanged(integrator, customer, victim)


@pytest.mark.parametrize("path", IZIBIZ_PATHS)
def test_izibiz_load_cannot_overwrite_another_taxpayers_draft(
        *, soap_base: str, integrator: Integrator, customer: SeededTaxpayer, victim: Victim,
        attacker: str, path: str) -> None:
    content = base64.b64encode(victim.draft_xml).decode()

    reply = post(soap_base + path, izibiz("LoadInvoice", attacker,
                                          f"<INVOICE><CONTENT>{content}</CONTENT></INVOICE>",
                                          header="<COMPRESSED>N</COMPRESSED>"))

    assert reply.error_code == 10013
    _unchanged(integrator, customer, victim)


@pytest.mark.parametrize("path", IZIBIZ_PATHS)
def test_izibiz_cannot_send_in_another_taxpayers_name(
        *, soap_base: str, integrator: Integrator, customer: SeededTaxpayer, victim: Victim,
        attacker: str, path: str) -> None:
    content = base64.b64encode(victim.draft_xml).decode()

    reply = post(soap_base + path, izibiz(
        "SendInvoice", attacker, f'<SENDER vkn="{CUSTOMER.vkn}"/>'
        f"<INVOICE><CONTENT>{content}</CONTENT></INVOICE>", header="<COMPRESSED>N</COMPRESSED>"))
    unnamed = post(soap_base + path, izibiz(
        "SendInvoice", attacker, f"<INVOICE><CONTENT>{content}</CONTENT></INVOICE>",
        header="<COMPRESSED>N</COMPRESSED>"))

    assert reply.error_code == 10006 and unnamed.error_code == 10013
    total = documents.counts(integrator, customer.caller).total
    assert total == len(victim.all)


def test_izibiz_counts_only_the_callers_documents(
        *, soap_base: str, victim: Victim, attacker: str) -> None:
    counts = [post(soap_base + "/EInvoiceWS", izibiz(
        "GetInvoiceCount", attacker, f"<DIRECTION>{d}</DIRECTION>")) for d in ("IN", "OUT")]

    assert [(c.text("PORTAL"), c.text("WS")) for c in counts] == [("0", "0"), ("0", "0")]


# -- EDM --------------------------------------------------------------------------------------

def _edm(operation: str, session: str, body: str) -> str:
    """An EDM request whose top-level children reset the namespace, as WCF writes them."""
    for tag in ("INVOICE_SEARCH_KEY", "INVOICE", "MARK", "STATUS"):
        body = re.sub(rf"^<{tag}(?=[ >/])", f'<{tag} xmlns=""', body)
        body = body.replace(f"</STATUS><{tag} ", f'</STATUS><{tag} xmlns="" ')
    return edm(operation, session, body)


def test_edm_get_invoice_never_shows_another_taxpayers_documents(
        *, soap_base: str, integrator: Integrator, customer: SeededTaxpayer, victim: Victim,
        attacker: str) -> None:
    for view in victim.all:
        keys = [f"<UUID>{view.ettn}</UUID>"] + ([f"<ID>{view.number}</ID>"] if view.number
                                                else [])
        for key in keys:
            reply = post(soap_base + EDM_PATH, _edm(
                "GetInvoice", attacker,
                f"<INVOICE_SEARCH_KEY>{key}<READ_INCLUDED>true</READ_INCLUDED>"
                f"<DIRECTION>{view.direction.value}</DIRECTION></INVOICE_SEARCH_KEY>"))
            assert not reply.is_fault and reply.payload.findall("INVOICE") == []
    _unchanged(integrator, customer, victim)


EDM_ACTIONS: dict[str, Callable[[str], str]] = {
    "GetInvoiceStatus": lambda ref: f'<INVOICE TRXID="0" {ref}/>',
    "MarkInvoice": lambda ref: f'<MARK value="READ"><INVOICE TRXID="0" {ref}/></MARK>',
    "SendInvoiceResponseWithServerSign": lambda ref: (
        f'<STATUS>RED</STATUS><INVOICE TRXID="0" {ref}/>'),
    "CancelInvoice": lambda ref: f'<INVOICE TRXID="0" {ref}/>',
    "SendInvoice": lambda ref: f'<INVOICE TRXID="0" {ref}><CONTENT/></INVOICE>',
}


@pytest.mark.parametrize("operation", sorted(EDM_ACTIONS))
def test_edm_actions_on_another_taxpayers_documents_find_nothing(
        *, soap_base: str, integrator: Integrator, customer: SeededTaxpayer, victim: Victim,
        attacker: str, operation: str) -> None:
    for view in victim.all:
        for ref in _refs(view):
            if operation == "SendInvoice" and ref.startswith("ID="):
                continue  # sending a loaded draft names it by UUID
            reply: Reply = post(soap_base + EDM_PATH,
                                _edm(operation, attacker, EDM_ACTIONS[operation](ref)))
            assert reply.is_fault and reply.error_code == 10008, (operation, ref)
    _unchanged(integrator, customer, victim)


def test_edm_load_cannot_overwrite_another_taxpayers_draft(
        *, soap_base: str, integrator: Integrator, customer: SeededTaxpayer, victim: Victim,
        attacker: str) -> None:
    content = base64.b64encode(victim.draft_xml).decode()

    reply = post(soap_base + EDM_PATH, _edm(
        "LoadInvoice", attacker, f'<INVOICE TRXID="0"><CONTENT>{content}</CONTENT></INVOICE>'))

    assert reply.is_fault and reply.error_code == 10013
    _unchanged(integrator, customer, victim)
    assert documents.get_document(integrator, customer.caller,
                                  victim.draft.id).state is DocumentState.DRAFT
