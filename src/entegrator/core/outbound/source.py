"""Turning what a caller submits — an invoice model or UBL-TR XML — into a document to queue.

Pure CPU work, no database: the result (:class:`Submission`) is plain data, so a face may
compute it in a process pool and hand it to :func:`entegrator.core.outbound.submit.accept`.

* A **model** (:class:`entegrator.ubl.Invoice`) gets an ETTN when it has none and is built
  with the builder (with the draft placeholder number when it has no number).
* **XML** is parsed safely (:func:`entegrator.ubl.xml.parse`). An unsigned document without
  an ETTN (missing, the nil UUID of a draft, or malformed) gets one. A number that is the
  draft placeholder (sequence 0), or any number when the caller names a series, is left for
  the series counter. A document that is already signed (an ERP that signs itself, İzibiz
  ``SendInvoice`` with signed content) is sent as it is: it must carry its number and ETTN,
  since changing either would break the signature — it is never re-signed.

The bytes kept (:attr:`Submission.xml`) are the ones validated and, after numbering, signed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Final

from lxml import etree

from entegrator.core.errors import ProfileRuleViolation
from entegrator.core.outbound.stamp import stamp_ettn
from entegrator.errors import DocumentError, InvalidIdentifier
from entegrator.ubl import Invoice, build_invoice_element, ns, summarize
from entegrator.ubl.draft import DRAFT_ETTN, is_draft_number
from entegrator.ubl.extension import has_signature
from entegrator.ubl.identifiers import ettn as ettn_id
from entegrator.ubl.identifiers import invoice_id
from entegrator.ubl.xml import parse, to_bytes

__all__ = ["Submission", "from_model", "from_xml", "materialize"]

_CUSTOMER_ALIAS: Final = "/".join(
    (ns.cac("AccountingCustomerParty"), ns.cac("Party"), ns.cbc("EndpointID"))
)
_INV_ROOT: Final = ns.qname(ns.INV, "Invoice")


@dataclass(frozen=True, slots=True)
class Submission:
    """One invoice ready to be stored: its bytes and the facts the ``documents`` row needs.

    ``number`` is the caller's own number, None when the series counter assigns it.
    ``content_kind``/``content`` is what a draft keeps editable (the model's JSON or the XML).
    """

    xml: bytes
    ettn: str
    number: str | None
    signed: bool
    profile: str
    invoice_type: str
    issue_date: date
    currency: str
    payable_amount: Decimal
    tax_exclusive_amount: Decimal | None
    tax_inclusive_amount: Decimal | None
    supplier_vkn_tckn: str
    customer_vkn_tckn: str
    customer_name: str | None
    customer_alias: str | None
    content_kind: str
    content: bytes
    source_sha256: str


def materialize(
    source: Invoice | bytes, *, numbered_by_series: bool, ettn: str | None = None
) -> Submission:
    """Build (model) or read (XML) ``source``; see the module docstring.

    ``numbered_by_series``: the caller named a series, so the number comes from its counter.
    ``ettn``: the ETTN to give a document that has none (default: a new one).
    Raises :class:`~entegrator.ubl.InvoiceInvalid` for a model breaking GİB's rules,
    :class:`~entegrator.errors.DocumentError` for XML that is not a usable invoice.
    """
    if isinstance(source, Invoice):
        return from_model(source, numbered_by_series=numbered_by_series, ettn=ettn)
    if isinstance(source, bytes | bytearray | memoryview):
        return from_xml(bytes(source), numbered_by_series=numbered_by_series, ettn=ettn)
    raise DocumentError(
        f"Fatura bir model (Invoice) ya da UBL-TR XML baytları olmalı: {type(source).__name__}"
    )


def from_model(
    model: Invoice, *, numbered_by_series: bool, ettn: str | None = None
) -> Submission:
    """A model: assign the ETTN when absent and build the unsigned document."""
    if numbered_by_series and model.number is not None:
        raise ProfileRuleViolation(
            "Fatura numarası verilmişken seri de verilemez: numarayı ya siz verin ya seriden "
            "alınsın"
        )
    given = _json(model)
    if model.ettn is None:
        model = model.model_copy(update={"ettn": ettn or ettn_id.new()})
    root = build_invoice_element(model, draft=model.number is None)
    return _submission(root, to_bytes(root), number=model.number, signed=False,
                       content_kind="model", content=_json(model), source=given)


def _json(model: Invoice) -> bytes:
    return model.model_dump_json(exclude_none=True).encode("utf-8")


def from_xml(data: bytes, *, numbered_by_series: bool, ettn: str | None = None) -> Submission:
    """UBL-TR XML: parse it safely, keep or assign its number and ETTN (module docstring)."""
    root = parse(data)
    if root.tag != _INV_ROOT:
        raise DocumentError(f"Belge bir UBL-TR faturası değil (kök eleman: {root.tag})")
    signed = has_signature(root)
    given_number = (root.findtext(ns.cbc("ID")) or "").strip()
    given_ettn = (root.findtext(ns.cbc("UUID")) or "").strip()
    number: str | None = None
    if not (is_draft_number(given_number) or numbered_by_series):
        number = invoice_id.validate(given_number)
    xml = data
    if signed:
        if number is None:
            raise ProfileRuleViolation(
                "İmzalı faturanın numarası değiştirilemez: imzalı belge kendi numarasıyla "
                "gönderilmeli (seri verilmemeli, taslak numarası olmamalı)"
            )
        if not ettn_id.is_valid(given_ettn) or given_ettn == DRAFT_ETTN:
            raise InvalidIdentifier(f"İmzalı faturanın ETTN'si geçersiz: {given_ettn!r}")
    elif not ettn_id.is_valid(given_ettn) or given_ettn == DRAFT_ETTN:
        if root.find(ns.cbc("UUID")) is None:
            raise DocumentError("Faturada cbc:UUID (ETTN) elemanı yok")
        stamp_ettn(root, ettn or ettn_id.new())
        xml = to_bytes(root)
    return _submission(root, xml, number=number, signed=signed, content_kind="xml",
                       content=xml, source=data)


def _submission(
    root: etree._Element,
    xml: bytes,
    *,
    number: str | None,
    signed: bool,
    content_kind: str,
    content: bytes,
    source: bytes,
) -> Submission:
    summary = summarize(root)
    missing = [
        name
        for name, value in (
            ("ProfileID", summary.profile),
            ("InvoiceTypeCode", summary.invoice_type),
            ("IssueDate", summary.issue_date),
            ("DocumentCurrencyCode", summary.currency),
            ("PayableAmount", summary.payable_amount),
            ("satıcı VKN/TCKN", summary.supplier.id),
            ("alıcı VKN/TCKN", summary.customer.id),
            ("ETTN", summary.ettn),
        )
        if value is None
    ]
    if missing:
        raise DocumentError(
            f"Faturada zorunlu bilgiler eksik ya da okunamadı: {', '.join(missing)}"
        )
    alias = (root.findtext(_CUSTOMER_ALIAS) or "").strip() or None
    return Submission(
        xml=xml,
        ettn=str(summary.ettn).lower(),
        number=number,
        signed=signed,
        profile=str(summary.profile),
        invoice_type=str(summary.invoice_type),
        issue_date=summary.issue_date,  # type: ignore[arg-type]
        currency=str(summary.currency),
        payable_amount=summary.payable_amount,  # type: ignore[arg-type]
        tax_exclusive_amount=summary.tax_exclusive_amount,
        tax_inclusive_amount=summary.tax_inclusive_amount,
        supplier_vkn_tckn=str(summary.supplier.id),
        customer_vkn_tckn=str(summary.customer.id),
        customer_name=summary.customer.name,
        customer_alias=alias,
        content_kind=content_kind,
        content=content,
        source_sha256=hashlib.sha256(source).hexdigest(),
    )
