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

from entegrator.api.soap.headers import add_parties, add_status
from entegrator.api.soap.xmlwrite import add, add_base64, element
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
    node = element("HEADER")
    add_parties(node, view, own)
    add_status(node, view, RESPONSE_CODES)
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
    add_status(node, view, RESPONSE_CODES)
    add(node, "DIRECTION", _DIRECTION_WORDS[view.direction])
    return node
