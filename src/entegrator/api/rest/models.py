"""Request and response bodies of the REST API (pydantic), and their making from core's views.

Money is a decimal string (``"78000.00"``), never a float. States are the stable names of
:class:`~entegrator.core.states.DocumentState`; each view also carries İzibiz/EDM's
``status`` literal and numeric ``status_code`` (integrator-api.md §5.1) and GİB's last code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from entegrator.core.documents import DocumentView, HistoryEntry
from entegrator.core.outbound import SubmitResult
from entegrator.core.responses import ResponseResult
from entegrator.core.states import DocumentState

__all__ = [
    "BatchRequest",
    "BatchResult",
    "DocumentModel",
    "DocumentPage",
    "HistoryItem",
    "InvoiceQuery",
    "MarkRequest",
    "MarkResult",
    "ReadFlag",
    "RespondRequest",
    "ResponseModel",
    "ReturnLineModel",
    "ReturnRequest",
    "SendItem",
    "SendOptions",
    "SubmitModel",
]

#: A small invoice in the JSON model (examples/ holds 46 more).
INVOICE_EXAMPLE: dict[str, Any] = {
    "profile": "TEMELFATURA",
    "invoice_type": "SATIS",
    "issue_date": "2026-01-15",
    "supplier": {"vkn": "4540536920", "name": "Anadolu Bilişim Teknolojileri A.Ş.",
                 "tax_office": "Beşiktaş",
                 "address": {"street": "Barbaros Bulvarı", "city_subdivision": "Beşiktaş",
                             "city": "İstanbul"}},
    "customer": {"vkn": "9205121120", "name": "Karadeniz Gıda Sanayi ve Ticaret Ltd. Şti.",
                 "tax_office": "Çankaya",
                 "address": {"street": "Atatürk Bulvarı", "city_subdivision": "Çankaya",
                             "city": "Ankara"}},
    "lines": [{"name": "Dizüstü bilgisayar", "quantity": "2", "unit_code": "C62",
               "unit_price": "32500", "taxes": [{"percent": "20"}]}],
}

_STATES = tuple(s.value for s in DocumentState)
StateName = Literal[_STATES]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SendOptions(_Strict):
    """How to send: series to number from, the receiver's alias, the ERP's own reference."""

    series: str | None = Field(None, description="Numara verilecek 3 karakterlik seri",
                               pattern=r"^[A-Z0-9]{3}$")
    receiver_alias: str | None = Field(None, description="Alıcının PK etiketi (urn:mail:…)",
                                       max_length=250)
    client_reference: str | None = Field(None, description="ERP'nin kendi kaydı", max_length=200)


class SendItem(SendOptions):
    """One invoice to send: the JSON model (``invoice``) or UBL-TR XML (``xml``, base64)."""

    invoice: dict[str, Any] | None = Field(
        None, description="Fatura JSON modeli (entegrator.ubl; bkz. examples/)",
        examples=[INVOICE_EXAMPLE])
    xml: str | None = Field(None, description="UBL-TR 1.2 fatura XML'i, base64",
                            max_length=10_000_000)

    @model_validator(mode="after")
    def _one_source(self) -> SendItem:
        if (self.invoice is None) == (self.xml is None):
            raise ValueError("'invoice' ya da 'xml' alanlarından yalnız biri verilmeli")
        return self


class BatchRequest(_Strict):
    """Up to 100 invoices sent together: all are accepted or none (İzibiz SendInvoice)."""

    invoices: list[SendItem] = Field(min_length=1, max_length=100)
    draft: bool = False


class InvoiceQuery(BaseModel):
    """Filters and paging of the invoice list (query string)."""

    direction: Literal["IN", "OUT"] | None = None
    state: list[StateName] | None = Field(None, description="Durum(lar); tekrarlanabilir")
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    date_type: Literal["issue", "created"] = Field(
        "issue", description="issue: düzenleme tarihi; created: platforma geliş günü")
    counterpart: str | None = Field(None, max_length=11, description="Karşı taraf VKN/TCKN")
    number: str | None = Field(None, max_length=16)
    ettn: str | None = Field(None, max_length=36)
    profile: str | None = Field(None, max_length=40)
    invoice_type: str | None = Field(None, max_length=40)
    sender_alias: str | None = Field(None, max_length=250)
    receiver_alias: str | None = Field(None, max_length=250)
    unread: bool | None = Field(None, description="true: yalnız okunmamışlar (READ_INCLUDED)")
    limit: int = Field(100, ge=1, le=1000)
    cursor: str | None = Field(None, max_length=200)
    order: Literal["asc", "desc"] = "desc"


class SubmitModel(BaseModel):
    """What sending (or saving a draft) returned."""

    id: int
    ettn: str
    number: str | None = Field(None, description="Numara (seriden verilecekse henüz yok)")
    state: StateName
    status: str = Field(description="İzibiz/EDM STATUS, ör. LOAD - SUCCEED")
    status_code: int
    replayed: bool = Field(False, description="Aynı Idempotency-Key ile daha önce gönderildi")

    @classmethod
    def of(cls, result: SubmitResult) -> SubmitModel:
        """From core's result."""
        state = DocumentState(result.state)
        return cls(id=result.document_id, ettn=result.ettn, number=result.number,
                   state=state.value, status=state.status, status_code=state.status_code,
                   replayed=result.replayed)


class BatchResult(BaseModel):
    """The results of a batch, in request order."""

    items: list[SubmitModel]


class DocumentModel(BaseModel):
    """One invoice's facts and status."""

    id: int
    direction: Literal["IN", "OUT"]
    ettn: str
    number: str | None
    profile: str
    invoice_type: str
    issue_date: dt.date
    currency: str
    payable_amount: Decimal = Field(description="Ödenecek tutar (ondalık metin)")
    counterpart_vkn_tckn: str
    counterpart_name: str | None
    sender_alias: str | None
    receiver_alias: str | None
    state: StateName
    status: str = Field(description="İzibiz/EDM STATUS, ör. SEND - SUCCEED")
    status_code: int = Field(description="İzibiz STATUS_CODE")
    status_label: str = Field(description="Durumun Türkçe açıklaması")
    state_changed_at: dt.datetime
    gib_status_code: int | None
    gib_status_description: str | None
    envelope_uuid: str | None
    response_code: str | None = Field(description="KABUL/RED yanıtı (TICARIFATURA)")
    response_description: str | None
    response_at: dt.datetime | None
    response_deadline: dt.datetime | None
    deemed_accepted: bool = Field(description="8 gün yanıtsız kaldı: TTK 21/2 gereği kabul")
    is_read: bool
    read_at: dt.datetime | None
    client_reference: str | None
    channel: str
    created_at: dt.datetime
    updated_at: dt.datetime
    sent_at: dt.datetime | None
    received_at: dt.datetime | None

    @classmethod
    def of(cls, view: DocumentView) -> DocumentModel:
        """From core's view."""
        state = DocumentState(view.state)
        return cls(
            id=view.id, direction=view.direction.value, ettn=view.ettn, number=view.number,
            profile=view.profile, invoice_type=view.invoice_type, issue_date=view.issue_date,
            currency=view.currency, payable_amount=view.payable_amount,
            counterpart_vkn_tckn=view.counterpart_vkn_tckn,
            counterpart_name=view.counterpart_name, sender_alias=view.sender_alias,
            receiver_alias=view.receiver_alias, state=state.value, status=state.status,
            status_code=state.status_code, status_label=state.label,
            state_changed_at=view.state_changed_at, gib_status_code=view.gib_status_code,
            gib_status_description=view.gib_status_description,
            envelope_uuid=view.envelope_uuid, response_code=view.response_code,
            response_description=view.response_description, response_at=view.response_at,
            response_deadline=view.response_deadline, deemed_accepted=view.deemed_accepted,
            is_read=view.is_read, read_at=view.read_at, client_reference=view.client_reference,
            channel=view.channel, created_at=view.created_at, updated_at=view.updated_at,
            sent_at=view.sent_at, received_at=view.received_at,
        )


class DocumentPage(BaseModel):
    """A page of documents; pass ``next_cursor`` as ``cursor`` for the next one."""

    items: list[DocumentModel]
    next_cursor: str | None


class HistoryItem(BaseModel):
    """One step of a document's status history."""

    at: dt.datetime
    state: StateName
    status: str
    gib_status_code: int | None
    envelope_uuid: str | None
    message: str | None

    @classmethod
    def of(cls, entry: HistoryEntry) -> HistoryItem:
        """From core's entry."""
        return cls(at=entry.at, state=entry.state.value, status=entry.status,
                   gib_status_code=entry.gib_status_code, envelope_uuid=entry.envelope_uuid,
                   message=entry.message)


class RespondRequest(_Strict):
    """KABUL (accept) or RED (reject, with a reason) for a received TICARIFATURA."""

    code: Literal["KABUL", "RED"]
    reason: str | None = Field(None, max_length=1000, description="RED için zorunlu gerekçe")


class ResponseModel(BaseModel):
    """The application response sent for an invoice."""

    document_id: int
    response_uuid: str
    envelope_uuid: str
    state: StateName
    status: str

    @classmethod
    def of(cls, result: ResponseResult) -> ResponseModel:
        """From core's result."""
        state = DocumentState(result.state)
        return cls(document_id=result.document_id, response_uuid=result.response_uuid,
                   envelope_uuid=result.envelope_uuid, state=state.value, status=state.status)


class ReturnLineModel(_Strict):
    """A line of the received invoice to return (its ``cbc:ID``) and how much of it."""

    line_id: str = Field(min_length=1, max_length=50)
    quantity: Decimal | None = Field(None, gt=0, description="Boş: satırın tamamı")


class ReturnRequest(_Strict):
    """Create a draft return invoice (İADE) from a received invoice."""

    lines: list[ReturnLineModel] | None = Field(None, max_length=1000)
    issue_date: dt.date | None = None
    note: str | None = Field(None, max_length=500)


class MarkRequest(_Strict):
    """Set or clear the read flag of several documents (İzibiz MarkInvoice)."""

    ids: list[Annotated[int, Field(ge=1, le=2**63 - 1)]] = Field(min_length=1,
                                                                 max_length=1000)
    read: bool = True


class ReadFlag(_Strict):
    """The read flag of one document."""

    read: bool


class MarkResult(BaseModel):
    """How many documents changed."""

    changed: int
