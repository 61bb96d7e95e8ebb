"""Merkez's checks on an incoming envelope, in GİB's order; the first failure wins.

Order (gib-protocol.md §8 item 3; Ek-2 §4.1): zip and names (1110 not a zip, 1130 cannot
open, 1131 not exactly one file, 1132 not XML, 1133 entry name, 1140 not an envelope,
1141/1111 envelope id, 1143 version, 1142 zip name — :func:`entegrator.envelope.read_envelope`)
→ XSD (1160) → schematron (1150) (:mod:`entegrator.validation`, GİB's rules only) → signatures
(1161/1175/1176/1177, :mod:`.signatures`) → addresses in the user list (1171 sender is not a
GB, 1172 receiver is not a PK, 1181 VKN+alias pair unknown). Duplicate invoices (1163) are
decided when the result is written (:func:`entegrator.simulator.records.register_invoices`).

For a POSTBOXENVELOPE the roles swap: the sender must be a PK alias (else 1172) and the
receiver a GB alias (else 1171) — each code names the role that is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from entegrator.envelope import (
    ElementType,
    Envelope,
    EnvelopeError,
    EnvelopeType,
    Party,
    ZipLimits,
    read_envelope,
)
from entegrator.errors import InvalidIdentifier
from entegrator.simulator.config import CheckSwitches
from entegrator.simulator.records import InvoiceKey
from entegrator.simulator.signatures import SignatureCheck, SignatureFailure, check_document
from entegrator.simulator.users import AliasEntry
from entegrator.ubl import ns
from entegrator.ubl.identifiers import party
from entegrator.validation import RuleMode, ValidationOptions, validate

__all__ = [
    "CheckContext",
    "Rejected",
    "Verdict",
    "check_business",
    "read",
    "validate_content",
]

#: Finds the open aliases of a (VKN, alias) pair in the user list.
AliasLookup = Callable[[str, str], list[AliasEntry]]

_GB, _PK = "GB", "PK"
_ROLE_CODES = {_GB: 1171, _PK: 1172}
#: GTB's answers to IHRACAT invoices need no signature (schematron ARSignatureCheck).
_UNSIGNED_RESPONSE_PROFILES = frozenset({"IHRACAT"})


class Rejected(Exception):
    """The envelope fails a check: ``code`` (Ek-2 §4) and a Turkish ``detail``."""

    def __init__(self, code: int, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class CheckContext:
    """What the checks need besides the envelope."""

    switches: CheckSwitches
    signatures: SignatureCheck
    caller: str
    lookup: AliasLookup
    now: datetime
    limits: ZipLimits = field(default_factory=ZipLimits)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of the checks: 1200 with a delivery target, or a failure code."""

    code: int
    detail: str | None = None
    envelope: Envelope | None = None
    target: str | None = None
    invoices: tuple[InvoiceKey, ...] = ()


def read(data: bytes, file_name: str, limits: ZipLimits) -> Envelope:
    """Unzip and read the envelope (1110…1143); raise :class:`Rejected`."""
    try:
        return read_envelope(data, file_name=file_name, limits=limits)
    except EnvelopeError as exc:
        raise Rejected(exc.gib_code or 1140, exc.message) from exc


def validate_content(envelope: Envelope, ctx: CheckContext) -> None:
    """GİB's XSD (1160) and schematron (1150) on the whole envelope, and the VKN switch."""
    switches = ctx.switches
    if switches.strict_checksums:
        for role, end in (("gönderici", envelope.header.sender),
                          ("alıcı", envelope.header.receiver)):
            try:
                party.validate(end.vkn_tckn, checksum=True)
            except InvalidIdentifier as exc:
                raise Rejected(1150, f"Zarf {role} VKN/TCKN: {exc.message}") from exc
    if not (switches.schema or switches.schematron):
        return
    report = validate(envelope.xml, ValidationOptions(
        xsd=switches.schema, schematron=switches.schematron, rules=RuleMode.OFF))
    if not report.ok:
        first = report.errors[0]
        where = f" (satır {first.line})" if first.line else ""
        raise Rejected(report.gib_code or 1150, f"{first.rule}: {first.message}{where}")


def _check_signatures(envelope: Envelope, ctx: CheckContext) -> None:
    if not ctx.signatures.active:
        return
    for index, document in enumerate(envelope.documents()):
        profile = (document.findtext(ns.cbc("ProfileID")) or "").strip()
        if envelope.element_type is ElementType.APPLICATION_RESPONSE and \
                profile in _UNSIGNED_RESPONSE_PROFILES:
            continue
        try:
            check_document(document, ctx.signatures, now=ctx.now, label=f"{index + 1}. belge")
        except SignatureFailure as exc:
            raise Rejected(exc.code, exc.detail) from exc


def _in_role(found: list[AliasEntry], end: Party, role: str) -> list[AliasEntry]:
    in_role = [entry for entry in found if entry.role == role]
    if found and not in_role:
        raise Rejected(_ROLE_CODES[role], f"{end.alias} bir {role} etiketi değil ({end.vkn_tckn})")
    return in_role


def _route(envelope: Envelope, ctx: CheckContext) -> str:
    """The integrator hosting the receiver; raise 1171, 1172, then 1181 (GİB's order)."""
    header = envelope.header
    sender_role, receiver_role = (_GB, _PK) if header.type is EnvelopeType.SENDER else (_PK, _GB)
    senders = _in_role(ctx.lookup(header.sender.vkn_tckn, header.sender.alias),
                       header.sender, sender_role)
    if senders and ctx.switches.require_sender_owner and senders[0].owner != ctx.caller:
        raise Rejected(_ROLE_CODES[sender_role], f"{header.sender.alias} etiketi bu entegratörde "
                                                 f"({ctx.caller}) tanımlı değil")
    receivers = _in_role(ctx.lookup(header.receiver.vkn_tckn, header.receiver.alias),
                         header.receiver, receiver_role)
    for end, found in ((header.sender, senders), (header.receiver, receivers)):
        if not found:
            raise Rejected(1181, f"{end.vkn_tckn} / {end.alias} kullanıcı listesinde yok")
    return receivers[0].owner


def _invoice_keys(envelope: Envelope) -> tuple[InvoiceKey, ...]:
    if envelope.element_type is not ElementType.INVOICE:
        return ()
    keys = []
    for element in envelope.elements:
        uuid = (element.findtext(ns.cbc("UUID")) or "").strip()
        number = (element.findtext(ns.cbc("ID")) or "").strip()
        keys.append(InvoiceKey(uuid[:36], envelope.header.sender.vkn_tckn, number[:16]))
    return tuple(keys)


def check_business(envelope: Envelope, ctx: CheckContext) -> Verdict:
    """Checks after reading, for a SENDER- or POSTBOXENVELOPE; 1200 carries the target."""
    try:
        validate_content(envelope, ctx)
        _check_signatures(envelope, ctx)
        target = _route(envelope, ctx)
    except Rejected as exc:
        return Verdict(exc.code, exc.detail, envelope)
    return Verdict(1200, None, envelope, target, _invoice_keys(envelope))
