"""References to other documents: order, despatch notes, returned invoices, attachments.

Return invoices (IADE, TEVKIFATIADE) must reference every returned invoice by its 16-character
number with ``cbc:DocumentTypeCode`` IADE (schematron ``IADEInvioceCheck``,
gib-protocol.md §4.5).
"""

from __future__ import annotations

from datetime import date

from pydantic import Field, ValidationInfo, model_validator

from entegrator.ubl.model._base import UblModel
from entegrator.ubl.model._types import Base64Content, MimeCode, OptText, Text, is_lenient

__all__ = [
    "AdditionalDocument",
    "BillingReference",
    "DocumentReference",
    "OrderReference",
    "Period",
]


class DocumentReference(UblModel):
    """A referenced document by number and date (despatch note, order …)."""

    id: Text = Field(description="Belge numarası")
    issue_date: date = Field(description="Belge tarihi")


class OrderReference(DocumentReference):
    """The buyer's order (``cac:OrderReference``)."""


class BillingReference(UblModel):
    """An invoice this one refers to; for returns, the returned invoice."""

    number: Text = Field(description="Başvurulan (iade edilen) faturanın numarası")
    issue_date: date = Field(description="Başvurulan faturanın tarihi")
    type_code: Text = Field("IADE", description="Belge türü kodu (iade için IADE)")


class Period(UblModel):
    """The period an invoice covers (``cac:InvoicePeriod``)."""

    start_date: date | None = Field(None, description="Başlangıç tarihi")
    end_date: date | None = Field(None, description="Bitiş tarihi")
    description: OptText = Field(None, description="Açıklama")


class AdditionalDocument(UblModel):
    """An additional document reference, optionally with an embedded or linked attachment."""

    id: Text = Field(description="Belge kimliği")
    issue_date: date = Field(description="Belge tarihi")
    document_type_code: OptText = Field(None, description="Belge türü kodu")
    document_type: OptText = Field(None, description="Belge türü")
    description: OptText = Field(None, description="Açıklama")
    filename: OptText = Field(None, description="Ekin dosya adı")
    mime_code: MimeCode | None = Field(None, description="Ekin MIME türü (içerik varsa zorunlu)")
    content: Base64Content | None = Field(None, description="Gömülü ek (base64)")
    uri: OptText = Field(None, description="Dış ek adresi")

    @model_validator(mode="after")
    def _attachment(self, info: ValidationInfo) -> AdditionalDocument:
        if is_lenient(info):
            return self
        if self.content is not None and self.mime_code is None:
            raise ValueError("gömülü ekin MIME türü (mime_code) zorunlu")
        if self.content is not None and self.uri is not None:
            raise ValueError("ek ya gömülü (content) ya da bağlantı (uri) olabilir")
        if self.content is None and (self.filename is not None or self.mime_code is not None):
            raise ValueError("dosya adı ve MIME türü yalnız gömülü ek (content) ile verilir")
        return self
