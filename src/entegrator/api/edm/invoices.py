"""EDM's ``INVOICE`` and ``INVOICE_STATUS`` elements, from core's document view.

EDM's header differs from İzibiz's (integrator-api.md §3.4): no STATUS_CODE or
INVOICE_TYPE_CODE but ``INVOICE_TYPE`` in words (``Satış``) and ``INVOICE_SEND_TYPE``;
``MARKED`` is the read flag; and the .NET service always writes ``INTERNETSALES``,
``EARCHIVE`` and the two e-Arşiv report dates (``0001-01-01`` when empty), which its
clients' generated classes expect. ``TRXID`` carries entegrator's document id. In
``INVOICE_STATUS`` the direction is written as EDM's service writes it (``Giden``/``Gelen``,
the captured response); ``HEADER/DIRECTION`` uses ``OUT``/``IN`` like the requests.
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from entegrator.api.izibiz.invoices import gib_code
from entegrator.api.soap.xmlwrite import add, add_amount, add_base64, element
from entegrator.core.documents import DocumentView
from entegrator.core.states import Direction
from entegrator.core.tenants import Taxpayer

__all__ = ["RESPONSE_CODES", "header", "invoice", "invoice_status"]

#: KABUL/RED as EDM reports them.
RESPONSE_CODES: Final = {"KABUL": "ACCEPT", "RED": "REJECT"}
_NO_DATE: Final = "0001-01-01"
_TYPE_WORDS: Final = {
    "SATIS": "Satış", "IADE": "İade", "TEVKIFAT": "Tevkifat", "ISTISNA": "İstisna",
    "OZELMATRAH": "Özel Matrah", "IHRACKAYITLI": "İhraç Kayıtlı", "SGK": "SGK",
    "KOMISYONCU": "Komisyoncu", "TEVKIFATIADE": "Tevkifat İade",
}
_DIRECTION_WORDS: Final = {Direction.OUT: "Giden", Direction.IN: "Gelen"}


def header(view: DocumentView, own: Taxpayer) -> etree._Element:
    """EDM's ``HEADER`` summary of one document, in EDM's order."""
    out = view.direction is Direction.OUT
    node = element("HEADER")
    add(node, "SENDER", own.vkn_tckn if out else view.counterpart_vkn_tckn)
    add(node, "RECEIVER", view.counterpart_vkn_tckn if out else own.vkn_tckn)
    add(node, "SUPPLIER", own.title if out else view.counterpart_name)
    add(node, "CUSTOMER", view.counterpart_name if out else own.title)
    add(node, "ISSUE_DATE", view.issue_date)
    add_amount(node, "PAYABLE_AMOUNT", view.payable_amount, view.currency)
    add(node, "FROM", view.sender_alias)
    add(node, "TO", view.receiver_alias)
    add(node, "PROFILEID", view.profile)
    add(node, "STATUS", view.status)
    add(node, "STATUS_DESCRIPTION", view.state.status_description)
    add(node, "GIB_STATUS_CODE", gib_code(view))
    add(node, "GIB_STATUS_DESCRIPTION", view.gib_status_description)
    add(node, "RESPONSE_CODE", RESPONSE_CODES.get(view.response_code or ""))
    add(node, "RESPONSE_DESCRIPTION", view.response_description)
    add(node, "CDATE", view.created_at)
    add(node, "ENVELOPE_IDENTIFIER", view.envelope_uuid)
    add(node, "INTERNETSALES", False)
    add(node, "EARCHIVE", view.profile == "EARSIVFATURA")
    add(node, "INVOICE_TYPE", _TYPE_WORDS.get(view.invoice_type, view.invoice_type))
    add(node, "INVOICE_SEND_TYPE",
        "e-Arsiv" if view.profile == "EARSIVFATURA" else "e-Fatura")
    add(node, "EARCHIVE_REPORT_SENDDATE", _NO_DATE)
    add(node, "CANCEL_EARCHIVE_REPORT_SENDDATE", _NO_DATE)
    add(node, "ERP_REFERENCE", view.client_reference)
    add(node, "DIRECTION", view.direction.value)
    add(node, "MARKED", view.is_read)
    return node


def invoice(view: DocumentView, own: Taxpayer, *, content: bytes | None = None,
            content_type: str = "text/plain", tag: str = "INVOICE") -> etree._Element:
    """An ``INVOICE`` (``TRXID``/``UUID``/``ID``, HEADER, CONTENT when given)."""
    node = element(tag, TRXID=view.id, UUID=view.ettn, ID=view.number)
    node.append(header(view, own))
    add_base64(node, "CONTENT", content, content_type=content_type)
    return node


def invoice_status(view: DocumentView, own: Taxpayer) -> etree._Element:
    """An ``INVOICE_STATUS`` as EDM answers GetInvoiceStatus."""
    node = invoice(view, own, tag="INVOICE_STATUS")
    add(node, "STATUS", view.status)
    add(node, "STATUS_DESCRIPTION", view.state.status_description)
    add(node, "GIB_STATUS_CODE", gib_code(view))
    add(node, "GIB_STATUS_DESCRIPTION", view.gib_status_description)
    add(node, "RESPONSE_CODE", RESPONSE_CODES.get(view.response_code or ""))
    add(node, "RESPONSE_DESCRIPTION", view.response_description)
    add(node, "CDATE", view.created_at)
    add(node, "ENVELOPE_IDENTIFIER", view.envelope_uuid)
    add(node, "DIRECTION", _DIRECTION_WORDS[view.direction])
    return node
