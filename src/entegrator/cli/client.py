"""``entegrator client …``: use a (remote) entegrator through its REST API.

Commands: ``send FILE`` (a JSON invoice or UBL-TR XML), ``inbox`` (unread incoming
invoices), ``get REF``, ``download REF``, ``respond REF KABUL|RED``, ``check VKN``. The server
and the credential come from the environment — ``ENTEGRATOR_CLIENT_URL`` and
``ENTEGRATOR_CLIENT_API_KEY`` (or ``ENTEGRATOR_CLIENT_ID`` + ``ENTEGRATOR_CLIENT_SECRET``
for OAuth2) — or from ``--url`` / ``--api-key``. A refused request prints the server's
problem (and its GİB code) and exits with 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from entegrator.client import EntegratorClient
from entegrator.errors import ConfigurationError, DocumentError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``client`` and its subcommands."""
    parser = subparsers.add_parser("client", help="REST API üzerinden entegratör kullan")
    parser.add_argument("--url", help="sunucu adresi (varsayılan: ENTEGRATOR_CLIENT_URL)")
    parser.add_argument("--api-key", help="API anahtarı (varsayılan: ENTEGRATOR_CLIENT_API_KEY)")
    commands = parser.add_subparsers(dest="client_command", metavar="ALTKOMUT")
    commands.required = True

    send = commands.add_parser("send", help="fatura gönder (JSON ya da UBL-TR XML dosyası)")
    send.add_argument("file", type=Path, metavar="DOSYA")
    send.add_argument("--series", help="numara verilecek seri (3 karakter)")
    send.add_argument("--alias", help="alıcının PK etiketi")
    send.add_argument("--reference", help="ERP kaydınızın numarası")
    send.add_argument("--idempotency-key", help="tekrar gönderimde aynı sonucu almak için")
    send.add_argument("--draft", action="store_true", help="göndermeden taslak olarak kaydet")
    send.set_defaults(handler=_with_client(_send))

    inbox = commands.add_parser("inbox", help="gelen (okunmamış) faturaları listele")
    inbox.add_argument("--all", action="store_true", help="okunmuşları da göster")
    inbox.add_argument("--limit", type=int, default=50)
    inbox.add_argument("--mark", action="store_true", help="listelenenleri okundu işaretle")
    inbox.set_defaults(handler=_with_client(_inbox))

    get = commands.add_parser("get", help="bir faturanın bilgileri ve durum geçmişi")
    get.add_argument("ref", metavar="BELGE", help="kimlik, ETTN ya da fatura numarası")
    get.set_defaults(handler=_with_client(_get))

    download = commands.add_parser("download", help="faturayı indir (XML, HTML, PDF)")
    download.add_argument("ref", metavar="BELGE")
    download.add_argument("--format", choices=("xml", "html", "pdf"), default="xml")
    download.add_argument("-o", "--output", type=Path, help="dosya (varsayılan: BELGE.biçim)")
    download.set_defaults(handler=_with_client(_download))

    respond = commands.add_parser("respond", help="ticari faturaya KABUL ya da RED yanıtı")
    respond.add_argument("ref", metavar="BELGE")
    respond.add_argument("code", choices=("KABUL", "RED"), metavar="KABUL|RED")
    respond.add_argument("--reason", help="gerekçe (RED için zorunlu)")
    respond.set_defaults(handler=_with_client(_respond))

    check = commands.add_parser("check", help="VKN/TCKN e-Fatura kullanıcısı mı?")
    check.add_argument("identifier", metavar="VKN")
    check.set_defaults(handler=_with_client(_check))


def _with_client(run: Callable[[EntegratorClient, argparse.Namespace], int]
                 ) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        with _client(args) as api:
            return run(api, args)

    return handler


def _client(args: argparse.Namespace) -> EntegratorClient:
    env = os.environ
    url = args.url or env.get("ENTEGRATOR_CLIENT_URL")
    if not url:
        raise ConfigurationError("Sunucu adresi yok: --url ya da ENTEGRATOR_CLIENT_URL verin")
    key = args.api_key or env.get("ENTEGRATOR_CLIENT_API_KEY")
    if key:
        return EntegratorClient(url, api_key=key)
    client_id, secret = env.get("ENTEGRATOR_CLIENT_ID"), env.get("ENTEGRATOR_CLIENT_SECRET")
    if client_id and secret:
        return EntegratorClient(url, client_id=client_id, client_secret=secret)
    raise ConfigurationError("Kimlik bilgisi yok: ENTEGRATOR_CLIENT_API_KEY ya da "
                             "ENTEGRATOR_CLIENT_ID ve ENTEGRATOR_CLIENT_SECRET verin")


def _send(api: EntegratorClient, args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{args.file} okunamadı: {exc.strerror or exc}") from exc
    invoice: Any = data
    if args.file.suffix.lower() == ".json":
        try:
            invoice = json.loads(data)
        except ValueError as exc:
            raise DocumentError(f"{args.file} geçerli JSON değil: {exc}") from exc
    sent = api.send(invoice, series=args.series, receiver_alias=args.alias,
                    client_reference=args.reference, idempotency_key=args.idempotency_key,
                    draft=args.draft)
    note = " (daha önce gönderilmişti)" if sent.replayed else ""
    print(f"{sent.id}\t{sent.ettn}\t{sent.number or '-'}\t{sent.status}{note}")
    return 0


def _inbox(api: EntegratorClient, args: argparse.Namespace) -> int:
    page = api.list_invoices(direction="IN", unread=None if args.all else True,
                             limit=args.limit)
    for doc in page:
        print(f"{doc.id}\t{doc.number or '-'}\t{doc.issue_date}\t{doc.counterpart_name or ''}"
              f"\t{doc.payable_amount} {doc.currency}\t{doc.status}")
    if args.mark and page.items:
        api.mark([doc.id for doc in page.items], read=True)
    print(f"{len(page.items)} fatura" + (" (devamı var)" if page.next_cursor else ""),
          file=sys.stderr)
    return 0


def _get(api: EntegratorClient, args: argparse.Namespace) -> int:
    doc = api.get(args.ref)
    json.dump(doc.raw, sys.stdout, ensure_ascii=False, indent=2)
    print()
    for step in api.history(doc.id):
        code = f" (GİB {step.gib_status_code})" if step.gib_status_code else ""
        print(f"{step.at}\t{step.status}{code}\t{step.message or ''}")
    return 0


def _download(api: EntegratorClient, args: argparse.Namespace) -> int:
    target = args.output or Path(f"{args.ref}.{args.format}")
    data = api.download(args.ref, args.format, to=target)
    print(f"{target} yazıldı ({len(data)} bayt)", file=sys.stderr)
    return 0


def _respond(api: EntegratorClient, args: argparse.Namespace) -> int:
    sent = api.respond(args.ref, args.code, args.reason)
    print(f"{sent.document_id}\t{sent.response_uuid}\t{sent.state}")
    return 0


def _check(api: EntegratorClient, args: argparse.Namespace) -> int:
    user = api.check_user(args.identifier)
    if user is None:
        print(f"{args.identifier} e-Fatura kayıtlı kullanıcısı değil (e-Arşiv düzenleyin)")
        return 1
    print(f"{user.identifier}\t{user.title}")
    for alias in user.pk_aliases:
        print(f"PK\t{alias}")
    return 0
