"""What SendInvoice and LoadInvoice share in both families: limits, contents, the sender.

A request carries at most ``max_documents`` invoices and ``max_content_bytes`` of (base64-
decoded) CONTENT — İzibiz's 100 documents / 5 MB, error 10010 (integrator-api.md §4.5).
The sender named by ``SENDER/@vkn`` (or an INVOICE HEADER's SENDER) must be the caller's own
taxpayer: nobody sends in another taxpayer's name (the supplier check in core refuses it
again). The invoices themselves go to :func:`entegrator.core.outbound.submit_many` — all
accepted or none. LoadInvoice keeps drafts; loading an invoice whose ETTN is already one of
the caller's drafts replaces that draft (İzibiz semantics, §4.6).
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from entegrator.api.soap import xmlread
from entegrator.api.soap.call import Call
from entegrator.api.soap.content import decode_base64, open_content
from entegrator.api.soap.documents import find
from entegrator.api.soap.errors import BadRequest, TooLarge
from entegrator.api.soap.xmlwrite import element
from entegrator.core.errors import DuplicateDocument
from entegrator.core.outbound import Request, SubmitResult, submit_many, update_draft
from entegrator.core.states import Direction, DocumentState
from entegrator.errors import NotFound, PermissionDenied
from entegrator.ubl import summarize
from entegrator.ubl.identifiers import party

__all__ = ["CHANNEL", "check_sender", "load_drafts", "read_contents"]

#: The ``channel`` of documents that came in through the SOAP faces.
CHANNEL = "soap"


def read_contents(call: Call, invoices: Sequence[etree._Element], *, compressed: bool,
                  allow_empty: bool = False) -> list[bytes | None]:
    """The UBL bytes of each INVOICE/CONTENT, in order (None for an empty one when
    ``allow_empty``); enforces the request limits."""
    settings = call.settings
    if not invoices:
        raise BadRequest("En az bir INVOICE gerekli")
    if len(invoices) > settings.max_documents:
        raise TooLarge(f"Bir istekte en çok {settings.max_documents} belge gönderilebilir; "
                       f"{len(invoices)} belge var")
    total = 0
    found: list[bytes | None] = []
    for index, invoice in enumerate(invoices):
        text = xmlread.text(invoice, "CONTENT")
        if text is None and allow_empty:
            found.append(None)
            continue
        try:
            data = decode_base64(text)
            total += len(data)
            if total > settings.max_content_bytes:
                raise TooLarge(f"İstekteki belgeler toplam {settings.max_content_bytes} baytı "
                               "aşıyor")
            found.append(open_content(data, compressed=compressed))
        except Exception as exc:
            if len(invoices) > 1:
                exc.add_note(f"{index + 1}. INVOICE")
            raise
    return found


def check_sender(call: Call, vkn: str | None) -> None:
    """Refuse a sender VKN/TCKN that is not the caller's taxpayer."""
    if vkn is None:
        return
    if party.compact(vkn) != call.taxpayer.vkn_tckn:
        raise PermissionDenied(
            f"Gönderici {vkn} bu kullanıcının mükellefi değil; başka mükellef adına belge "
            "gönderilemez")


def load_drafts(call: Call, requests: Sequence[Request]) -> list[SubmitResult]:
    """Store ``requests`` as drafts (replacing drafts with the same ETTN); results in order."""
    results: dict[int, SubmitResult] = {}
    fresh: list[int] = []
    for index, request in enumerate(requests):
        existing = _draft_with_ettn(call, request.source)
        if existing is None:
            fresh.append(index)
        else:
            results[index] = update_draft(call.integrator, call.caller, existing,
                                          request.source, series=request.series,
                                          receiver_alias=request.receiver_alias)
    if fresh:
        stored = submit_many(call.integrator, call.caller, [requests[i] for i in fresh],
                             draft=True, channel=CHANNEL)
        results.update(zip(fresh, stored, strict=True))
    return [results[i] for i in range(len(requests))]


def _draft_with_ettn(call: Call, content: object) -> int | None:
    """The id of the caller's draft with the content's ETTN (None: a new draft)."""
    if not isinstance(content, bytes):
        return None
    ettn = summarize(content).ettn
    if ettn is None:
        return None
    try:
        view = find(call, element("INVOICE", UUID=str(ettn)), direction=Direction.OUT)
    except NotFound:
        return None
    if view.state is not DocumentState.DRAFT:
        raise DuplicateDocument(f"Bu ETTN ile taslak olmayan bir fatura var ({view.status})",
                                ettn=view.ettn, number=view.number)
    return view.id
