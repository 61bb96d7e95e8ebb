"""``entegrator archive …``: the operator's commands for the 10-year archive.

``verify [--since DATE]`` re-hashes documents and re-computes the daily hash chain (exit 1
when anything is wrong); ``search`` and ``export`` work on one taxpayer's documents
(``--taxpayer VKN``); ``import`` loads another integrator's archive (folder or zip);
``retention list|purge --confirm`` handles documents past retention; ``hold
place|release|list`` manages legal holds; ``maintain`` seals finished days, prepares
partitions and trains dictionaries (what the ``archive.maintain`` job does). Settings come
from ``ENTEGRATOR_DATABASE__*`` / ``ENTEGRATOR_ARCHIVE__*`` and the TOML file named by
``ENTEGRATOR_CONFIG`` (only the ``database`` and ``archive`` sections are read).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import select

from entegrator.core import archive as services
from entegrator.core import configtree
from entegrator.core.context import Caller
from entegrator.core.permissions import Role
from entegrator.errors import ConfigurationError, NotFound
from entegrator.store import Database, StoreConfig
from entegrator.store.archive import Archive, ArchiveConfig, ArchiveEntry, ArchiveKind
from entegrator.store.archive.export import ExportProgress
from entegrator.store.archive.retention import (
    expired,
    list_holds,
    place_hold,
    purge,
    release_hold,
)
from entegrator.store.archive.search import ArchiveQuery
from entegrator.store.archive.verify import verify
from entegrator.store.audit import Actor, ActorKind, record
from entegrator.store.clock import SYSTEM_CLOCK
from entegrator.store.domain import taxpayers

__all__ = ["register"]

def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``archive`` command group."""
    group = subparsers.add_parser("archive", help="10 yıllık e-Fatura arşivi (saklama)")
    commands = group.add_subparsers(dest="archive_command", metavar="İŞLEM")
    commands.required = True

    verify_cmd = commands.add_parser("verify", help="belgeleri ve günlük özet zincirini doğrula")
    verify_cmd.add_argument("--since", type=date.fromisoformat, help="bu günden (YYYY-AA-GG)")
    verify_cmd.set_defaults(handler=_verify)

    search_cmd = commands.add_parser("search", help="bir mükellefin arşivinde ara")
    _query_arguments(search_cmd)
    search_cmd.add_argument("--limit", type=int, default=50)
    search_cmd.add_argument("--cursor", help="önceki sayfanın verdiği imleç")
    search_cmd.add_argument("--json", action="store_true", help="JSON satırları yaz")
    search_cmd.set_defaults(handler=_search)

    export_cmd = commands.add_parser("export", help="arama sonucunu zip olarak dışa aktar")
    _query_arguments(export_cmd)
    export_cmd.add_argument("--out", type=Path, required=True, help="yazılacak .zip dosyası")
    export_cmd.add_argument("--no-pdf", action="store_true", help="PDF üretme")
    export_cmd.set_defaults(handler=_export)

    import_cmd = commands.add_parser("import", help="başka entegratörün arşivini içeri al")
    import_cmd.add_argument("--taxpayer", required=True, metavar="VKN")
    import_cmd.add_argument("source", type=Path, help="XML dosyaları içeren klasör ya da zip")
    import_cmd.add_argument("--schematron", action="store_true", help="şematron da denetle")
    import_cmd.set_defaults(handler=_import)

    retention = commands.add_parser("retention", help="saklama süresi dolan belgeler")
    retention_commands = retention.add_subparsers(dest="retention_command", metavar="İŞLEM")
    retention_commands.required = True
    listing = retention_commands.add_parser("list", help="süresi dolan belgeleri listele")
    listing.add_argument("--taxpayer", metavar="VKN")
    listing.set_defaults(handler=_retention_list)
    purging = retention_commands.add_parser("purge", help="süresi dolan belgeleri sil")
    purging.add_argument("--taxpayer", metavar="VKN")
    purging.add_argument("--confirm", action="store_true", help="silmeyi onayla")
    purging.set_defaults(handler=_retention_purge)

    hold = commands.add_parser("hold", help="yasal saklama kararları")
    hold_commands = hold.add_subparsers(dest="hold_command", metavar="İŞLEM")
    hold_commands.required = True
    placing = hold_commands.add_parser("place", help="yasal saklama kararı koy")
    placing.add_argument("--taxpayer", metavar="VKN", help="(verilmezse bütün mükellefler)")
    placing.add_argument("--reason", required=True)
    placing.add_argument("--from", dest="issued_from", type=date.fromisoformat)
    placing.add_argument("--to", dest="issued_to", type=date.fromisoformat)
    placing.set_defaults(handler=_hold_place)
    releasing = hold_commands.add_parser("release", help="yasal saklama kararını kaldır")
    releasing.add_argument("hold_id", type=int)
    releasing.set_defaults(handler=_hold_release)
    hold_commands.add_parser("list", help="etkin kararlar").set_defaults(handler=_hold_list)

    commands.add_parser("maintain", help="günleri mühürle, bölümleri ve sözlükleri hazırla") \
        .set_defaults(handler=_maintain)


def _query_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--taxpayer", required=True, metavar="VKN", help="mükellefin VKN/TCKN'si")
    parser.add_argument("--kind", choices=[k.value for k in ArchiveKind])
    parser.add_argument("--direction", choices=["OUT", "IN"])
    parser.add_argument("--counterpart", metavar="VKN", help="karşı tarafın VKN/TCKN'si")
    parser.add_argument("--title", help="karşı tarafın unvanı (kelime başları)")
    parser.add_argument("--number", help="fatura numarası")
    parser.add_argument("--ettn")
    parser.add_argument("--envelope", help="zarf numarası (UUID)")
    parser.add_argument("--from", dest="issued_from", type=date.fromisoformat)
    parser.add_argument("--to", dest="issued_to", type=date.fromisoformat)
    parser.add_argument("--profile")
    parser.add_argument("--type", dest="invoice_type")
    parser.add_argument("--status")
    parser.add_argument("--currency")
    parser.add_argument("--min-amount", type=_decimal)
    parser.add_argument("--max-amount", type=_decimal)


def _decimal(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise argparse.ArgumentTypeError(f"tutar okunamadı: {value!r}") from exc


def _query(args: argparse.Namespace) -> ArchiveQuery:
    return ArchiveQuery(
        kind=ArchiveKind(args.kind) if args.kind else None,
        direction=args.direction,
        counterpart_vkn_tckn=args.counterpart,
        title=args.title,
        number=args.number,
        ettn=args.ettn,
        envelope_uuid=args.envelope,
        issued_from=args.issued_from,
        issued_to=args.issued_to,
        profile=args.profile,
        invoice_type=args.invoice_type,
        status=args.status,
        currency=args.currency,
        amount_min=args.min_amount,
        amount_max=args.max_amount,
    )


# -- settings and context -------------------------------------------------------------------


def load_settings(env: Mapping[str, str]) -> tuple[StoreConfig, ArchiveConfig]:
    """The ``database`` and ``archive`` settings from the environment and the TOML file."""
    base: dict[str, Any] = {}
    path = env.get("ENTEGRATOR_CONFIG")
    if path:
        try:
            base = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigurationError(f"ayar dosyası okunamadı: {path}: {exc}") from exc
    over = configtree.env_tree(
        env, "ENTEGRATOR_", skip=lambda rest: not rest.startswith(("DATABASE__", "ARCHIVE__"))
    )
    tree = configtree.merge(base, over)
    database = configtree.build(StoreConfig, tree.get("database") or {}, "database")
    archive = configtree.build(ArchiveConfig, tree.get("archive") or {}, "archive")
    return database, archive


@contextmanager
def _services() -> Iterator[services.ArchiveServices]:
    database, settings = load_settings(os.environ)
    db = Database.from_config(database)
    try:
        yield services.ArchiveServices(db, Archive(settings, clock=SYSTEM_CLOCK), SYSTEM_CLOCK)
    finally:
        db.dispose()


def _actor() -> Actor:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "operator"
    return Actor(ActorKind.USER, who, channel="cli")


def _tenant(host: services.ArchiveServices, vkn: str) -> int:
    with host.db.transaction(read_only=True) as conn:
        found = conn.execute(
            select(taxpayers.c.id).where(taxpayers.c.vkn_tckn == vkn.strip())
        ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"bu VKN/TCKN ile kayıtlı mükellef yok: {vkn}")
    return int(found)


def _operator(host: services.ArchiveServices, vkn: str) -> Caller:
    return Caller(_tenant(host, vkn), _actor(), Role.ADMIN)


# -- handlers -------------------------------------------------------------------------------


def _verify(args: argparse.Namespace) -> int:
    with _services() as host:
        report = verify(host.db, host.archive, since=args.since,
                        progress=lambda n: _status(f"{n} belge denetlendi"))
        _status("")
        with host.db.transaction() as conn:
            record(conn, _actor(), "archive.verified", object_type="archive",
                   details={"since": args.since.isoformat() if args.since else None,
                            "documents": report.documents, "days": report.days,
                            "findings": len(report.findings)},
                   clock=host.clock)
    for finding in report.findings:
        where = f"kayıt {finding.entry_id}" if finding.entry_id else str(finding.day or "")
        print(f"{_PROBLEMS.get(finding.problem, finding.problem)}\t{where}\t{finding.detail}")
    print(f"{report.documents} belge, {report.contents} içerik, {report.days} gün denetlendi; "
          f"{len(report.findings)} sorun")
    return 0 if report.ok else 1


_PROBLEMS = {"changed": "DEĞİŞMİŞ", "vanished": "KAYIP", "chain": "ZİNCİR"}


def _search(args: argparse.Namespace) -> int:
    with _services() as host:
        caller = _operator(host, args.taxpayer)
        page = services.search_documents(host, caller, _query(args), limit=args.limit,
                                         cursor=args.cursor)
    for entry in page.entries:
        print(json.dumps(_as_json(entry), ensure_ascii=False) if args.json else _as_line(entry))
    if page.next_cursor:
        print(f"sonraki sayfa: --cursor {page.next_cursor}", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    def show(progress: ExportProgress) -> None:
        _status(f"{progress.done}/{progress.total} belge")

    with _services() as host:
        caller = _operator(host, args.taxpayer)
        with args.out.open("wb") as out:
            summary = services.export_documents(host, caller, _query(args), out,
                                                include_pdf=not args.no_pdf, progress=show)
    _status("")
    print(f"{summary.documents} belge, {summary.pdfs} PDF dışa aktarıldı: {args.out}"
          + (f" ({summary.pdf_failures} PDF üretilemedi)" if summary.pdf_failures else ""))
    return 0


def _import(args: argparse.Namespace) -> int:
    with _services() as host:
        caller = _operator(host, args.taxpayer)
        report = services.import_documents(host, caller, args.source,
                                           schematron=args.schematron,
                                           progress=lambda n: _status(f"{n} dosya okundu"))
    _status("")
    for rejected in report.rejected:
        print(f"REDDEDİLDİ\t{rejected.name}\t{rejected.reason}")
    print(f"{report.files} dosya: {report.imported} alındı, {report.duplicates} mükerrer, "
          f"{len(report.rejected)} reddedildi")
    return 0 if not report.rejected else 1


def _retention_list(args: argparse.Namespace) -> int:
    with _services() as host:
        tenant = _tenant(host, args.taxpayer) if args.taxpayer else None
        with host.db.transaction(read_only=True) as conn:
            found = 0
            for entry in expired(conn, host.archive, tenant_id=tenant):
                print(f"{entry.tenant_id or '-'}\t{entry.retain_until}\t{_as_line(entry)}")
                found += 1
    print(f"saklama süresi dolmuş {found} belge")
    return 0


def _retention_purge(args: argparse.Namespace) -> int:
    if not args.confirm:
        print("hata: silmek için --confirm verin (önce 'archive retention list' ile bakın)",
              file=sys.stderr)
        return 2
    with _services() as host:
        tenant = _tenant(host, args.taxpayer) if args.taxpayer else None
        report = purge(host.db, host.archive, actor=_actor(), confirm=True, tenant_id=tenant)
    print(f"{report.entries} belge silindi ({report.contents} içerik, {report.bytes_freed} bayt)")
    return 0


def _hold_place(args: argparse.Namespace) -> int:
    with _services() as host:
        tenant = _tenant(host, args.taxpayer) if args.taxpayer else None
        with host.db.transaction() as conn:
            hold_id = place_hold(conn, host.archive, actor=_actor(), reason=args.reason,
                                 tenant_id=tenant, issued_from=args.issued_from,
                                 issued_to=args.issued_to)
    print(f"yasal saklama kararı {hold_id} konuldu")
    return 0


def _hold_release(args: argparse.Namespace) -> int:
    with _services() as host, host.db.transaction() as conn:
        release_hold(conn, host.archive, args.hold_id, actor=_actor())
    print(f"yasal saklama kararı {args.hold_id} kaldırıldı")
    return 0


def _hold_list(args: argparse.Namespace) -> int:
    with _services() as host, host.db.transaction(read_only=True) as conn:
        holds = list_holds(conn)
    for hold in holds:
        span = f"{hold.issued_from or '…'} – {hold.issued_to or '…'}"
        print(f"{hold.id}\t{hold.tenant_id or 'tümü'}\t{span}\t{hold.reason}")
    return 0


def _maintain(args: argparse.Namespace) -> int:
    with _services() as host:
        report = services.run_maintenance(host)
    print(f"{len(report.sealed)} gün mühürlendi, {len(report.partitions)} bölüm açıldı, "
          f"{len(report.dictionaries)} sözlük eğitildi, "
          f"{report.orphans_removed} artık dosya silindi")
    return 0


# -- output ---------------------------------------------------------------------------------


def _as_line(entry: ArchiveEntry) -> str:
    meta = entry.meta
    amount = f"{meta.payable_amount} {meta.currency or ''}".strip() if meta.payable_amount else ""
    cells = (str(entry.ref.id), entry.direction, entry.kind.value, meta.number or "",
             meta.ettn or "", str(meta.issue_date or ""), meta.counterpart_vkn_tckn or "",
             meta.counterpart_name or "", amount, meta.status or "")
    return "\t".join(cells)


def _as_json(entry: ArchiveEntry) -> dict[str, Any]:
    meta = entry.meta.given()
    return {
        "id": entry.ref.id,
        "sha256": entry.ref.sha256,
        "kind": entry.kind.value,
        "direction": entry.direction,
        "size": entry.size,
        "archived_at": entry.archived_at.isoformat(),
        **{k: (str(v) if isinstance(v, Decimal | date | datetime) else v)
           for k, v in meta.items()},
    }


def _status(text: str) -> None:
    if sys.stderr.isatty():
        print(f"\r\033[K{text}", end="" if text else "\n", file=sys.stderr, flush=True)
