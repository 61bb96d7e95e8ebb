"""What Merkez sends on its own initiative (test plan §5.1.2 b, §7 b, c), as admin actions.

* §7 b — "Başkanlık, periyodik olarak gönderici birim uygulamalarına etiketi GIB olan ve
  herhangi bir zarfa referans olmayan sistem yanıtları göndermektedir": a Merkez
  SYSTEMENVELOPE answering an envelope id that exists nowhere, pushed to an integrator. The
  integrator only has to accept it.
* §7 c — "… posta kutusu uygulamalarına etiketi GIB olan ve geçersiz şema yapısına ait fatura
  içeren zarf göndermektedir": a SENDERENVELOPE from alias ``GIB`` (VKN 3900383669) carrying
  an invoice that fails GİB's XSD, delivered to an integrator's PK alias without Merkez's
  checks. The integrator must answer with a failing system response (1160); Merkez records
  1230 for it. ``GIB`` is a reserved name, not an alias, so the envelope is assembled around
  the document directly (the builder refuses reserved aliases by design).
* §5.1.2 b / §5.2.2 b — "Merkez Birim tarafından hatalı bir gönderimde bulunulacaktır": a
  sendDocument with a wrong hash and one with a wrong file name; the integrator must answer
  with EFaturaFault 2000 and 2006 (:func:`probe_faults` reports what it answered).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, BinaryIO

from lxml import etree

from entegrator.envelope import GIB, ElementType, EnvelopeHeader, EnvelopeType, Party, zip_envelope
from entegrator.envelope.sbdh import assemble
from entegrator.errors import EntegratorError, NotFound
from entegrator.gib import GibClient, GibClientConfig, GibFault, Reply, Transport
from entegrator.simulator import records, users
from entegrator.simulator.config import GIB_OWNER, PORTAL_OWNER
from entegrator.simulator.outbox import queue_response
from entegrator.simulator.portal import invoice_spec
from entegrator.simulator.responses import UNKNOWN_ALIAS, local_time, push_envelope
from entegrator.simulator.runtime import DELIVER, Runtime
from entegrator.simulator.tables import aliases
from entegrator.ubl import build_invoice, load_invoice, ns
from entegrator.ubl.identifiers import ettn, invoice_id
from entegrator.ubl.xml import parse

__all__ = ["probe_faults", "send_invalid_envelope", "send_unreferenced_response"]

_INVALID_ELEMENT = ns.cbc("GecersizAlan")


def _alias_of(rt: Runtime, integrator: str, role: str) -> tuple[str, str]:
    with rt.db.transaction(read_only=True) as conn:
        row = conn.execute(
            aliases.select().where(aliases.c.owner == integrator, aliases.c.role == role,
                                   aliases.c.deleted_at.is_(None)).order_by(aliases.c.id)
        ).first()
    if row is None:
        raise NotFound(f"{integrator} entegratöründe açık {role} etiketi yok")
    return row.identifier, row.name


def send_unreferenced_response(rt: Runtime, integrator: str, *, vkn: str | None = None,
                               alias: str | None = None) -> str:
    """Push a Merkez system response that answers no envelope to ``integrator`` (§7 b)."""
    rt.directory.get(integrator)
    if vkn is None or alias is None:
        vkn, alias = _alias_of(rt, integrator, "GB")
    answered = EnvelopeHeader(ettn.new(), EnvelopeType.SENDER, Party(alias, vkn), GIB,
                              local_time(rt.now()))
    with rt.db.transaction() as conn:
        envelope_id = queue_response(rt, conn, answered, 1200, to=integrator, fallback_vkn=vkn)
    rt.kick()
    return envelope_id


class _Tampering:
    """A transport that changes one byte string of each request before sending it."""

    def __init__(self, inner: Transport, old: bytes, new: bytes) -> None:
        self._inner, self._old, self._new = inner, old, new

    def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> Reply:
        return self._inner.post(url, body.replace(self._old, self._new, 1), headers)

    def download(self, url: str, sink: BinaryIO, *, max_bytes: int) -> Reply:
        return self._inner.download(url, sink, max_bytes=max_bytes)


def probe_faults(rt: Runtime, integrator: str) -> dict[str, dict[str, Any]]:
    """Send the integrator two faulty requests and report its faults (test plan §5.1.2 b).

    A sendDocument whose ``hash`` is wrong must be answered with EFaturaFault 2000, one whose
    ``fileName`` is not ``<UUID>.zip`` with 2006 (Ek-3 §8). The payload is a Merkez system
    response answering no envelope, harmless if the integrator accepts it anyway.
    """
    target = rt.directory.get(integrator)
    answered = EnvelopeHeader(ettn.new(), EnvelopeType.SENDER,
                              Party(UNKNOWN_ALIAS, target.vkn), GIB, local_time(rt.now()))
    zipped = push_envelope(answered, 1200, now=rt.now()).zipped()
    config = GibClientConfig(target.endpoint, soap_version=rt.config.soap_version,
                             mtom=rt.config.mtom)
    cases = {
        "hash": (f"<hash>{zipped.md5}</hash>", "<hash>" + "0" * 32 + "</hash>", 2000),
        "file_name": (f"<fileName>{zipped.file_name}</fileName>",
                      "<fileName>hatali-zarf-adi.zip</fileName>", 2006),
    }
    report: dict[str, dict[str, Any]] = {}
    for case, (old, new, expected) in cases.items():
        client = GibClient(config, _Tampering(rt.transport, old.encode(), new.encode()))
        try:
            client.send_document(zipped.file_name, zipped.data)
            report[case] = {"expected": expected, "code": None, "ok": False,
                            "detail": "istek hatasız kabul edildi"}
        except GibFault as fault:
            report[case] = {"expected": expected, "code": fault.code, "msg": fault.msg,
                            "ok": fault.code == expected}
        except EntegratorError as exc:
            report[case] = {"expected": expected, "code": None, "ok": False,
                            "detail": f"{type(exc).__name__}: {exc}"}
    return report


def _invalid_invoice(rt: Runtime, vkn: str, alias: str) -> bytes:
    today = local_time(rt.now()).date()
    spec = invoice_spec((GIB.vkn_tckn, "GELİR İDARESİ BAŞKANLIĞI", "urn:mail:defaultgb@gib.gov.tr"),
                        (vkn, "Test Alıcısı", alias), number=invoice_id.make("GIB", today.year, 1),
                        profile="TEMELFATURA", invoice_type="SATIS", today=today)
    root = parse(build_invoice(load_invoice(spec)))
    version = root.find(ns.cbc("UBLVersionID"))
    if version is not None:
        bad = etree.Element(_INVALID_ELEMENT)  # not in GİB's XSD: 1160
        bad.text = "XSD'de olmayan alan"
        version.addnext(bad)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def send_invalid_envelope(rt: Runtime, vkn: str, alias: str) -> str:
    """Deliver a SENDERENVELOPE from ``GIB`` with an XSD-invalid invoice to a PK alias (§7 c)."""
    with rt.db.transaction(read_only=True) as conn:
        found = [a for a in users.find_aliases(conn, alias, identifier=vkn) if a.role == "PK"]
    if not found or found[0].owner == PORTAL_OWNER:
        raise NotFound(f"{vkn} / {alias} bir entegratörde açık PK etiketi değil")
    target = found[0].owner
    now = local_time(rt.now())
    header = EnvelopeHeader(ettn.new(), EnvelopeType.SENDER, GIB, Party(alias, vkn), now)
    prefix, suffix = assemble(header, ElementType.INVOICE, 1)
    zipped = zip_envelope(prefix + _invalid_invoice(rt, vkn, alias) + suffix,
                          header.envelope_id, modified=now)
    with rt.db.transaction() as conn:
        pk = records.insert_envelope(
            conn, zipped.file_name, zipped.data, origin=GIB_OWNER, now=rt.now(), status=1200,
            note="GİB test zarfı (geçersiz şema)", type=header.type.value,
            element_type=ElementType.INVOICE.value, element_count=1, sender_alias=GIB.alias,
            sender_vkn=GIB.vkn_tckn, receiver_alias=alias, receiver_vkn=vkn,
            header_created=now.isoformat(), target=target)
        rt.enqueue(conn, DELIVER, {"envelope": pk}, dedupe_key=f"deliver:{pk}")
    rt.kick()
    return header.envelope_id
