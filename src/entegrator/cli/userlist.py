"""``entegrator userlist refresh|lookup|search``: GİB's registered-user list at the integrator.

``refresh`` downloads and loads the GB and PK lists now (``--full`` forces a full load);
``lookup`` prints a VKN/TCKN's aliases as CheckUser sees them; ``search`` finds users by
title words (Turkish letters optional) or by the start of a VKN/TCKN.
"""

from __future__ import annotations

import argparse

from entegrator.cli import settings
from entegrator.core import userlist

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``userlist`` command group."""
    parser = subparsers.add_parser("userlist", help="GİB kayıtlı kullanıcı listesi")
    commands = parser.add_subparsers(dest="userlist_command", metavar="İŞLEM")
    commands.required = True
    refresh = commands.add_parser("refresh", help="listeyi GİB'den indirip yükle")
    refresh.add_argument("--full", action="store_true", help="değişiklikleri değil tümünü yükle")
    refresh.set_defaults(handler=_refresh)
    lookup = commands.add_parser("lookup", help="VKN/TCKN'nin etiketlerini göster")
    lookup.add_argument("identifier", metavar="VKN_TCKN")
    lookup.set_defaults(handler=_lookup)
    search = commands.add_parser("search", help="unvan ya da VKN başıyla ara")
    search.add_argument("text", metavar="METİN")
    search.add_argument("--limit", type=int, default=20)
    search.set_defaults(handler=_search)
    for command in (refresh, lookup, search):
        settings.add_config_argument(command)


def _refresh(args: argparse.Namespace) -> int:
    with settings.integrator_from(args) as integrator:
        result = userlist.refresh(integrator, full=True if args.full else None)
    kind = "tam" if result.kind == "full" else "değişiklik"
    print(f"kullanıcı listesi yüklendi ({kind}): {result.users} kullanıcı, "
          f"{result.aliases} etiket, {result.seconds:.1f} sn (indirme "
          f"{result.download_seconds:.1f}, ayrıştırma {result.stage_seconds:.1f}, yazma "
          f"{result.apply_seconds:.1f})")
    return 0


def _lookup(args: argparse.Namespace) -> int:
    with settings.integrator_from(args) as integrator:
        user = integrator.gib_users.lookup(args.identifier)
    if user is None:
        print(f"{args.identifier}: e-Fatura kayıtlı kullanıcısı değil")
        return 1
    print(f"{user.identifier}\t{user.title}\t{user.type}\t{user.account_type or '-'}")
    for alias in user.aliases:
        state = "açık" if alias.active else f"kapalı ({alias.deleted_at:%Y-%m-%d})"
        print(f"  {alias.role}\t{alias.document_type}\t{alias.alias}\t{state}")
    return 0


def _search(args: argparse.Namespace) -> int:
    with settings.integrator_from(args) as integrator:
        found = integrator.gib_users.search(args.text, limit=args.limit)
    for user in found:
        pk = ", ".join(a.alias for a in user.active_aliases("PK")) or "-"
        print(f"{user.identifier}\t{user.title}\t{pk}")
    if not found:
        print("eşleşen kullanıcı yok")
    return 0 if found else 1
