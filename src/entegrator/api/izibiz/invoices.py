"""İzibiz's ``INVOICE`` and ``INVOICE_STATUS`` elements, from core's document view.

Order as in the schema (integrator-api.md §3.4, §4.10): ``HEADER`` then ``CONTENT`` for an
invoice; the status fields follow for ``INVOICE_STATUS``. STATUS, STATUS_DESCRIPTION and
STATUS_CODE come from :class:`~entegrator.core.states.DocumentState` (one mapping, in core);
``GIB_STATUS_CODE`` is GİB's last envelope code or -1 when there is none (§5.2);
``RESPONSE_CODE`` is İzibiz's ``ACCEPTED``/``REJECTED`` for a KABUL/RED answer (§5.3).
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from entegrator.api.soap.headers import add_parties, add_status, gib_code
from entegrator.api.soap.xmlwrite import add, add_base64, element
from entegrator.core.documents import DocumentView
from entegrator.core.tenants import Taxpayer

__all__ = ["RESPONSE_CODES", "header", "invoice", "invoice_status"]

#: KABUL/RED as İzibiz reports them.
RESPONSE_CODES: Final = {"KABUL": "ACCEPTED", "RED": "REJECTED"}


def header(view: DocumentView, own: Taxpayer) -> etree._Element:
    """The ``HEADER`` summary of one document."""
    node = element("HEADER")
    add_parties(node, view, own)
    add(node, "INVOICE_TYPE_CODE", view.invoice_type)
    add(node, "STATUS", view.status)
    add(node, "STATUS_DESCRIPTION", view.state.status_description)
    add(node, "GIB_STATUS_CODE", gib_code(view))
    add(node, "GIB_STATUS_DESCRIPTION", view.gib_status_description)
    add(node, "DIRECTION", view.direction.value)
    add(node, "RESPONSE_CODE", RESPONSE_CODES.get(view.response_code or ""))
    add(node, "RESPONSE_DESCRIPTION", view.response_description)
    add(node, "CDATE", view.created_at)
    add(node, "ENVELOPE_IDENTIFIER", view.envelope_uuid)
    add(node, "STATUS_CODE", view.status_code)
    return node


def invoice(view: DocumentView, own: Taxpayer, *, content: bytes | None = None,
            tag: str = "INVOICE") -> etree._Element:
    """An ``INVOICE`` (``ID``/``UUID``/``LIST_ID``, HEADER, CONTENT when given)."""
    node = element(tag, ID=view.number, UUID=view.ettn, LIST_ID=view.id)
    node.append(header(view, own))
    add_base64(node, "CONTENT", content)
    return node


def invoice_status(view: DocumentView, own: Taxpayer) -> etree._Element:
    """An ``INVOICE_STATUS``: the invoice part (with HEADER) and the status fields."""
    node = invoice(view, own, tag="INVOICE_STATUS")
    add_status(node, view, RESPONSE_CODES)
    add(node, "STATUS_CODE", view.status_code)
    add(node, "DIRECTION", view.direction.value)
    add(node, "ISSUE_DATE", view.issue_date)
    return node

