"""Reading documents on İzibiz's e-invoice services (integrator-api.md §4.7–4.11, §4.13).

* GetInvoice — search key → core.documents filter; default DIRECTION IN, LIMIT 10 (at most
  100 with content, 25 000 header-only), only unread invoices unless READ_INCLUDED; oldest
  first, so a client that marks what it saved and asks again walks forward. CONTENT is a ZIP
  of the UBL unless ``COMPRESSED=N``.
* GetInvoiceWithType — the same search; CONTENT is the invoice as PDF, HTML or XML, always
  zipped (the invoice's own XSLT, sandboxed, or entegrator's).
* GetInvoiceStatus / GetInvoiceStatusAll — status of one invoice / of each UUID found.
* GetInvoiceCount — how many invoices came in through the portal and through web services.
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from entegrator.api.izibiz.invoices import invoice, invoice_status
from entegrator.api.soap import xmlread
from entegrator.api.soap.call import Call
from entegrator.api.soap.content import zip_one
from entegrator.api.soap.documents import (
    counts_by_channel,
    direction_of,
    find,
    list_views,
    search,
)
from entegrator.api.soap.errors import BadRequest
from entegrator.api.soap.xmlwrite import element
from entegrator.core import documents
from entegrator.core.documents import DocumentView
from entegrator.errors import NotFound

__all__ = [
    "get_invoice",
    "get_invoice_count",
    "get_invoice_status",
    "get_invoice_status_all",
    "get_invoice_with_type",
]

_DEFAULT_LIMIT: Final = 10
_RENDERINGS: Final = {"PDF": "pdf", "HTML": "html", "XML": "xml"}


def get_invoice(call: Call) -> list[etree._Element]:
    """GetInvoice: ``INVOICE*`` (HEADER, CONTENT unless HEADER_ONLY=Y)."""
    headers_only = bool(xmlread.flag(call.request, "HEADER_ONLY"))
    settings = call.settings
    found = search(call, xmlread.child(call.request, "INVOICE_SEARCH_KEY"),
                   default_limit=_DEFAULT_LIMIT,
                   max_limit=settings.max_page_headers if headers_only else settings.max_page)
    zipped = call.compressed(default=True)
    own = call.taxpayer
    answer = []
    for view in list_views(call, found):
        content = None
        if not headers_only:
            content = documents.document_xml(call.integrator, call.caller, view.id)
            if zipped:
                content = zip_one(f"{view.ettn}.xml", content)
        answer.append(invoice(view, own, content=content))
    return answer


def get_invoice_with_type(call: Call) -> list[etree._Element]:
    """GetInvoiceWithType: ``INVOICE*`` with the rendering, zipped."""
    key = xmlread.child(call.request, "INVOICE_SEARCH_KEY")
    kind = (xmlread.text(key, "TYPE") or "PDF").upper()
    if kind not in _RENDERINGS:
        raise BadRequest(f"TYPE PDF, HTML ya da XML olmalı: {kind!r}")
    headers_only = bool(xmlread.flag(call.request, "HEADER_ONLY"))
    found = search(call, key, default_limit=_DEFAULT_LIMIT, max_limit=call.settings.max_page)
    own = call.taxpayer
    answer = []
    for view in list_views(call, found):
        content = None
        if not headers_only:
            content = zip_one(f"{view.ettn}.{_RENDERINGS[kind]}", _render(call, view, kind))
        answer.append(invoice(view, own, content=content))
    return answer


def _render(call: Call, view: DocumentView, kind: str) -> bytes:
    if kind == "PDF":
        return documents.document_pdf(call.integrator, call.caller, view.id)
    if kind == "HTML":
        return documents.document_html(call.integrator, call.caller, view.id)
    return documents.document_xml(call.integrator, call.caller, view.id)


def get_invoice_status(call: Call) -> list[etree._Element]:
    """GetInvoiceStatus: ``INVOICE_STATUS``."""
    target = xmlread.child(call.request, "INVOICE")
    if target is None:
        raise BadRequest("INVOICE zorunludur")
    return [invoice_status(find(call, target), call.taxpayer)]


def get_invoice_status_all(call: Call) -> list[etree._Element]:
    """GetInvoiceStatusAll: one ``INVOICE_STATUS`` per UUID found (unknown ones left out)."""
    uuids = [u.text.strip() for u in xmlread.children(call.request, "UUID")
             if u.text and u.text.strip()]
    if not uuids:
        raise BadRequest("En az bir UUID gerekli")
    if len(uuids) > call.settings.max_page:
        raise BadRequest(f"Bir istekte en çok {call.settings.max_page} UUID sorulabilir")
    own = call.taxpayer
    answer = []
    for uuid in uuids:
        try:
            answer.append(invoice_status(find(call, element("INVOICE", UUID=uuid)), own))
        except NotFound:
            continue
    return answer


def get_invoice_count(call: Call) -> list[etree._Element]:
    """GetInvoiceCount: ``PORTAL`` and ``WS`` counts for the period and direction."""
    request = call.request
    by_channel = counts_by_channel(
        call, direction_of(xmlread.text(request, "DIRECTION")),
        issue_from=xmlread.date(request, "ISSUE_DATE_START"),
        issue_to=xmlread.date(request, "ISSUE_DATE_END"),
        created_from=xmlread.date(request, "CDATE_START"),
        created_to=xmlread.date(request, "CDATE_END"))
    portal = by_channel.get("portal", 0)
    return [element("PORTAL", portal),
            element("WS", sum(by_channel.values()) - portal)]
