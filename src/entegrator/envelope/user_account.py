"""HR-XML user-account documents: open (ProcessUserAccount) and close (CancelUserAccount).

An özel entegratör registers a customer's e-Fatura aliases with GİB through a USERENVELOPE
(OEK Özel Entegrasyon Kılavuzu v1.13 §5; schema ``HRXML/UserAccount.xsd``, namespaces
``http://www.hr-xml.org/3`` and OAGIS 9; schematron ``ApplicationAreaCheck``,
``OASenderCheck``, ``UserAccountCheck``; gib-protocol.md §2.4)::

    ProcessUserAccount | CancelUserAccount  releaseID
      oa:ApplicationArea
        oa:Sender/oa:LogicalID   integrator VKN (= envelope sender VKN)
        oa:Receiver              empty
        oa:CreationDateTime
        oa:Signature             the slot the signer fills (below)
      DataArea
        oa:Process | oa:Cancel   empty
        UserAccount × n          one per alias, all for the same UserID:
          UserID, PersonName (FormattedName; oa:GivenName + FamilyName for a TCKN),
          UserRole (RoleCode GB|PK, RoleName), AuthorizedWorkScope (WorkScopeCode = alias,
          WorkScopeName), AccountConfiguration/UserOptionCode (1 KAMU, 2 ÖZEL,
          3 VUK-507 KAMU, 4 VUK-507 ÖZEL)

Signature slot contract (for :mod:`entegrator.signing`): :func:`build_user_account` leaves
``oa:ApplicationArea/oa:Signature`` empty. The signer puts exactly one ``ds:Signature`` in it:
the integrator's XAdES-BES, enveloped (one ``ds:Reference URI=""`` whose only transform is
enveloped-signature, so the whole document minus that signature is signed), with
``ds:KeyInfo/ds:X509Data`` (``X509Certificate`` + non-empty ``X509SubjectName``),
``xades:SigningTime`` and ``xades:SigningCertificate``, and an ``Id`` on
``ds:SignatureValue``. The customer's mali mühür then counter-signs ("seri imza") in
``ds:Object/xades:QualifyingProperties/xades:UnsignedProperties/xades:UnsignedSignatureProperties/
xades:CounterSignature/ds:Signature``, referencing that ``SignatureValue`` by ``#Id`` — it
lives inside the first signature, so the enveloped transform keeps it out of the document
digest. The counter-signature is not required for VUK 507 customers (option codes 3, 4:
:attr:`UserAccountRequest.needs_counter_signature`). Nothing outside ``oa:Signature`` may
change after signing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final

from lxml import etree

from entegrator.envelope.errors import EnvelopeError
from entegrator.envelope.sbdh import format_datetime
from entegrator.ubl.identifiers import alias, party, tckn
from entegrator.ubl.ns import DS, HR, OA, XADES, qname

__all__ = [
    "E_FATURA_OPTIONS",
    "RELEASE_ID",
    "ROLE_NAMES",
    "AccountHolder",
    "Mailbox",
    "Role",
    "UserAccountRequest",
    "UserAction",
    "build_user_account",
    "read_user_account",
    "signature_slot",
]

RELEASE_ID: Final = "3.0"
#: UserOptionCode values of the e-Fatura service (OEK §5.2 table).
E_FATURA_OPTIONS: Final = frozenset({1, 2, 3, 4})
_VUK_507_OPTIONS: Final = frozenset({3, 4})


class UserAction(StrEnum):
    """Open or close accounts; the value is the envelope's ``ElementType``."""

    PROCESS = "PROCESSUSERACCOUNT"
    CANCEL = "CANCELUSERACCOUNT"


class Role(StrEnum):
    """Alias role: sender unit (Gönderici Birim) or postbox (Posta Kutusu)."""

    GB = "GB"
    PK = "PK"


ROLE_NAMES: Final = {Role.GB: "Gönderici Birim", Role.PK: "Posta Kutusu"}
_ROOTS: Final = {
    UserAction.PROCESS: (qname(HR, "ProcessUserAccount"), qname(OA, "Process")),
    UserAction.CANCEL: (qname(HR, "CancelUserAccount"), qname(OA, "Cancel")),
}


@dataclass(frozen=True, slots=True)
class AccountHolder:
    """The customer: a company (VKN + title) or a person (TCKN + given and family name)."""

    vkn_tckn: str
    title: str | None = None
    given_name: str | None = None
    middle_name: str | None = None
    family_name: str | None = None

    @property
    def is_person(self) -> bool:
        """True for an 11-digit TCKN (a natural person), False for a VKN."""
        return len(party.compact(self.vkn_tckn)) == tckn.LENGTH

    @property
    def formatted_name(self) -> str:
        """FormattedName: the title of a company, "given [middle] family" of a person."""
        if not self.is_person:
            return self.title or ""
        parts = (self.given_name, self.middle_name, self.family_name)
        return " ".join(p.strip() for p in parts if p and p.strip())


@dataclass(frozen=True, slots=True)
class Mailbox:
    """One alias to open or close, with its role; ``description`` is the WorkScopeName."""

    role: Role
    alias: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class UserAccountRequest:
    """One ProcessUserAccount / CancelUserAccount document: one holder, its mailboxes."""

    action: UserAction
    integrator_vkn: str
    holder: AccountHolder
    option: int
    mailboxes: tuple[Mailbox, ...]
    created_at: datetime

    @property
    def needs_counter_signature(self) -> bool:
        """False for VUK 507 customers (option 3/4), whose seal GİB does not ask for."""
        return self.option not in _VUK_507_OPTIONS


def build_user_account(request: UserAccountRequest) -> etree._Element:
    """Build the unsigned HR-XML document for ``request`` (see the module docstring).

    Raises :class:`EnvelopeError` when GİB's rules are broken, or
    :class:`~entegrator.errors.InvalidIdentifier` for a malformed VKN/TCKN or alias.
    """
    _check(request)
    root_tag, verb = _ROOTS[request.action]
    root = etree.Element(root_tag, nsmap={None: HR, "oa": OA, "ds": DS, "xades": XADES})
    root.set("releaseID", RELEASE_ID)
    area = _sub(root, qname(OA, "ApplicationArea"))
    _sub(_sub(area, qname(OA, "Sender")), qname(OA, "LogicalID"), request.integrator_vkn)
    _sub(area, qname(OA, "Receiver"))
    _sub(area, qname(OA, "CreationDateTime"), format_datetime(request.created_at))
    _sub(area, qname(OA, "Signature"))
    data = _sub(root, qname(HR, "DataArea"))
    _sub(data, verb)
    for mailbox in request.mailboxes or (None,):
        _account(data, request, mailbox)
    return root


def signature_slot(document: etree._Element) -> etree._Element:
    """The ``oa:Signature`` element the signer fills (raises if the document has none)."""
    slot = document.find(f"{qname(OA, 'ApplicationArea')}/{qname(OA, 'Signature')}")
    if slot is None:
        raise EnvelopeError("Kullanıcı belgesinde oa:Signature alanı yok")
    return slot


def read_user_account(document: etree._Element) -> UserAccountRequest:
    """Read a ProcessUserAccount / CancelUserAccount document (GİB's samples included)."""
    actions = {tag: action for action, (tag, _) in _ROOTS.items()}
    action = actions.get(document.tag)
    if action is None:
        raise EnvelopeError(f"Kullanıcı hesabı belgesi değil: {document.tag}")
    area = document.find(qname(OA, "ApplicationArea"))
    accounts = document.findall(f"{qname(HR, 'DataArea')}/{qname(HR, 'UserAccount')}")
    if area is None or not accounts:
        raise EnvelopeError(
            "Kullanıcı belgesinde ApplicationArea ya da UserAccount yok", gib_code=1150
        )
    holders = {_holder(account) for account in accounts}
    options = {_hr_text(account, "AccountConfiguration", "UserOptionCode") for account in accounts}
    if len(holders) != 1 or len(options) != 1:
        raise EnvelopeError(
            "Bir kullanıcı belgesindeki tüm UserAccount'lar aynı kullanıcıya (UserID, ad, "
            "UserOptionCode) ait olmalı",
            gib_code=1150,
        )
    option = options.pop()
    if not (option.isascii() and option.isdigit()):
        raise EnvelopeError(f"UserOptionCode sayı olmalı: {option!r}", gib_code=1150)
    created = _oa_text(area, "CreationDateTime")
    try:
        created_at = datetime.fromisoformat(created)
    except ValueError:
        raise EnvelopeError(
            f"oa:CreationDateTime geçersiz: {created[:40]!r}", gib_code=1160
        ) from None
    return UserAccountRequest(
        action=action,
        integrator_vkn=_oa_text(area, "Sender", "LogicalID"),
        holder=holders.pop(),
        option=int(option),
        mailboxes=tuple(m for m in (_mailbox(a) for a in accounts) if m is not None),
        created_at=created_at,
    )


def _check(request: UserAccountRequest) -> None:
    party.validate(request.integrator_vkn, checksum=False)
    holder = request.holder
    if party.scheme_of(holder.vkn_tckn) == "VKN":  # raises for anything but 10/11 digits
        if not (holder.title and holder.title.strip()):
            raise EnvelopeError("VKN'li kullanıcı için unvan (FormattedName) zorunlu")
    elif not (holder.given_name and holder.given_name.strip()) or not (
        holder.family_name and holder.family_name.strip()
    ):
        raise EnvelopeError("TCKN'li kullanıcı için ad (GivenName) ve soyad (FamilyName) zorunlu")
    if request.option not in E_FATURA_OPTIONS:
        raise EnvelopeError(
            f"e-Fatura için UserOptionCode 1, 2, 3 ya da 4 olmalı: {request.option!r}"
        )
    if not request.mailboxes and request.option not in _VUK_507_OPTIONS:
        raise EnvelopeError("Kullanıcı belgesi en az bir etiket (GB ya da PK) içermeli")
    seen = set()
    for mailbox in request.mailboxes:
        key = (Role(mailbox.role), alias.validate(mailbox.alias))
        if key in seen:
            raise EnvelopeError(f"Etiket iki kez verildi: {mailbox.role} {mailbox.alias}")
        seen.add(key)


def _account(data: etree._Element, request: UserAccountRequest, mailbox: Mailbox | None) -> None:
    holder = request.holder
    account = _sub(data, qname(HR, "UserAccount"))
    _sub(account, qname(HR, "UserID"), party.compact(holder.vkn_tckn))
    name = _sub(account, qname(HR, "PersonName"))
    _sub(name, qname(HR, "FormattedName"), holder.formatted_name)
    if holder.is_person:
        _sub(name, qname(OA, "GivenName"), holder.given_name)
        if holder.middle_name:
            _sub(name, qname(HR, "MiddleName"), holder.middle_name)
        _sub(name, qname(HR, "FamilyName"), holder.family_name)
    if mailbox is not None:
        role = _sub(account, qname(HR, "UserRole"))
        _sub(role, qname(HR, "RoleCode"), Role(mailbox.role).value)
        _sub(role, qname(HR, "RoleName"), ROLE_NAMES[Role(mailbox.role)])
        scope = _sub(account, qname(HR, "AuthorizedWorkScope"))
        _sub(scope, qname(HR, "WorkScopeCode"), mailbox.alias.strip())
        _sub(scope, qname(HR, "WorkScopeName"), mailbox.description or mailbox.alias.strip())
    configuration = _sub(account, qname(HR, "AccountConfiguration"))
    _sub(configuration, qname(HR, "UserOptionCode"), str(request.option))


def _holder(account: etree._Element) -> AccountHolder:
    formatted = _hr_text(account, "PersonName", "FormattedName")
    given = (account.findtext(f"{qname(HR, 'PersonName')}/{qname(OA, 'GivenName')}") or "").strip()
    user_id = _hr_text(account, "UserID")
    person = len(user_id) == tckn.LENGTH
    return AccountHolder(
        vkn_tckn=user_id,
        title=None if person else (formatted or None),
        given_name=given or None,
        middle_name=_hr_text(account, "PersonName", "MiddleName") or None,
        family_name=_hr_text(account, "PersonName", "FamilyName") or None,
    )


def _mailbox(account: etree._Element) -> Mailbox | None:
    code = _hr_text(account, "UserRole", "RoleCode")
    label = _hr_text(account, "AuthorizedWorkScope", "WorkScopeCode")
    if not code or not label:
        return None
    try:
        role = Role(code)
    except ValueError:
        raise EnvelopeError(f"RoleCode GB ya da PK olmalı: {code!r}", gib_code=1150) from None
    description = _hr_text(account, "AuthorizedWorkScope", "WorkScopeName") or None
    return Mailbox(role=role, alias=label, description=description)


def _hr_text(element: etree._Element, *path: str) -> str:
    return (element.findtext("/".join(qname(HR, p) for p in path)) or "").strip()


def _oa_text(element: etree._Element, *path: str) -> str:
    return (element.findtext("/".join(qname(OA, p) for p in path)) or "").strip()


def _sub(parent: etree._Element, tag: str, text: str | None = None) -> etree._Element:
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child
