"""``entegrator gib-sim``: run the GİB simulator, and manage its user list and integrators.

::

    entegrator gib-sim --db URL [--config FILE] [--host H] [--port N] [--time-factor F]
    entegrator gib-sim users add --vkn V --title T --integrator ID [--gb A]... [--pk A]...
    entegrator gib-sim users remove --vkn V [--alias A] [--role GB|PK] [--integrator ID]
    entegrator gib-sim users list [--vkn V] [--json]
    entegrator gib-sim users import FILE --role GB|PK --integrator ID
    entegrator gib-sim integrators add --id ID --name N --vkn V --endpoint URL [--network CIDR]...
    entegrator gib-sim integrators list | remove --id ID

The database is the simulator's own (``--db`` or ``ENTEGRATOR_GIB_SIM__DB``); its tables are
created when missing. User-list and integrator changes made here while the simulator runs are
picked up by it (integrators within a second, users at once).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from entegrator.errors import ConfigurationError
from entegrator.gib.userlist import iter_users, iter_users_zip
from entegrator.simulator import IntegratorConfig, Simulator, SimulatorConfig, load_config
from entegrator.simulator import users as sim_users
from entegrator.simulator.admin import user_to_dict
from entegrator.simulator.directory import delete_integrator, load_integrators, save_integrator
from entegrator.simulator.tables import create_schema
from entegrator.store import SYSTEM_CLOCK, Database, StoreConfig
from entegrator.ubl.identifiers import party

__all__ = ["register"]

_DB_ENV = "ENTEGRATOR_GIB_SIM__DB"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``gib-sim`` command group."""
    sim = subparsers.add_parser("gib-sim", help="GİB Merkez simülatörü",
                                description="GİB Merkez simülatörünü çalıştırır ya da yönetir.")
    _common(sim)
    sim.add_argument("--host", default="127.0.0.1", help="dinlenecek adres (127.0.0.1)")
    sim.add_argument("--port", type=int, default=8085, help="dinlenecek port (8085)")
    sim.add_argument("--time-factor", type=float, help="GİB zamanı kaç kat hızlı akar")
    sim.set_defaults(handler=_serve)
    commands = sim.add_subparsers(dest="sim_command", metavar="İŞLEM")
    commands.required = False
    users = commands.add_parser("users", help="kayıtlı kullanıcı listesi")
    user_commands = users.add_subparsers(dest="users_command", metavar="İŞLEM")
    user_commands.required = True
    add = user_commands.add_parser("add", help="kullanıcı ve etiket ekle")
    _common(add)
    add.add_argument("--vkn", required=True)
    add.add_argument("--title", required=True)
    add.add_argument("--type", choices=("OZEL", "KAMU"), default="OZEL")
    add.add_argument("--integrator", required=True, help="etiketleri barındıran entegratör")
    add.add_argument("--gb", action="append", default=[], help="GB etiketi (tekrarlanabilir)")
    add.add_argument("--pk", action="append", default=[], help="PK etiketi (tekrarlanabilir)")
    add.set_defaults(handler=_users_add)
    remove = user_commands.add_parser("remove", help="etiket kapat")
    _common(remove)
    remove.add_argument("--vkn", required=True)
    remove.add_argument("--alias")
    remove.add_argument("--role", choices=("GB", "PK"))
    remove.add_argument("--integrator")
    remove.set_defaults(handler=_users_remove)
    listing = user_commands.add_parser("list", help="kullanıcıları listele")
    _common(listing)
    listing.add_argument("--vkn")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_users_list)
    load = user_commands.add_parser("import", help="GİB listesinden (zip ya da XML) yükle")
    _common(load)
    load.add_argument("file", type=Path)
    load.add_argument("--role", choices=("GB", "PK"), required=True)
    load.add_argument("--integrator", required=True)
    load.set_defaults(handler=_users_import)
    integrators = commands.add_parser("integrators", help="kayıtlı entegratörler")
    integrator_commands = integrators.add_subparsers(dest="integrators_command", metavar="İŞLEM")
    integrator_commands.required = True
    add_i = integrator_commands.add_parser("add", help="entegratör ekle ya da güncelle")
    _common(add_i)
    add_i.add_argument("--id", required=True)
    add_i.add_argument("--name", required=True)
    add_i.add_argument("--vkn", required=True)
    add_i.add_argument("--endpoint", required=True, help="entegratörün EFatura servis adresi")
    add_i.add_argument("--network", action="append", default=[], help="kaynak ağ (CIDR)")
    add_i.set_defaults(handler=_integrators_add)
    list_i = integrator_commands.add_parser("list", help="entegratörleri listele")
    _common(list_i)
    list_i.set_defaults(handler=_integrators_list)
    remove_i = integrator_commands.add_parser("remove", help="entegratörü sil")
    _common(remove_i)
    remove_i.add_argument("--id", required=True)
    remove_i.set_defaults(handler=_integrators_remove)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=argparse.SUPPRESS,
                        help=f"simülatör veritabanı adresi (varsayılan: {_DB_ENV})")
    parser.add_argument("--config", type=Path, default=argparse.SUPPRESS,
                        help="simülatör ayar dosyası (TOML)")
    parser.add_argument("--pg-schema", default=argparse.SUPPRESS,
                        help="PostgreSQL'de tabloların şeması (var olmalı)")


def _database(args: argparse.Namespace) -> Database:
    url = getattr(args, "db", None) or os.environ.get(_DB_ENV)
    if not url:
        raise ConfigurationError(f"simülatör veritabanı verilmedi (--db ya da {_DB_ENV})")
    db = Database.from_config(StoreConfig(url=url, application_name="entegrator-gib-sim",
                                          pg_schema=getattr(args, "pg_schema", None)))
    create_schema(db.engine)
    return db


def _serve(args: argparse.Namespace) -> int:
    path = getattr(args, "config", None)
    config = load_config(path) if path is not None else SimulatorConfig()
    if args.time_factor is not None:
        config = config.with_time_factor(args.time_factor)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    db = _database(args)
    try:
        print(f"GİB simülatörü: http://{args.host}:{args.port}"
              f"{Simulator.service_url('')} (zaman katsayısı "
              f"{config.schedule.time_factor:g})", file=sys.stderr)
        Simulator(config, db).run(args.host, args.port)
    finally:
        db.dispose()
    return 0


def _users_add(args: argparse.Namespace) -> int:
    db = _database(args)
    try:
        with db.transaction() as conn:
            known = {i.id for i in load_integrators(conn)}
            if args.integrator not in known:
                raise ConfigurationError(f"bilinmeyen entegratör: {args.integrator}")
            vkn = party.validate(args.vkn, checksum=False)
            opened = sim_users.register(conn, vkn, title=args.title, type=args.type,
                              owner=args.integrator, now=SYSTEM_CLOCK.now(), gb=args.gb,
                              pk=args.pk)
    finally:
        db.dispose()
    print(f"{vkn}: {opened} etiket açıldı")
    return 0


def _users_remove(args: argparse.Namespace) -> int:
    db = _database(args)
    try:
        with db.transaction() as conn:
            closed = sim_users.remove_aliases(conn, args.vkn, now=SYSTEM_CLOCK.now(),
                                              owner=args.integrator, role=args.role,
                                              name=args.alias)
    finally:
        db.dispose()
    print(f"{args.vkn}: {closed} etiket kapatıldı")
    return 0 if closed else 1


def _users_list(args: argparse.Namespace) -> int:
    db = _database(args)
    try:
        with db.transaction(read_only=True) as conn:
            found = sim_users.list_users(conn, identifier=args.vkn)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([user_to_dict(u) for u in found], ensure_ascii=False, indent=2))
        return 0
    for user in found:
        print(f"{user.identifier}  {user.type:<4}  {user.title}")
        for alias in user.aliases:
            state = f"kapalı {alias.deleted_at:%Y-%m-%d}" if alias.deleted_at else "açık"
            print(f"    {alias.role} {alias.name}  [{alias.owner}, {state}]")
    return 0


def _users_import(args: argparse.Namespace) -> int:
    db = _database(args)
    try:
        with db.transaction() as conn:
            if args.integrator not in {i.id for i in load_integrators(conn)}:
                raise ConfigurationError(f"bilinmeyen entegratör: {args.integrator}")
            source = iter_users_zip(args.file) if args.file.suffix.lower() == ".zip" \
                else iter_users(args.file)
            count, opened = sim_users.import_users(conn, source, role=args.role,
                                                   owner=args.integrator, now=SYSTEM_CLOCK.now())
    finally:
        db.dispose()
    print(f"{count} kullanıcı, {opened} yeni {args.role} etiketi yüklendi")
    return 0


def _integrators_add(args: argparse.Namespace) -> int:
    extra = {"networks": tuple(args.network)} if args.network else {}
    integrator = IntegratorConfig(id=args.id, name=args.name, vkn=args.vkn,
                                  endpoint=args.endpoint, **extra)
    db = _database(args)
    try:
        with db.transaction() as conn:
            save_integrator(conn, integrator, now=SYSTEM_CLOCK.now())
    finally:
        db.dispose()
    print(f"entegratör {integrator.id} kaydedildi")
    return 0


def _integrators_list(args: argparse.Namespace) -> int:
    db = _database(args)
    try:
        with db.transaction(read_only=True) as conn:
            found = load_integrators(conn)
    finally:
        db.dispose()
    for integrator in found:
        print(f"{integrator.id}  {integrator.vkn}  {integrator.endpoint}  "
              f"{','.join(integrator.networks)}  {integrator.name}")
    return 0


def _integrators_remove(args: argparse.Namespace) -> int:
    db = _database(args)
    try:
        with db.transaction() as conn:
            removed = delete_integrator(conn, args.id)
    finally:
        db.dispose()
    print(f"entegratör {args.id} {'silindi' if removed else 'bulunamadı'}")
    return 0 if removed else 1
