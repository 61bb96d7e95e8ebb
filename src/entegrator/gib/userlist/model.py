"""Records of GİB's registered-user lists (UserList guide v1.0 §2–3, ``NewUserList.xsd``).

GİB publishes two lists in the same format — sender (GB) aliases in ``newUserGbListxml.zip`` and
postbox (PK) aliases in ``newUserPkListxml.zip``; whether an alias is GB or PK is given by the
file, not by a field (:class:`UserListKind`). Values are kept as GİB writes them (the schema
types them as strings), trimmed of surrounding blanks; only the taxpayer ``Type`` is normalised
(``Özel`` in old dumps → ``OZEL``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Final

__all__ = [
    "DESPATCH_ADVICE",
    "INVOICE",
    "Alias",
    "AliasRow",
    "DocumentAliases",
    "TempUser",
    "User",
    "UserListKind",
    "UserRow",
]

#: ``Document/@type`` values.
INVOICE: Final = "Invoice"
DESPATCH_ADVICE: Final = "DespatchAdvice"


class UserListKind(Enum):
    """Which list: sender aliases (GB) or postbox aliases (PK)."""

    GB = "GB"
    PK = "PK"

    @property
    def file_name(self) -> str:
        """The zip's name at GİB Merkez (``newUserGbListxml.zip`` / ``newUserPkListxml.zip``)."""
        return f"newUser{self.value.capitalize()}Listxml.zip"

    @property
    def member_name(self) -> str:
        """The name we give the single XML inside the zip."""
        return f"newUser{self.value.capitalize()}List.xml"


@dataclass(frozen=True, slots=True)
class Alias:
    """One alias (etiket): its URN(s), when it was opened and, if closed, when."""

    names: tuple[str, ...]
    creation_time: str
    deletion_time: str | None = None

    @property
    def name(self) -> str:
        """The alias URN (the first ``Name``; GİB writes exactly one)."""
        return self.names[0] if self.names else ""

    @property
    def active(self) -> bool:
        """True while the alias is open (it has no ``DeletionTime``)."""
        return not self.deletion_time


@dataclass(frozen=True, slots=True)
class DocumentAliases:
    """The aliases a user has for one document type (``Invoice`` or ``DespatchAdvice``)."""

    type: str | None
    aliases: tuple[Alias, ...] = ()


@dataclass(frozen=True, slots=True)
class User:
    """One taxpayer of the list with its aliases per document type."""

    identifier: str  # VKN (10 digits) or TCKN (11 digits)
    title: str
    type: str  # KAMU | OZEL
    first_creation_time: str
    account_type: str | None = None  # GIBPORTAL | ENTEGRASYON | OZELENTEGRASYON
    documents: tuple[DocumentAliases, ...] = ()

    def aliases(self, document_type: str = INVOICE, *, active_only: bool = True) -> list[str]:
        """The alias URNs for ``document_type`` (only open ones unless ``active_only=False``)."""
        return [alias.name
                for group in self.documents if group.type == document_type
                for alias in group.aliases if alias.name and (alias.active or not active_only)]


#: One alias URN as plain values, for bulk loading: (``Document/@type`` or None, ``Name``,
#: ``CreationTime``, ``DeletionTime`` or None). An ``Alias`` with several names gives one each.
AliasRow = tuple[str | None, str, str, str | None]

#: One user as plain values, for bulk loading: (identifier, title, type, first creation time,
#: account type or None, aliases) — the fields of :class:`User` without per-record objects.
UserRow = tuple[str, str, str, str, str | None, list[AliasRow]]


@dataclass(frozen=True, slots=True)
class TempUser:
    """A taxpayer whose e-document accounts GİB is closing (UserTempList, VUK 509)."""

    identifier: str
    closure_date: str  # yyyymmdd
    status: str = "1"  # 1 = close every e-document account
    new_identifier: str | None = None  # new VKN/TCKN after a merger or change of type
    registration_code: str | None = None
    registration_description: str | None = None

    def closure(self) -> date:
        """``closure_date`` as a date; ValueError if GİB wrote something else than yyyymmdd."""
        return datetime.strptime(self.closure_date, "%Y%m%d").date()
