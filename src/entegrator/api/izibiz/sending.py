"""Sending and drafts on İzibiz's e-invoice services (integrator-api.md §4.5, §4.6, §4.13).

* SendInvoice — up to 100 invoices (5 MB), each ``CONTENT`` a ZIP of one UBL-TR XML unless
  ``COMPRESSED=N``; ``SERI_PREFIX`` numbers them from that series, ``RECEIVER/@alias`` names
  the customer's postbox; all accepted or none (core.outbound.submit_many). ``INVOICE_ID``
  is answered when the number is known at acceptance (the invoice carried it); a number
  taken from a series is assigned when the invoice is signed, moments later, and shows in
  GetInvoiceStatus / GetInvoice.
* LoadInvoice — keeps invoices as drafts; loading an invoice whose ETTN is already a draft
  replaces that draft (İzibiz semantics).
* CancelDraftInvoice — cancels a draft by its ETTN.
"""

from __future__ import annotations

from lxml import etree

from entegrator.api.soap import xmlread
from entegrator.api.soap.call import Call
from entegrator.api.soap.documents import find
from entegrator.api.soap.submission import CHANNEL, check_sender, load_drafts, read_contents
from entegrator.api.soap.xmlwrite import element
from entegrator.core.outbound import Request, cancel_draft, submit_many
from entegrator.core.states import Direction
from entegrator.ubl.identifiers import alias as alias_id

__all__ = ["cancel_draft_invoice", "load_invoice", "send_invoice"]


def send_invoice(call: Call) -> list[etree._Element]:
    """SendInvoice: ``REQUEST_RETURN`` and, when known, ``INVOICE_ID``."""
    request = call.request
    contents = read_contents(call, xmlread.children(request, "INVOICE"),
                             compressed=call.compressed(default=True))
    check_sender(call, xmlread.attribute(xmlread.child(request, "SENDER"), "vkn"))
    alias = xmlread.attribute(xmlread.child(request, "RECEIVER"), "alias")
    series = xmlread.text(request, "SERI_PREFIX")
    results = submit_many(call.integrator, call.caller, [
        Request(content, series=series,
                receiver_alias=alias_id.normalize(alias) if alias else None)
        for content in contents if content is not None
    ], channel=CHANNEL)
    call.subject = ",".join(r.ettn for r in results)[:200]
    answer = [call.request_return()]
    if len(results) == 1 and results[0].number:
        answer.append(element("INVOICE_ID", results[0].number))
    return answer


def load_invoice(call: Call) -> list[etree._Element]:
    """LoadInvoice: store or replace drafts; ``REQUEST_RETURN``."""
    contents = read_contents(call, xmlread.children(call.request, "INVOICE"),
                             compressed=call.compressed(default=True))
    load_drafts(call, [Request(content) for content in contents if content is not None])
    return [call.request_return()]


def cancel_draft_invoice(call: Call) -> list[etree._Element]:
    """CancelDraftInvoice(UUID): ``REQUEST_RETURN``."""
    ettn = xmlread.require(call.request, "UUID")
    holder = element("INVOICE", UUID=ettn)
    view = find(call, holder, direction=Direction.OUT)
    cancel_draft(call.integrator, call.caller, view.id)
    return [call.request_return()]
