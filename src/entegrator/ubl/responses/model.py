"""Models of GİB application responses (UBL ``ApplicationResponse``), as frozen dataclasses.

Two kinds share the UBL document type (gib-protocol.md §3, §4.3):

* :class:`BusinessResponse` — the buyer's *uygulama yanıtı* to a TICARIFATURA invoice
  (KABUL / RED; IADE and GTB's GUMRUKONAY are read, not written). Travels in a
  POSTBOXENVELOPE, must be signed (XAdES) unless the profile is IHRACAT.
* :class:`SystemResponse` — a *sistem yanıtı* (``S_APR``) reporting an envelope's status code
  (1000–1300) back to the sender. Travels in a SYSTEMENVELOPE; signing is optional.

The models hold exactly what the XML holds, so that a parsed GİB sample (even an old or
sloppy one) can be represented; :mod:`.build` checks GİB's rules before writing one.
:func:`new_business_response` and :func:`new_system_response` fill the generated parts
(IDs, reference IDs, the line response, labels) from the few facts a caller has.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Final, Literal

from entegrator.ubl import status_codes
from entegrator.ubl.identifiers import ettn, invoice_id, party
from entegrator.ubl.responses.errors import ResponseError

__all__ = [
    "BUILDABLE_CODES",
    "BUSINESS_CODES",
    "BUSINESS_PROFILES",
    "ENVELOPE_TYPES",
    "SYSTEM_PROFILE",
    "SYSTEM_RESPONSE_CODE",
    "TURKEY_TIME",
    "Address",
    "BusinessResponse",
    "DocumentReference",
    "LineResponse",
    "ResponseParty",
    "SystemResponse",
    "new_business_response",
    "new_system_response",
]

#: Response codes of business responses (GİB code list ``ResponseCodeType`` minus S_APR).
BUSINESS_CODES: Final = ("KABUL", "RED", "IADE", "GUMRUKONAY")
#: The codes entegrator writes; IADE by application response is obsolete (a separate IADE
#: invoice is used) and GUMRUKONAY is GTB's.
BUILDABLE_CODES: Final = ("KABUL", "RED")
BUSINESS_PROFILES: Final = ("TICARIFATURA", "IHRACAT")
SYSTEM_RESPONSE_CODE: Final = "S_APR"
SYSTEM_PROFILE: Final = "UBL-TR-PROFILE-1"
ENVELOPE_TYPES: Final = ("SENDERENVELOPE", "POSTBOXENVELOPE")
UBL_VERSION_ID: Final = "2.1"
CUSTOMIZATION_ID: Final = "TR1.2"
#: GİB's dates and times are Turkish local time; Türkiye stays on UTC+3 all year since 2016.
TURKEY_TIME: Final = timezone(timedelta(hours=3), "TRT")

_DEFAULT_REASON: Final = {"KABUL": "Fatura kabul edildi."}
_SYSTEM_DESCRIPTION: Final = "SISTEM YANITI"

EnvelopeType = Literal["SENDERENVELOPE", "POSTBOXENVELOPE"]


@dataclass(frozen=True, slots=True)
class Address:
    """``cac:PostalAddress``; GİB's schema requires district, city and country (may be empty)."""

    city_subdivision: str = ""
    city: str = ""
    country: str = "Türkiye"
    country_code: str | None = "TR"
    street: str | None = None
    building_number: str | None = None
    postal_zone: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseParty:
    """``cac:SenderParty`` / ``cac:ReceiverParty`` (and ``cac:SignatoryParty``).

    ``identifier`` is the VKN (then ``name`` is the title) or TCKN (then ``first_name`` and
    ``family_name``). ``other_ids`` holds further ``(schemeID, value)`` identifications, e.g.
    GTB's ``GTB_REFNO``.
    """

    identifier: str
    name: str | None = None
    first_name: str | None = None
    family_name: str | None = None
    address: Address = field(default_factory=Address)
    tax_office: str | None = None
    other_ids: tuple[tuple[str, str], ...] = ()

    @property
    def scheme(self) -> Literal["VKN", "TCKN"] | None:
        """``VKN`` or ``TCKN`` by the identifier's length; None if it is neither."""
        return (
            party.scheme_of(self.identifier)
            if party.is_valid(self.identifier, checksum=False)
            else None
        )


@dataclass(frozen=True, slots=True)
class DocumentReference:
    """``cac:DocumentReference``: the answered invoice, or the answered envelope."""

    id: str
    issue_date: date | None = None
    type_code: str | None = None  #: cbc:DocumentTypeCode
    type_name: str | None = None  #: cbc:DocumentType

    @property
    def ettn(self) -> str | None:
        """The ID when it is an ETTN/UUID (GİB's e-Fatura package style), else None."""
        return self.id if ettn.is_valid(self.id) else None

    @property
    def invoice_number(self) -> str | None:
        """The ID when it is an invoice number (UBL-TR 1.2.1 sample style), else None."""
        return self.id if invoice_id.is_valid(self.id) else None


@dataclass(frozen=True, slots=True)
class LineResponse:
    """``cac:LineResponse``: ``line_id`` empty means the whole document."""

    line_id: str
    reference_id: str
    code: str | None
    description: str | None
    document_reference: DocumentReference | None = None


@dataclass(frozen=True, slots=True)
class BusinessResponse:
    """A KABUL / RED (/ IADE / GUMRUKONAY) application response to an invoice."""

    id: str
    uuid: str
    issue_date: date
    issue_time: time | None
    code: str  #: DocumentResponse/Response/ResponseCode
    reason: str | None  #: DocumentResponse/Response/Description
    reference_id: str  #: DocumentResponse/Response/ReferenceID
    sender: ResponseParty  #: the buyer (envelope sender, PK alias)
    receiver: ResponseParty  #: the seller (envelope receiver, GB alias)
    invoice: DocumentReference
    lines: tuple[LineResponse, ...] = ()
    notes: tuple[str, ...] = ()
    profile_id: str = "TICARIFATURA"
    signatory: ResponseParty | None = None  #: who signs; None means the sender
    ubl_version_id: str = UBL_VERSION_ID
    customization_id: str = CUSTOMIZATION_ID
    signed: bool = False  #: parsed documents: a ds:Signature is present


@dataclass(frozen=True, slots=True)
class SystemResponse:
    """A system response (``S_APR``) carrying the status code of an answered envelope."""

    id: str
    uuid: str
    issue_date: date
    issue_time: time | None
    sender: ResponseParty
    receiver: ResponseParty
    envelope: DocumentReference  #: ID = envelope UUID, type = SENDER-/POSTBOXENVELOPE
    status: str | None  #: LineResponse/Response/ResponseCode, e.g. "1200"
    status_description: str | None  #: LineResponse/Response/Description (GİB's label)
    reference_id: str  #: DocumentResponse/Response/ReferenceID
    line_reference_id: str  #: LineResponse/Response/ReferenceID
    line_id: str = "0"
    description: str | None = _SYSTEM_DESCRIPTION  #: DocumentResponse/Response/Description
    profile_id: str = SYSTEM_PROFILE
    signatory: ResponseParty | None = None  #: set to sign (optional for system responses)
    ubl_version_id: str = UBL_VERSION_ID
    customization_id: str = CUSTOMIZATION_ID
    signed: bool = False

    @property
    def status_code(self) -> status_codes.StatusCode | None:
        """The GİB status behind :attr:`status`, or None if it is not a defined code."""
        if self.status is None or self.status.strip() not in _STATUS_TEXTS:
            return None
        return status_codes.status(self.status)


_STATUS_TEXTS: Final = frozenset(str(code) for code in status_codes.STATUSES)


def _local(moment: datetime) -> tuple[date, time]:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ResponseError("Yanıt zamanı saat dilimi bilgisi taşımalı (timezone-aware datetime)")
    local = moment.astimezone(TURKEY_TIME)
    return local.date(), local.time().replace(microsecond=0, tzinfo=None)


def new_business_response(
    code: str,
    *,
    sender: ResponseParty,
    receiver: ResponseParty,
    invoice_ettn: str,
    invoice_type: str,
    invoice_issue_date: date,
    issued_at: datetime,
    reason: str | None = None,
    profile_id: str = "TICARIFATURA",
    notes: tuple[str, ...] = (),
    signatory: ResponseParty | None = None,
) -> BusinessResponse:
    """A KABUL or RED response to invoice ``invoice_ettn``, with fresh IDs.

    ``sender`` is the buyer answering, ``receiver`` the seller. ``reason`` goes to both
    ``cbc:Description`` elements (required for RED; KABUL defaults to "Fatura kabul
    edildi."). ``issued_at`` must be timezone-aware; it is written in Turkish time.
    ``signatory`` (default: the sender) is whose seal signs; an integrator sealing on the
    taxpayer's behalf passes itself (Özel Entegrasyon Kılavuzu §2.2).
    """
    day, moment = _local(issued_at)
    text = reason if reason is not None else _DEFAULT_REASON.get(code)
    return BusinessResponse(
        id=ettn.new(),
        uuid=ettn.new(),
        issue_date=day,
        issue_time=moment,
        code=code,
        reason=text,
        reference_id=ettn.new(),
        sender=sender,
        receiver=receiver,
        invoice=DocumentReference(invoice_ettn, invoice_issue_date, invoice_type, invoice_type),
        lines=(LineResponse("", ettn.new(), code, text),),
        notes=notes,
        profile_id=profile_id,
        signatory=signatory or sender,
    )


def new_system_response(
    status: int,
    *,
    envelope_id: str,
    envelope_type: EnvelopeType,
    envelope_issue_date: date,
    sender: ResponseParty,
    receiver: ResponseParty,
    issued_at: datetime,
) -> SystemResponse:
    """A system response giving ``status`` (e.g. 1200) for envelope ``envelope_id``.

    ``sender`` answers (the receiver of the envelope, or GİB), ``receiver`` is the envelope's
    sender (gib-protocol.md §2.3). The description is GİB's label for ``status``.
    """
    if status not in status_codes.STATUSES:
        raise ResponseError(f"GİB durum kodu tanımlı değil: {status!r}")
    day, moment = _local(issued_at)
    label = status_codes.STATUSES[status].label
    return SystemResponse(
        id=ettn.new(),
        uuid=ettn.new(),
        issue_date=day,
        issue_time=moment,
        sender=sender,
        receiver=receiver,
        envelope=DocumentReference(envelope_id, envelope_issue_date, envelope_type, envelope_type),
        status=str(status),
        status_description=label,
        reference_id=ettn.new(),
        line_reference_id=ettn.new(),
    )
