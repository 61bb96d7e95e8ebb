"""Operator commands: taxpayers, aliases (and their registration at GİB), users, seals, API keys.

::

    entegrator taxpayer add --vkn 4540536920 --title "Anadolu A.Ş." --domain anadolu.com.tr
    entegrator taxpayer list
    entegrator alias add --vkn 4540536920 --alias urn:mail:ikincipk@anadolu.com.tr --role PK
    entegrator alias register --vkn 4540536920          (USERENVELOPE to GİB)
    entegrator user add --vkn 4540536920 --username muhasebe --role accountant
    entegrator seal set --vkn 4540536920 --p12 muhur.p12 --password-ref ANADOLU_P12
    entegrator apikey create --vkn 4540536920 --label ERP

Every change is audited with the operator as actor. Passwords are read from the variable
named by ``--password-env`` or asked for; secrets of seals are referenced, never stored.
"""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from entegrator.cli import settings
from entegrator.core import credentials, registration, seals, tenants, users
from entegrator.core.permissions import Role
from entegrator.errors import ConfigurationError

__all__ = ["register"]

_Sub = argparse._SubParsersAction


def register(subparsers: _Sub[argparse.ArgumentParser]) -> None:
    """Add ``taxpayer``, ``alias``, ``user``, ``seal`` and ``apikey``."""
    _taxpayer(subparsers)
    _alias(subparsers)
    group = _group(subparsers, "user", "kullanıcı işlemleri")
    add = _command(group, "add", "kullanıcı ekle", _user_add)
    add.add_argument("--username", required=True)
    add.add_argument("--role", choices=[r.value for r in Role], default=Role.ACCOUNTANT.value)
    add.add_argument("--full-name")
    add.add_argument("--email")
    add.add_argument("--password-env", metavar="DEĞİŞKEN",
                     help="parolayı tutan ortam değişkeni (yoksa sorulur)")
    _seal(subparsers)
    group = _group(subparsers, "apikey", "API anahtarı işlemleri")
    create = _command(group, "create", "API anahtarı oluştur (bir kez gösterilir)", _apikey)
    create.add_argument("--role", choices=[r.value for r in Role], default=Role.API.value)
    create.add_argument("--label")


def _group(subparsers: _Sub[argparse.ArgumentParser], name: str,
           text: str) -> _Sub[argparse.ArgumentParser]:
    parser = subparsers.add_parser(name, help=text)
    commands = parser.add_subparsers(dest=f"{name}_command", metavar="İŞLEM")
    commands.required = True
    return commands


def _command(group: _Sub[argparse.ArgumentParser], name: str, text: str, handler: object,
             *, vkn: bool = True) -> argparse.ArgumentParser:
    parser = group.add_parser(name, help=text)
    settings.add_config_argument(parser)
    if vkn:
        parser.add_argument("--vkn", required=True, help="mükellefin VKN/TCKN'si")
    parser.set_defaults(handler=handler)
    return parser


# -- taxpayer ------------------------------------------------------------------------------

def _taxpayer(subparsers: _Sub[argparse.ArgumentParser]) -> None:
    group = _group(subparsers, "taxpayer", "mükellef işlemleri")
    add = _command(group, "add", "mükellef ekle", _taxpayer_add)
    add.add_argument("--title", help="unvan (şirketler için zorunlu)")
    add.add_argument("--first-name")
    add.add_argument("--family-name")
    add.add_argument("--tax-office")
    add.add_argument("--email")
    add.add_argument("--kamu", action="store_true", help="kamu kurumu (UserOptionCode 1)")
    add.add_argument("--series", help="varsayılan fatura serisi (3 karakter)")
    add.add_argument("--domain", help="varsayılan etiketler: urn:mail:defaultgb|pk@ALAN")
    add.add_argument("--registered", action="store_true",
                     help="etiketler GİB'de zaten bu entegratörde kayıtlı")
    _command(group, "list", "mükellefleri listele", _taxpayer_list, vkn=False)


def _taxpayer_add(args: argparse.Namespace) -> int:
    with settings.integrator_from(args) as integrator, integrator.db.transaction() as conn:
        made = tenants.create_taxpayer(
            conn, settings.operator(),
            tenants.NewTaxpayer(
                args.vkn, args.title, first_name=args.first_name,
                family_name=args.family_name, tax_office=args.tax_office, email=args.email,
                gib_user_type="KAMU" if args.kamu else "OZEL", default_series=args.series),
            checksum=integrator.config.integrator.strict_checksums, clock=integrator.clock)
        if args.domain:
            caller = settings.operator_for_id(made.id)
            for role in ("GB", "PK"):
                tenants.add_alias(conn, caller, f"urn:mail:default{role.lower()}@{args.domain}",
                                  role, registered=args.registered, clock=integrator.clock)
    print(f"mükellef eklendi: {made.vkn_tckn} {made.title} (no {made.id})")
    return 0


def _taxpayer_list(args: argparse.Namespace) -> int:
    with settings.integrator_from(args) as integrator, \
            integrator.db.transaction(read_only=True) as conn:
        for taxpayer in tenants.list_taxpayers(conn):
            caller = settings.operator_for_id(taxpayer.id)
            aliases = ", ".join(f"{a.role.value}:{a.alias} [{a.gib_state.value}]"
                                for a in tenants.list_aliases(conn, caller))
            state = "" if taxpayer.active else " (pasif)"
            print(f"{taxpayer.vkn_tckn}\t{taxpayer.title}{state}\t{aliases or '-'}")
    return 0


# -- alias ---------------------------------------------------------------------------------

def _alias(subparsers: _Sub[argparse.ArgumentParser]) -> None:
    group = _group(subparsers, "alias", "etiket (GB/PK) işlemleri")
    add = _command(group, "add", "etiket ekle", _alias_add)
    add.add_argument("--alias", required=True, help="örn. urn:mail:defaultpk@firma.com.tr")
    add.add_argument("--role", required=True, choices=["GB", "PK"])
    add.add_argument("--default", action="store_true", help="bu rolün varsayılanı yap")
    add.add_argument("--registered", action="store_true",
                     help="GİB'de zaten bu entegratörde kayıtlı")
    send = _command(group, "register", "bekleyen etiketleri GİB'e kaydettir (USERENVELOPE)",
                    _alias_register)
    send.add_argument("--alias", action="append", help="yalnız bu etiket(ler)")
    send.add_argument("--vuk507", action="store_true",
                      help="VUK 507 kullanıcısı (karşı imza gerekmez)")


def _alias_add(args: argparse.Namespace) -> int:
    with settings.integrator_from(args) as integrator:
        caller = settings.operator_for(integrator, args.vkn)
        with integrator.db.transaction() as conn:
            made = tenants.add_alias(conn, caller, args.alias, args.role,
                                     default=True if args.default else None,
                                     registered=args.registered, clock=integrator.clock)
    print(f"etiket eklendi: {made.role.value} {made.alias} ({made.gib_state.value})")
    return 0


def _alias_register(args: argparse.Namespace) -> int:
    with settings.integrator_from(args) as integrator:
        caller = settings.operator_for(integrator, args.vkn)
        sent = registration.register_aliases(integrator, caller, aliases=args.alias,
                                             vuk507=args.vuk507)
    print(f"USERENVELOPE {sent.envelope_uuid} gönderim kuyruğunda: {', '.join(sent.aliases)}")
    return 0


# -- user, seal, API key -------------------------------------------------------------------

def _user_add(args: argparse.Namespace) -> int:
    if args.password_env:
        if args.password_env not in os.environ:
            raise ConfigurationError(f"ortam değişkeni tanımlı değil: {args.password_env}")
        password = os.environ[args.password_env]
    else:
        password = getpass.getpass("Parola: ")
        if password != getpass.getpass("Parola (tekrar): "):
            raise ConfigurationError("parolalar aynı değil")
    with settings.integrator_from(args) as integrator:
        caller = settings.operator_for(integrator, args.vkn)
        with integrator.db.transaction() as conn:
            user = users.add_user(conn, caller, args.username, password, args.role,
                                  settings=integrator.config.auth, full_name=args.full_name,
                                  email=args.email, clock=integrator.clock)
    print(f"kullanıcı eklendi: {user.username} ({user.role.value})")
    return 0


def _seal(subparsers: _Sub[argparse.ArgumentParser]) -> None:
    group = _group(subparsers, "seal", "mali mühür işlemleri")
    parser = _command(group, "set", "mükellefin mali mührünü tanımla (denenip kaydedilir)",
                      _seal_set)
    kind = parser.add_mutually_exclusive_group(required=True)
    kind.add_argument("--p12", type=Path, metavar="DOSYA", help="PKCS#12 dosyası")
    kind.add_argument("--pkcs11-module", type=Path, metavar="YOL", help="PKCS#11 modülü (HSM)")
    kind.add_argument("--delegated", action="store_true",
                      help="mükellef adına entegratörün mührü imzalasın")
    parser.add_argument("--password-ref", metavar="AD",
                        help="PKCS#12 parolasının gizli bilgi adı (ENTEGRATOR_SECRET_<AD>)")
    parser.add_argument("--token", metavar="ETİKET", help="PKCS#11 belirteç etiketi")
    parser.add_argument("--key-label", metavar="ETİKET")
    parser.add_argument("--key-id", metavar="HEX")
    parser.add_argument("--pin-ref", metavar="AD",
                        help="PIN'in gizli bilgi adı (ENTEGRATOR_SECRET_<AD>)")
    parser.add_argument("--certificate", type=Path, metavar="DOSYA",
                        help="sertifika dosyası (yoksa belirteçten okunur)")


def _seal_spec(args: argparse.Namespace) -> seals.SealSpec:
    if args.delegated:
        return seals.DelegatedSeal()
    if args.p12 is not None:
        if not args.password_ref:
            raise ConfigurationError("--p12 ile --password-ref gerekli")
        return seals.Pkcs12Seal(args.p12.resolve(), args.password_ref)
    if not (args.token and args.pin_ref):
        raise ConfigurationError("--pkcs11-module ile --token ve --pin-ref gerekli")
    return seals.Pkcs11Seal(args.pkcs11_module, args.token, args.pin_ref,
                            key_label=args.key_label, key_id=args.key_id,
                            certificate=args.certificate)


def _seal_set(args: argparse.Namespace) -> int:
    spec = _seal_spec(args)
    with settings.integrator_from(args) as integrator:
        caller = settings.operator_for(integrator, args.vkn)
        certificate = integrator.seals.check(args.vkn, spec)
        with integrator.db.transaction() as conn:
            seals.set_seal(conn, caller, spec, certificate=certificate, clock=integrator.clock)
    print(f"mühür tanımlandı ({spec.kind}): {certificate.subject.rfc4514_string()}, "
          f"geçerlilik sonu {certificate.not_valid_after_utc:%Y-%m-%d}")
    return 0


def _apikey(args: argparse.Namespace) -> int:
    with settings.integrator_from(args) as integrator:
        caller = settings.operator_for(integrator, args.vkn)
        with integrator.db.transaction() as conn:
            made = credentials.create_api_key(conn, caller, role=Role(args.role),
                                              label=args.label, clock=integrator.clock)
    print(f"API anahtarı: {made.token.reveal()}")
    print("Bu anahtar yalnız şimdi gösterilir; güvenli bir yere kaydedin.")
    return 0
