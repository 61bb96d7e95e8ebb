"""Where an outgoing invoice goes: the receiver's postbox (PK) alias and the scenario rules.

An e-Fatura can only go to a registered e-Fatura user, through one of its open PK aliases in
GİB's user list (gib-protocol.md §5; Merkez answers 1181/1172 otherwise). The caller may
name the alias (request parameter, or the customer's ``cbc:EndpointID`` in the document);
else the customer's default postbox is used: the alias named ``urn:mail:defaultpk…`` when it
has one (GİB's naming convention, §5.3), else its oldest open PK alias. Export and tax-free
invoices (IHRACAT, YOLCUBERABERFATURA) always go to the customs ministry's fixed postboxes
(schematron ``IhracatYolcuBeraberCheck``). A customer that is not an e-Fatura user is refused
with :class:`~entegrator.core.errors.NotRegisteredUser`: such invoices are e-Arşiv invoices,
which this version does not issue yet.

Lookups are batched (one query for a whole submitted batch) against the imported list
(:mod:`entegrator.store.domain.gib_users`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Connection, select

from entegrator.core.errors import NotRegisteredUser, ProfileRuleViolation
from entegrator.store.domain import gib_user_aliases

__all__ = ["GTB_ALIASES", "Route", "pk_aliases", "resolve"]

_a = gib_user_aliases.c

#: Profiles whose receiver is fixed: the customs ministry's (GTB) postboxes.
GTB_ALIASES: Final = {
    "IHRACAT": "urn:mail:ihracatpk@gtb.gov.tr",
    "YOLCUBERABERFATURA": "urn:mail:yolcuberaberpk@gtb.gov.tr",
}
_EARCHIVE: Final = "EARSIVFATURA"
_DEFAULT_PREFIX: Final = "urn:mail:defaultpk"


@dataclass(frozen=True, slots=True)
class Route:
    """What routing needs of one invoice: scenario, customer, and the alias named (if any)."""

    profile: str
    customer: str
    named_alias: str | None = None


def pk_aliases(conn: Connection, identifiers: Iterable[str]) -> dict[str, list[str]]:
    """The open e-Fatura PK aliases of each VKN/TCKN, oldest first (absent: not a user)."""
    wanted = sorted(set(identifiers))
    found: dict[str, list[str]] = {}
    if not wanted:
        return found
    stmt = (
        select(_a.identifier, _a.alias)
        .where(
            _a.identifier.in_(wanted),
            _a.role == "PK",
            _a.document_type == "Invoice",
            _a.deleted_at.is_(None),
        )
        .order_by(_a.identifier, _a.created_at, _a.id)
    )
    for identifier, alias in conn.execute(stmt):
        found.setdefault(identifier, []).append(alias)
    return found


def resolve(conn: Connection, routes: Sequence[Route]) -> list[str]:
    """The receiver PK alias of each route, in order; raises for the first that has none."""
    known = pk_aliases(conn, (route.customer for route in routes))
    return [_choose(route, known.get(route.customer, [])) for route in routes]


def _choose(route: Route, aliases: list[str]) -> str:
    if route.profile == _EARCHIVE:
        raise ProfileRuleViolation(
            "EARSIVFATURA senaryosu e-Arşiv faturasıdır; e-Arşiv desteği henüz yok"
        )
    named = route.named_alias
    fixed = GTB_ALIASES.get(route.profile)
    if fixed is not None:
        if named is not None and named != fixed:
            raise ProfileRuleViolation(
                f"{route.profile} faturası yalnız {fixed} posta kutusuna gönderilir "
                f"({named} verildi)"
            )
        named = fixed
    if not aliases:
        raise NotRegisteredUser(
            f"Alıcı {route.customer} e-Fatura kayıtlı kullanıcısı değil; bu fatura e-Fatura "
            "olarak gönderilemez (e-Arşiv faturası olarak düzenlenmeli; e-Arşiv desteği "
            "henüz yok)",
            identifier=route.customer,
        )
    if named is not None:
        if named not in aliases:
            raise NotRegisteredUser(
                f"{named} etiketi alıcı {route.customer} için GİB kullanıcı listesinde açık "
                f"bir posta kutusu (PK) değil; açık etiketleri: {', '.join(aliases)}",
                identifier=route.customer,
            )
        return named
    for alias in aliases:
        if alias.lower().startswith(_DEFAULT_PREFIX):
            return alias
    return aliases[0]
