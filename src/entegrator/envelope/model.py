"""The vocabulary of GİB envelopes (zarf): types, parties, header facts, special addresses.

An envelope is an SBDH ``sh:StandardBusinessDocument`` whose header names a sender and a
receiver (alias + VKN/TCKN, optionally the title) and whose ``ef:Package`` carries documents
of one element type (Ek-1 Zarf Şema Yapısı v1.5; gib-protocol.md §2.2–2.3). Which element
types an envelope type may carry follows the schematron's ``EnvelopeTypeElementTypeCheck``.

>>> EnvelopeType("SENDERENVELOPE") is EnvelopeType.SENDER
True
>>> ElementType.INVOICE in ALLOWED_ELEMENT_TYPES[EnvelopeType.SENDER]
True
>>> GIB.alias, GIB.vkn_tckn
('GIB', '3900383669')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from entegrator.ubl import codelists
from entegrator.ubl.ns import APR, HR, INV, qname

__all__ = [
    "ALLOWED_ELEMENT_TYPES",
    "GIB",
    "GTB_EXPORT_ALIAS",
    "GTB_TAX_FREE_ALIAS",
    "GTB_VKN",
    "HEADER_VERSION",
    "ROOT_ELEMENT_TYPES",
    "STANDARD",
    "TYPE_VERSION",
    "USER_ENVELOPE_ALIAS",
    "ElementType",
    "EnvelopeHeader",
    "EnvelopeType",
    "Party",
    "user_envelope_aliases",
]

#: Values the builder writes (Ek-1 §3.1; the schematron requires TypeVersion 1.2 for UBL 2.1).
HEADER_VERSION: Final = "1.0"
TYPE_VERSION: Final = "1.2"
STANDARD: Final = "UBL-TR"

#: Customs and trade ministry (GTB): receiver of IHRACAT and YOLCUBERABERFATURA invoices.
GTB_VKN: Final = "1460415308"
GTB_EXPORT_ALIAS: Final = "urn:mail:ihracatpk@gtb.gov.tr"
GTB_TAX_FREE_ALIAS: Final = "urn:mail:yolcuberaberpk@gtb.gov.tr"

#: Sender alias of USERENVELOPEs that open or close e-Fatura accounts (OEK §5.1).
USER_ENVELOPE_ALIAS: Final = "usergb"


class EnvelopeType(StrEnum):
    """``sh:DocumentIdentification/sh:Type`` (code list ``EnvelopeType``)."""

    SENDER = "SENDERENVELOPE"
    POSTBOX = "POSTBOXENVELOPE"
    SYSTEM = "SYSTEMENVELOPE"
    USER = "USERENVELOPE"


class ElementType(StrEnum):
    """``ef:Package/Elements/ElementType`` (code list ``ElementType``)."""

    INVOICE = "INVOICE"
    APPLICATION_RESPONSE = "APPLICATIONRESPONSE"
    PROCESS_USER_ACCOUNT = "PROCESSUSERACCOUNT"
    CANCEL_USER_ACCOUNT = "CANCELUSERACCOUNT"
    DESPATCH_ADVICE = "DESPATCHADVICE"
    RECEIPT_ADVICE = "RECEIPTADVICE"
    CREDIT_NOTE = "CREDITNOTE"


#: Element types each envelope type may carry (schematron ``EnvelopeTypeElementTypeCheck``).
ALLOWED_ELEMENT_TYPES: Final[Mapping[EnvelopeType, frozenset[ElementType]]] = MappingProxyType(
    {
        EnvelopeType.SENDER: frozenset(
            {ElementType.INVOICE, ElementType.DESPATCH_ADVICE, ElementType.CREDIT_NOTE}
        ),
        EnvelopeType.POSTBOX: frozenset(
            {ElementType.APPLICATION_RESPONSE, ElementType.RECEIPT_ADVICE}
        ),
        EnvelopeType.SYSTEM: frozenset({ElementType.APPLICATION_RESPONSE}),
        EnvelopeType.USER: frozenset(
            {ElementType.PROCESS_USER_ACCOUNT, ElementType.CANCEL_USER_ACCOUNT}
        ),
    }
)

#: Root element (Clark notation) of each document type this part embeds and reads
#: (schematron ``ElementNameCheck``); e-İrsaliye types are carried but not built here.
ROOT_ELEMENT_TYPES: Final[Mapping[str, ElementType]] = MappingProxyType(
    {
        qname(INV, "Invoice"): ElementType.INVOICE,
        qname(APR, "ApplicationResponse"): ElementType.APPLICATION_RESPONSE,
        qname(HR, "ProcessUserAccount"): ElementType.PROCESS_USER_ACCOUNT,
        qname(HR, "CancelUserAccount"): ElementType.CANCEL_USER_ACCOUNT,
    }
)


@dataclass(frozen=True, slots=True)
class Party:
    """One end of an envelope: the alias (``sh:Identifier``), VKN/TCKN and optional title.

    ``vkn_tckn`` is the ``sh:Contact`` whose ``sh:ContactTypeIdentifier`` is ``VKN_TCKN``;
    ``title`` the one marked ``UNVAN``. A parsed envelope that lacks the VKN_TCKN contact
    yields an empty string (GİB's schematron rejects such an envelope).
    """

    alias: str
    vkn_tckn: str
    title: str | None = None


#: GİB itself: sender of Merkez system responses, receiver of USERENVELOPEs (OEK §5.1).
GIB: Final = Party(alias="GIB", vkn_tckn="3900383669", title="Gelir İdaresi Başkanlığı")


@dataclass(frozen=True, slots=True)
class EnvelopeHeader:
    """The facts of an envelope's SBDH header (``sh:StandardBusinessDocumentHeader``)."""

    envelope_id: str
    type: EnvelopeType
    sender: Party
    receiver: Party
    created_at: datetime
    type_version: str = TYPE_VERSION
    header_version: str = HEADER_VERSION
    standard: str = STANDARD


def user_envelope_aliases() -> frozenset[str]:
    """Sender aliases a USERENVELOPE may use (GİB code list ``UserEnvelopeAliases``)."""
    return codelists.values("UserEnvelopeAliases")
