"""Reading documents on EDM's service (integrator-api.md §4.7, §4.10).

* GetInvoice — ``INVOICE*`` straight in the response. Search key as İzibiz's plus
  ``CR_START_DATE``/``CR_END_DATE`` (arrival time, to the second — EDM's paging: ask again
  from the last CDATE while pages are full), ``CONNECTORSTATUSDESCRIPTION`` (a STATUS
  literal), ``OFFSET``; LIMIT defaults to 100; oldest first. ``INVOICE_CONTENT_TYPE`` XML
  (default), PDF or HTML; CONTENT is zipped only when the header says ``COMPRESSED=Y``.
* GetInvoiceStatus — ``INVOICE_STATUS`` of the invoice named by UUID or ID.
* GetSessionInfo — whether a session id is live, and since when.
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from entegrator.api.edm.invoices import invoice, invoice_status
from entegrator.api.soap import xmlread
from entegrator.api.soap.call import Call
from entegrator.api.soap.content import zip_one
from entegrator.api.soap.documents import find, list_views, search
from entegrator.api.soap.errors import BadRequest
from entegrator.api.soap.xmlwrite import element
from entegrator.core import documents
from entegrator.core.documents import DocumentView
from entegrator.core.sessions import SessionInvalid

__all__ = ["get_invoice", "get_invoice_status", "get_session_info"]

_DEFAULT_LIMIT: Final = 100
_KINDS: Final = {"XML": ("xml", "text/plain"), "ALL": ("xml", "text/plain"),
                 "PDF": ("pdf", "application/pdf"), "HTML": ("html", "text/html")}


def get_invoice(call: Call) -> list[etree._Element]:
    """GetInvoice: ``INVOICE*``."""
    request = call.request
    headers_only = bool(xmlread.flag(request, "HEADER_ONLY"))
    kind = (xmlread.text(request, "INVOICE_CONTENT_TYPE") or "XML").upper()
    if kind not in _KINDS:
        raise BadRequest(f"INVOICE_CONTENT_TYPE XML, PDF, HTML ya da ALL olmalı: {kind!r}")
    settings = call.settings
    found = search(call, xmlread.child(request, "INVOICE_SEARCH_KEY"),
                   default_limit=_DEFAULT_LIMIT,
                   max_limit=settings.max_page_headers if headers_only else settings.max_page)
    zipped = call.compressed(default=False)
    own = call.taxpayer
    answer = []
    for view in list_views(call, found):
        if headers_only:
            answer.append(invoice(view, own))
            continue
        extension, media = _KINDS[kind]
        content = _content(call, view, extension)
        if zipped:
            content, media = zip_one(f"{view.ettn}.{extension}", content), "application/zip"
        answer.append(invoice(view, own, content=content, content_type=media))
    return answer


def _content(call: Call, view: DocumentView, extension: str) -> bytes:
    if extension == "pdf":
        return documents.document_pdf(call.integrator, call.caller, view.id)
    if extension == "html":
        return documents.document_html(call.integrator, call.caller, view.id)
    return documents.document_xml(call.integrator, call.caller, view.id)


def get_invoice_status(call: Call) -> list[etree._Element]:
    """GetInvoiceStatus: ``INVOICE_STATUS``."""
    target = xmlread.child(call.request, "INVOICE")
    if target is None:
        raise BadRequest("INVOICE zorunludur")
    return [invoice_status(find(call, target), call.taxpayer)]


def get_session_info(call: Call) -> list[etree._Element]:
    """GetSessionInfo: ``REQUEST_RETURN``, ``ISVALID``, ``EXISTFROM``."""
    token = xmlread.text(call.request, "SESION_ID") or call.header.session_id
    answer = [call.request_return()]
    try:
        session = call.services.sessions.validate(token or "")
    except SessionInvalid:
        answer.append(element("ISVALID", False))
        return answer
    call.subject = session.session_id
    return [*answer, element("ISVALID", True), element("EXISTFROM", session.created_at)]
