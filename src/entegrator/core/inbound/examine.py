"""The checks of a received envelope that need no database: read, validate, verify.

A posta kutusu must open the envelope, pass it and every document through GİB's XSD and
schematron, and verify every seal (Test Planı §5.2.1 c, §6.1.1 d; Entegrasyon Kılavuzu
§3.1–3.2: Merkez does not verify signatures, the receiver must). GİB's order decides which
failure is reported when several apply, and the **first** failure fails the whole envelope
(Ek-2 §1): zip and names 11xx → XSD 1160 → schematron 1150 → signatures 1161/1175/1176/1177.
Addressing (1171/1172/1181) and duplicates (1163) need the database and follow in
:mod:`.mailbox` and :mod:`.postbox`.

Signatures are verified on standalone copies (:meth:`Envelope.documents`), never in place
(docs/decisions/envelope-bytes.md): in place, the envelope's namespace declarations leak
into the canonical form. Each signature's signer must be the document's supplier (invoice
``AccountingSupplierParty``, response ``SenderParty``) or an authorised integrator sealing on
its behalf; :func:`entegrator.signing.verify_element` answers 1176 otherwise.

System envelopes are read, not validated: nobody answers a system response (Ek-2 §4.3), so
a broken one is only recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from lxml import etree

from entegrator.envelope import (
    ElementType,
    Envelope,
    EnvelopeError,
    EnvelopeHeader,
    EnvelopeType,
    parse_envelope,
    read_envelope,
    read_system_response,
    unzip,
)
from entegrator.envelope.payload import to_bytes
from entegrator.errors import DocumentError
from entegrator.signing import SignatureRejected, VerificationPolicy, VerifiedSignature
from entegrator.signing import verify_element as _verify
from entegrator.ubl import InvoiceSummary, NotAnInvoice, summarize
from entegrator.ubl.responses import (
    BusinessResponse,
    ResponseError,
    SystemResponse,
    from_element,
)
from entegrator.validation import RuleMode, ValidationEngine, ValidationOptions

__all__ = ["Examination", "Failure", "Received", "examine"]

#: Inbound validation: GİB's XSD and schematron decide; our own rules only warn, so we never
#: reject what GİB accepted (docs/decisions/validation-rules.md).
_INBOUND: Final = ValidationOptions(rules=RuleMode.ADVISE)
#: Codes that still let us read the header (zip/entry names differ from the id).
_NAME_CODES: Final = frozenset({1133, 1142})
#: Profiles whose application responses need no seal (schematron ``ARSignatureCheck``).
_UNSIGNED_RESPONSE_PROFILES: Final = frozenset({"IHRACAT"})


@dataclass(frozen=True, slots=True)
class Failure:
    """Why an envelope is refused: GİB's status code and a Turkish explanation."""

    code: int
    message: str


@dataclass(frozen=True, slots=True)
class Received:
    """One document of an envelope that passed the checks of this module.

    ``data`` is its archival form (standalone copy, UTF-8 with declaration); ``invoice`` is
    filled for SENDERENVELOPE documents, ``response`` for POSTBOXENVELOPE ones.
    """

    index: int
    data: bytes
    invoice: InvoiceSummary | None = None
    response: BusinessResponse | None = None
    signature: VerifiedSignature | None = None


@dataclass(frozen=True, slots=True)
class Examination:
    """What the checks found. ``header`` is None only when the envelope could not be read."""

    header: EnvelopeHeader | None
    failure: Failure | None = None
    documents: tuple[Received, ...] = ()
    system_response: SystemResponse | None = None
    xml: bytes | None = None

    @property
    def envelope_type(self) -> EnvelopeType | None:
        """The envelope's type, when the header could be read."""
        return None if self.header is None else self.header.type


def examine(
    data: bytes,
    file_name: str,
    *,
    policy: VerificationPolicy,
    engine: ValidationEngine,
    now: dt.datetime,
) -> Examination:
    """Run the database-free checks on the zip ``data`` received as ``file_name``."""
    try:
        envelope = read_envelope(data, file_name=file_name)
    except EnvelopeError as exc:
        return Examination(_salvage_header(data, exc), _failure(exc, 1140))
    header = envelope.header
    if header.type is EnvelopeType.SYSTEM:
        return _system(envelope)
    if header.type is EnvelopeType.USER:
        # Only an integrator sends user envelopes, and only to Merkez (OEK §5).
        return Examination(header, Failure(1150, "USERENVELOPE posta kutusuna gönderilemez"))
    report = engine.validate(envelope.xml, _INBOUND)
    if not report.ok:
        first = report.errors[0]
        return Examination(
            header, Failure(report.gib_code or 1150, f"{first.rule}: {first.message}"),
            xml=envelope.xml,
        )
    try:
        documents = tuple(_documents(envelope, policy, now))
    except _Refused as refused:
        return Examination(header, refused.failure, xml=envelope.xml)
    return Examination(header, documents=documents, xml=envelope.xml)


def _system(envelope: Envelope) -> Examination:
    try:
        response = read_system_response(envelope)
    except (EnvelopeError, ResponseError) as exc:
        return Examination(envelope.header, _failure(exc, 1150), xml=envelope.xml)
    return Examination(envelope.header, system_response=response, xml=envelope.xml)


class _Refused(Exception):
    def __init__(self, failure: Failure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def _documents(
    envelope: Envelope, policy: VerificationPolicy, now: dt.datetime
) -> list[Received]:
    kind = envelope.element_type
    received: list[Received] = []
    for index, document in enumerate(envelope.documents()):
        data = to_bytes(document)
        if envelope.header.type is EnvelopeType.SENDER and kind is ElementType.INVOICE:
            summary = _summary(document, index)
            signature = _verified(document, policy, now, index)
            received.append(Received(index, data, invoice=summary, signature=signature))
        elif (envelope.header.type is EnvelopeType.POSTBOX
              and kind is ElementType.APPLICATION_RESPONSE):
            response = _business(document, index)
            signature = None
            if response.signed or response.profile_id not in _UNSIGNED_RESPONSE_PROFILES:
                signature = _verified(document, policy, now, index)
            received.append(Received(index, data, response=response, signature=signature))
        else:
            # e-İrsaliye (DESPATCHADVICE, RECEIPTADVICE) and CREDITNOTE are not served here:
            # this posta kutusu is an e-Fatura one.
            raise _Refused(Failure(1172, f"{kind} belgesi için posta kutusu yetkisi yok"))
    return received


def _summary(document: etree._Element, index: int) -> InvoiceSummary:
    try:
        summary = summarize(document)
    except NotAnInvoice as exc:
        raise _Refused(Failure(1140, f"{index + 1}. belge okunamadı: {exc}")) from exc
    if not summary.ettn or not summary.supplier.id or not summary.customer.id:
        raise _Refused(Failure(1150, f"{index + 1}. faturada ETTN ya da taraf VKN/TCKN yok"))
    return summary


def _business(document: etree._Element, index: int) -> BusinessResponse:
    try:
        response = from_element(document)
    except ResponseError as exc:
        raise _Refused(Failure(1140, f"{index + 1}. uygulama yanıtı okunamadı: {exc}")) from exc
    if not isinstance(response, BusinessResponse):
        raise _Refused(
            Failure(1150, f"{index + 1}. belge bir sistem yanıtı; uygulama yanıtı bekleniyordu")
        )
    return response


def _verified(
    document: etree._Element, policy: VerificationPolicy, now: dt.datetime, index: int
) -> VerifiedSignature:
    try:
        return _verify(document, policy, now=now)
    except SignatureRejected as exc:
        raise _Refused(_failure(exc, 1177, prefix=f"{index + 1}. belgenin imzası: ")) from exc
    except DocumentError as exc:
        raise _Refused(Failure(1177, f"{index + 1}. belgenin imzası: {exc}")) from exc


def _failure(exc: DocumentError, default: int, *, prefix: str = "") -> Failure:
    return Failure(exc.gib_code or default, f"{prefix}{exc}")


def _salvage_header(data: bytes, exc: EnvelopeError) -> EnvelopeHeader | None:
    """The header of an envelope refused only for its names (1133/1142), else None."""
    if exc.gib_code not in _NAME_CODES:
        return None
    try:
        return parse_envelope(unzip(data).data).header
    except EnvelopeError:
        return None
