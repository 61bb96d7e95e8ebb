"""Checks the builders make before writing an envelope GİB would reject.

These are the envelope-level rules of GİB's schematron (gib-protocol.md §2.2–2.4) that the
builder can decide from the header and the documents' own party fields; full XSD and
schematron validation stays with :mod:`entegrator.validation`. Failures raise
:class:`EnvelopeError` with the status code Merkez would answer (1111, 1150).

* ids and parties: UUID envelope id; VKN/TCKN of 10/11 digits; URN aliases, except GİB's
  reserved names where GİB prescribes them (``GIB``, ``usergb`` …);
* USERENVELOPE: sender alias from ``UserEnvelopeAliases``, receiver GİB (alias ``GIB``,
  VKN 3900383669), ``oa:LogicalID`` = sender VKN (``OASenderCheck``);
* counts: at most 1000 elements, 100 invoices, one IHRACAT and one YOLCUBERABERFATURA
  invoice per envelope (``ElementCountCheck``, ``InvoiceCountCheck``,
  ``ExportInvoiceCountCheck``);
* ``Id`` attributes (the signatures' ``xs:ID``s) unique across the envelope, which is one XML
  document for GİB's XSD (1160);
* parties: invoice supplier/customer and application-response sender/receiver VKN/TCKN
  equal the envelope's sender/receiver (``DocumentSenderCheck``, ``ARSenderCheck`` …).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from lxml import etree

from entegrator.envelope.errors import EnvelopeError
from entegrator.envelope.model import (
    ALLOWED_ELEMENT_TYPES,
    GIB,
    ElementType,
    EnvelopeHeader,
    EnvelopeType,
    Party,
    user_envelope_aliases,
)
from entegrator.envelope.payload import Payload
from entegrator.ubl.identifiers import alias, ettn, party
from entegrator.ubl.ns import NS, OA, qname

__all__ = [
    "MAX_ELEMENTS",
    "MAX_INVOICES",
    "SOLO_PROFILES",
    "check_documents",
    "check_header",
]

MAX_ELEMENTS: Final = 1000
MAX_INVOICES: Final = 100
#: Profiles of which an envelope may carry at most one invoice (``ExportInvoiceCountCheck``).
SOLO_PROFILES: Final = frozenset({"IHRACAT", "YOLCUBERABERFATURA"})
#: Receiver VKN for which GİB skips the customer check (``DocumentReceiverCheck``).
_CUSTOMER_CHECK_EXEMPT: Final = "3900892152"

_SCHEME_IDS: Final = "cbc:ID[@schemeID='VKN' or @schemeID='TCKN']"
_SUPPLIER: Final = etree.XPath(
    f"cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification/{_SCHEME_IDS}", namespaces=NS
)
_CUSTOMER: Final = etree.XPath(
    f"cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/{_SCHEME_IDS}", namespaces=NS
)
_AR_SENDER: Final = etree.XPath(
    f"cac:SenderParty/cac:PartyIdentification/{_SCHEME_IDS}", namespaces=NS
)
_AR_RECEIVER: Final = etree.XPath(
    f"cac:ReceiverParty/cac:PartyIdentification/{_SCHEME_IDS}", namespaces=NS
)
_LOGICAL_ID: Final = (
    f"{qname(OA, 'ApplicationArea')}/{qname(OA, 'Sender')}/{qname(OA, 'LogicalID')}"
)


def check_header(header: EnvelopeHeader) -> None:
    """Check the envelope id and both parties for the envelope's type."""
    if not ettn.is_valid(header.envelope_id):
        raise EnvelopeError(f"Zarf ID UUID biçiminde olmalı: {header.envelope_id!r}", gib_code=1111)
    for role, end in (("gönderici", header.sender), ("alıcı", header.receiver)):
        party.validate(end.vkn_tckn, checksum=False)
        if end.title is not None and not end.title.strip():
            raise EnvelopeError(f"Zarf {role} unvanı boş olamaz (verilmeyebilir)")
    if header.type is EnvelopeType.USER:
        if header.sender.alias not in user_envelope_aliases():
            raise EnvelopeError(
                f"USERENVELOPE gönderici etiketi {header.sender.alias!r} GİB'in "
                "UserEnvelopeAliases listesinde değil",
                gib_code=1150,
            )
        if (header.receiver.alias, header.receiver.vkn_tckn) != (GIB.alias, GIB.vkn_tckn):
            raise EnvelopeError(
                "USERENVELOPE yalnız GİB'e (etiket GIB, VKN 3900383669) gönderilebilir",
                gib_code=1150,
            )
        return
    special = {GIB.alias} | user_envelope_aliases() if header.type is EnvelopeType.SYSTEM else set()
    for end in (header.sender, header.receiver):
        if end.alias not in special:
            alias.validate(end.alias)


def check_documents(header: EnvelopeHeader, payloads: Sequence[Payload]) -> ElementType:
    """Check the documents against the header; return their common element type."""
    if not payloads:
        raise EnvelopeError("Zarf en az bir belge taşımalı")
    types = {p.element_type for p in payloads}
    if len(types) != 1:
        names = ", ".join(sorted(types))
        raise EnvelopeError(f"Bir zarfa farklı türde belgeler konamaz: {names}", gib_code=1150)
    element_type = types.pop()
    if element_type not in ALLOWED_ELEMENT_TYPES[header.type]:
        raise EnvelopeError(f"{header.type} zarfı {element_type} belgesi taşıyamaz", gib_code=1150)
    _check_counts(element_type, payloads)
    _check_xml_ids(payloads)
    for payload in payloads:
        _check_parties(header, payload)
    return element_type


def _check_xml_ids(payloads: Sequence[Payload]) -> None:
    seen: set[str] = set()
    for payload in payloads:
        repeated = seen & payload.xml_ids
        if repeated:
            raise EnvelopeError(
                "Zarftaki belgelerde aynı Id değeri tekrar ediyor (zarf tek bir XML belgesidir, "
                f"xs:ID değerleri tekil olmalı): {', '.join(sorted(repeated)[:5])}",
                gib_code=1160,
            )
        seen |= payload.xml_ids


def _check_counts(element_type: ElementType, payloads: Sequence[Payload]) -> None:
    if len(payloads) > MAX_ELEMENTS:
        raise EnvelopeError(f"Bir zarf en çok {MAX_ELEMENTS} belge taşıyabilir", gib_code=1150)
    if element_type is not ElementType.INVOICE:
        return
    if len(payloads) > MAX_INVOICES:
        raise EnvelopeError(
            f"Bir zarf en çok {MAX_INVOICES} fatura taşıyabilir, {len(payloads)} verildi",
            gib_code=1150,
        )
    for profile in SOLO_PROFILES:
        if sum(1 for p in payloads if p.profile_id == profile) > 1:
            raise EnvelopeError(
                f"Bir zarfta en çok bir {profile} faturası bulunabilir", gib_code=1150
            )


def _check_parties(header: EnvelopeHeader, payload: Payload) -> None:
    root = payload.root
    if payload.element_type is ElementType.INVOICE:
        _same("faturayı düzenleyen", _SUPPLIER(root), header.sender)
        if header.receiver.vkn_tckn != _CUSTOMER_CHECK_EXEMPT:
            _same("faturayı alan", _CUSTOMER(root), header.receiver)
    elif payload.element_type is ElementType.APPLICATION_RESPONSE:
        _same("yanıtı düzenleyen", _AR_SENDER(root), header.sender)
        _same("yanıtı alan", _AR_RECEIVER(root), header.receiver)
    elif payload.element_type in (
        ElementType.PROCESS_USER_ACCOUNT,
        ElementType.CANCEL_USER_ACCOUNT,
    ):
        logical_id = (root.findtext(_LOGICAL_ID) or "").strip()
        if logical_id != header.sender.vkn_tckn:
            raise EnvelopeError(
                f"Kullanıcı belgesindeki entegratör VKN'si ({logical_id!r}) zarfı gönderenle "
                f"({header.sender.vkn_tckn}) aynı olmalı",
                gib_code=1150,
            )


def _same(what: str, found: list[etree._Element], end: Party) -> None:
    if not found:
        return
    value = (found[0].text or "").strip()
    if value != end.vkn_tckn:
        raise EnvelopeError(
            f"Zarftaki taraf ({end.vkn_tckn}) ile {what} ({value!r}) aynı olmalı", gib_code=1150
        )
