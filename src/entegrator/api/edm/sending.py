"""Sending, drafts and cancelling on EDM's service (integrator-api.md §4.5, §4.6, §4.13).

* SendInvoice — ``INVOICE+`` with raw UBL in CONTENT (``COMPRESSED=N``; a ZIP is opened
  too). An INVOICE's own ``HEADER/TO`` (receiver PK alias, ``urn:mail:`` optional) wins over
  the request's ``RECEIVER/@alias``; ``HEADER/INVOICESERIAL_REQUESTED`` numbers it from that
  series; ``HEADER/ERP_REFERENCE`` is kept as the client's reference. An INVOICE with a UUID
  and an empty CONTENT sends that loaded draft. The answer echoes each INVOICE with
  ``TRXID`` (entegrator's id), ``UUID``, ``ID`` (once known) and its STATUS.
* LoadInvoice — drafts (replacing a draft with the same ETTN); same echo.
* CancelInvoice — cancels drafts; a sent e-Fatura cannot be cancelled.
"""

from __future__ import annotations

from lxml import etree

from entegrator.api.edm.invoices import invoice
from entegrator.api.soap import xmlread
from entegrator.api.soap.call import Call
from entegrator.api.soap.documents import find
from entegrator.api.soap.submission import CHANNEL, check_sender, load_drafts, read_contents
from entegrator.core import documents
from entegrator.core.errors import InvalidState
from entegrator.core.outbound import Request, cancel_draft, send_draft, submit_many
from entegrator.core.states import Direction, DocumentState
from entegrator.ubl.identifiers import alias as alias_id

__all__ = ["cancel_invoice", "load_invoice", "send_invoice"]


def send_invoice(call: Call) -> list[etree._Element]:
    """SendInvoice: ``REQUEST_RETURN``, ``INVOICE*``."""
    invoices, requests = _requests(call, allow_empty=True)
    ids: list[int | None] = [None] * len(invoices)
    fresh = [i for i, r in enumerate(requests) if r is not None]
    for index, request in enumerate(requests):
        if request is None:  # a loaded draft, named by UUID, is sent now
            view = find(call, invoices[index], direction=Direction.OUT)
            ids[index] = send_draft(call.integrator, call.caller, view.id,
                                    receiver_alias=_alias_of(call, invoices[index])).document_id
    if fresh:
        results = submit_many(call.integrator, call.caller,
                              [r for r in requests if r is not None], channel=CHANNEL)
        for index, result in zip(fresh, results, strict=True):
            ids[index] = result.document_id
    return [call.request_return(), *_echo(call, ids)]


def load_invoice(call: Call) -> list[etree._Element]:
    """LoadInvoice: ``REQUEST_RETURN``, ``INVOICE*``."""
    _, requests = _requests(call, allow_empty=False)
    results = load_drafts(call, [r for r in requests if r is not None])
    return [call.request_return(), *_echo(call, [r.document_id for r in results])]


def cancel_invoice(call: Call) -> list[etree._Element]:
    """CancelInvoice: ``REQUEST_RETURN`` (drafts only)."""
    for target in xmlread.children(call.request, "INVOICE"):
        view = find(call, target, direction=Direction.OUT)
        if view.state is not DocumentState.DRAFT:
            raise InvalidState(f"Gönderilmiş bir e-Fatura iptal edilemez ({view.status})",
                               state=view.state.value)
        cancel_draft(call.integrator, call.caller, view.id)
    return [call.request_return()]


def _requests(call: Call, *, allow_empty: bool) -> tuple[list[etree._Element],
                                                          list[Request | None]]:
    request = call.request
    invoices = xmlread.children(request, "INVOICE")
    contents = read_contents(call, invoices, compressed=call.compressed(default=False),
                             allow_empty=allow_empty)
    check_sender(call, xmlread.attribute(xmlread.child(request, "SENDER"), "vkn"))
    built: list[Request | None] = []
    for element, content in zip(invoices, contents, strict=True):
        head = xmlread.child(element, "HEADER")
        check_sender(call, xmlread.text(head, "SENDER"))
        if content is None:
            built.append(None)
            continue
        built.append(Request(content, series=xmlread.text(head, "INVOICESERIAL_REQUESTED"),
                             receiver_alias=_alias_of(call, element),
                             client_reference=xmlread.text(head, "ERP_REFERENCE")))
    return invoices, built


def _alias_of(call: Call, element: etree._Element) -> str | None:
    alias = (xmlread.text(xmlread.child(element, "HEADER"), "TO")
             or xmlread.attribute(xmlread.child(call.request, "RECEIVER"), "alias"))
    return alias_id.normalize(alias) if alias else None


def _echo(call: Call, ids: list[int | None]) -> list[etree._Element]:
    own = call.taxpayer
    return [invoice(documents.get_document(call.integrator, call.caller, i), own)
            for i in ids if i is not None]
