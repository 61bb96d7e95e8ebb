"""envelope — GİB envelopes (zarf): SBDH build/read, zip + MD5 transport, packing.

SENDERENVELOPE (invoices), POSTBOXENVELOPE (KABUL/RED application responses),
SYSTEMENVELOPE (S_APR system responses; the response document itself is ubl.responses')
and USERENVELOPE (HR-XML user accounts), per GİB's Ek-1 (envelope), Ek-2 (system
response), the Özel Entegrasyon guide §5 and today's schematron. Embedded documents travel
byte for byte and come out as standalone documents, so their XAdES signatures verify after
the round trip (docs/decisions/envelope-bytes.md).

Rule: data, XML and zip only — no network, no database, no clock or random source of its
own (ids and times are injected). Depends on ubl.
"""

from __future__ import annotations

from entegrator.envelope.errors import EnvelopeError
from entegrator.envelope.model import (
    GIB,
    ElementType,
    EnvelopeHeader,
    EnvelopeType,
    Party,
)
from entegrator.envelope.packing import Outgoing, Packed, PackLimits, pack
from entegrator.envelope.payload import DocumentInput, Payload, prepare, standalone
from entegrator.envelope.reader import Envelope, parse_envelope, read_envelope
from entegrator.envelope.sbdh import BuiltEnvelope, build_envelope
from entegrator.envelope.system_response import (
    read_system_response,
    system_envelope,
    system_response_for,
)
from entegrator.envelope.user_account import (
    AccountHolder,
    Mailbox,
    Role,
    UserAccountRequest,
    UserAction,
    build_user_account,
    read_user_account,
    signature_slot,
)
from entegrator.envelope.zipio import (
    ZipEntry,
    ZipLimits,
    ZippedEnvelope,
    check_md5,
    envelope_id_from_file_name,
    md5_hex,
    md5_matches,
    unzip,
    zip_envelope,
)

__all__ = [
    "GIB",
    "AccountHolder",
    "BuiltEnvelope",
    "DocumentInput",
    "ElementType",
    "Envelope",
    "EnvelopeError",
    "EnvelopeHeader",
    "EnvelopeType",
    "Mailbox",
    "Outgoing",
    "PackLimits",
    "Packed",
    "Party",
    "Payload",
    "Role",
    "UserAccountRequest",
    "UserAction",
    "ZipEntry",
    "ZipLimits",
    "ZippedEnvelope",
    "build_envelope",
    "build_user_account",
    "check_md5",
    "envelope_id_from_file_name",
    "md5_hex",
    "md5_matches",
    "pack",
    "parse_envelope",
    "prepare",
    "read_envelope",
    "read_system_response",
    "read_user_account",
    "signature_slot",
    "standalone",
    "system_envelope",
    "system_response_for",
    "unzip",
    "zip_envelope",
]
