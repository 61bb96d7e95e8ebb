"""The runs of document fields both SOAP dialects (İzibiz, EDM) write in the same order.

Each dialect's module keeps its own element order around these runs (their contracts differ);
only the runs themselves live here.
"""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree

from entegrator.api.soap.xmlwrite import add, add_amount
from entegrator.core.documents import DocumentView
from entegrator.core.states import Direction
from entegrator.core.tenants import Taxpayer

__all__ = ["add_parties", "add_status", "gib_code"]


def add_parties(node: etree._Element, view: DocumentView, own: Taxpayer) -> None:
    """SENDER … PROFILEID: who sent to whom, when, how much, between which aliases."""
    out = view.direction is Direction.OUT
    add(node, "SENDER", own.vkn_tckn if out else view.counterpart_vkn_tckn)
    add(node, "RECEIVER", view.counterpart_vkn_tckn if out else own.vkn_tckn)
    add(node, "SUPPLIER", own.title if out else view.counterpart_name)
    add(node, "CUSTOMER", view.counterpart_name if out else own.title)
    add(node, "ISSUE_DATE", view.issue_date)
    add_amount(node, "PAYABLE_AMOUNT", view.payable_amount, view.currency)
    add(node, "FROM", view.sender_alias)
    add(node, "TO", view.receiver_alias)
    add(node, "PROFILEID", view.profile)


def add_status(node: etree._Element, view: DocumentView,
               response_codes: Mapping[str, str]) -> None:
    """STATUS … ENVELOPE_IDENTIFIER; ``response_codes`` names KABUL/RED in the dialect."""
    add(node, "STATUS", view.status)
    add(node, "STATUS_DESCRIPTION", view.state.status_description)
    add(node, "GIB_STATUS_CODE", gib_code(view))
    add(node, "GIB_STATUS_DESCRIPTION", view.gib_status_description)
    add(node, "RESPONSE_CODE", response_codes.get(view.response_code or ""))
    add(node, "RESPONSE_DESCRIPTION", view.response_description)
    add(node, "CDATE", view.created_at)
    add(node, "ENVELOPE_IDENTIFIER", view.envelope_uuid)


def gib_code(view: DocumentView) -> int:
    """GİB's last status code of the document, -1 when there is none (§5.2)."""
    return view.gib_status_code if view.gib_status_code is not None else -1
