"""SendInvoiceResponseWithServerSign, the same in both families (integrator-api.md §4.12).

``STATUS`` KABUL or RED (``ACCEPT``/``REJECT`` are taken too) for each ``INVOICE`` named by
ID or UUID — received TICARIFATURA invoices of the caller only; one ``DESCRIPTION`` per
invoice, in order. The platform builds, seals and sends the ApplicationResponse
(:func:`entegrator.core.responses.respond`). A reject without a reason gets a standard one,
as İzibiz does. Invoices are answered in order and the first failure stops the call (each
answer is its own transaction: earlier ones stay sent). Answering twice is 10011 (EFaturaOIB:
2005, which its clients read as "already answered").
"""

from __future__ import annotations

from typing import Final

from lxml import etree

from entegrator.api.soap import xmlread
from entegrator.api.soap.call import Call
from entegrator.api.soap.documents import find
from entegrator.api.soap.errors import AlreadyDone, BadRequest
from entegrator.core.errors import InvalidState
from entegrator.core.responses import respond
from entegrator.core.states import Direction, DocumentState

__all__ = ["DEFAULT_REJECT_REASON", "answer_invoices"]

DEFAULT_REJECT_REASON: Final = "Fatura alıcı tarafından reddedildi."
_CODES: Final = {"KABUL": "KABUL", "ACCEPT": "KABUL", "ACCEPTED": "KABUL",
                 "RED": "RED", "REJECT": "RED", "REJECTED": "RED"}
_ANSWERED: Final = frozenset({
    DocumentState.ACCEPT_PROCESSING, DocumentState.ACCEPT_WAIT_SYSTEM_RESPONSE,
    DocumentState.ACCEPT_SUCCEED, DocumentState.REJECT_PROCESSING,
    DocumentState.REJECT_WAIT_SYSTEM_RESPONSE, DocumentState.REJECT_SUCCEED})


def answer_invoices(call: Call) -> list[etree._Element]:
    """Answer each named invoice; ``REQUEST_RETURN``."""
    status = (xmlread.text(call.request, "STATUS") or "").upper()
    code = _CODES.get(status)
    if code is None:
        raise BadRequest(f"STATUS KABUL ya da RED olmalı: {status!r}")
    targets = xmlread.children(call.request, "INVOICE")
    if not targets:
        raise BadRequest("En az bir INVOICE gerekli")
    reasons = [(d.text or "").strip() or None
               for d in xmlread.children(call.request, "DESCRIPTION")]
    for index, target in enumerate(targets):
        reason = reasons[index] if index < len(reasons) else None
        if code == "RED" and reason is None:
            reason = DEFAULT_REJECT_REASON
        view = find(call, target, direction=Direction.IN)
        try:
            respond(call.integrator, call.caller, view.id, code, reason)
        except InvalidState as exc:
            if DocumentState(exc.state) in _ANSWERED:
                raise AlreadyDone(
                    f"Bu faturaya daha önce yanıt verildi: UUID:{view.ettn}, "
                    f"ID:{view.number or ''}") from exc
            raise
    return [call.request_return()]
