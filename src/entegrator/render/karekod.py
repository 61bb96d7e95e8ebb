"""The karekod (QR code) of an e-Fatura / e-Arşiv fatura, per GİB's Karekod Standardı Kılavuzu.

GİB's guide (v1.2, Kasım 2023, §2.1, §2.1.1, §2.2) fixes a JSON payload built from the UBL
fields; §3 puts the code at the top right of the human-readable view. Keys, in the guide's
order:

``vkntckn`` supplier VKN/TCKN · ``avkntckn`` customer VKN/TCKN · (YOLCUBERABERFATURA only:
``pasaportno`` buyer's passport, ``aracikurumvkn`` tax representative) · ``senaryo``
ProfileID · ``tip`` InvoiceTypeCode · ``tarih`` IssueDate · ``no`` ID · ``ettn`` UUID ·
``parabirimi`` DocumentCurrencyCode · ``malhizmettoplam`` LineExtensionAmount ·
``kdvmatrah(<oran>)`` / ``hesaplanankdv(<oran>)`` per KDV rate (TaxSubtotal with TaxTypeCode
0015) · ``vergidahil`` TaxInclusiveAmount · ``odenecek`` PayableAmount.

Amounts are written with two decimals and a dot ("1080.00"), rates without trailing zeros
("8", "0.5"); a field the invoice lacks is an empty string, so the code always carries every key.
segno draws the QR code as inline SVG.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

import segno
from lxml import etree

from entegrator.render.errors import RenderError
from entegrator.ubl import ns
from entegrator.ubl.amounts import round_money

__all__ = ["karekod_json", "karekod_payload", "karekod_svg"]

_KDV = "0015"
_PERSON_SCHEMES = ("VKN", "TCKN")
_AGENT_SCHEMES = ("ARACIKURUMVKN", "VKN")
_LARGEST = Decimal(10) ** 18  # UBL-TR amounts have at most 15 integer digits


def _text(root: etree._Element, path: str) -> str:
    found = root.find(path, ns.NS)
    return (found.text or "").strip() if found is not None else ""


def _party_number(
    root: etree._Element, party_path: str, schemes: tuple[str, ...] = _PERSON_SCHEMES
) -> str:
    """The party's identifier whose schemeID is one of ``schemes`` (the guide requires it)."""
    for node in root.iterfind(f"{party_path}/cac:PartyIdentification/cbc:ID", ns.NS):
        if (node.get("schemeID") or "").strip().upper() in schemes:
            return (node.text or "").strip()
    return ""


def _decimal(text: str | None) -> Decimal | None:
    """The amount in ``text``, or None when it is no number an invoice can hold."""
    try:
        value = Decimal((text or "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < _LARGEST else None


def _money(value: Decimal | None) -> str:
    return f"{round_money(value):.2f}" if value is not None else ""


def _amount(root: etree._Element, path: str) -> str:
    return _money(_decimal(_text(root, path)))


def _rate(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _kdv_by_rate(root: etree._Element) -> dict[str, tuple[Decimal, Decimal]]:
    """Taxable amount and tax per KDV rate, in document order (same rate summed)."""
    totals: dict[str, tuple[Decimal, Decimal]] = {}
    for sub in root.iterfind("cac:TaxTotal/cac:TaxSubtotal", ns.NS):
        if _text(sub, "cac:TaxCategory/cac:TaxScheme/cbc:TaxTypeCode") != _KDV:
            continue
        percent = _decimal(_text(sub, "cbc:Percent"))
        key = _rate(percent) if percent is not None else ""
        base = _decimal(_text(sub, "cbc:TaxableAmount")) or Decimal(0)
        tax = _decimal(_text(sub, "cbc:TaxAmount")) or Decimal(0)
        old_base, old_tax = totals.get(key, (Decimal(0), Decimal(0)))
        totals[key] = (old_base + base, old_tax + tax)
    return totals


def karekod_payload(root: etree._Element) -> dict[str, str]:
    """Build the karekod fields of an ``Invoice`` root element, in the guide's order."""
    if root.tag != ns.qname(ns.INV, "Invoice"):
        raise RenderError("Karekod yalnızca fatura (Invoice) belgeleri için üretilir")
    payload = {
        "vkntckn": _party_number(root, "cac:AccountingSupplierParty/cac:Party"),
        "avkntckn": _party_number(root, "cac:AccountingCustomerParty/cac:Party"),
    }
    profile = _text(root, "cbc:ProfileID")
    if profile == "YOLCUBERABERFATURA":
        buyer = "cac:BuyerCustomerParty/cac:Party/cac:Person"
        payload["pasaportno"] = _text(root, f"{buyer}/cac:IdentityDocumentReference/cbc:ID")
        payload["aracikurumvkn"] = _party_number(root, "cac:TaxRepresentativeParty", _AGENT_SCHEMES)
    payload |= {
        "senaryo": profile,
        "tip": _text(root, "cbc:InvoiceTypeCode"),
        "tarih": _text(root, "cbc:IssueDate"),
        "no": _text(root, "cbc:ID"),
        "ettn": _text(root, "cbc:UUID"),
        "parabirimi": _text(root, "cbc:DocumentCurrencyCode"),
        "malhizmettoplam": _amount(root, "cac:LegalMonetaryTotal/cbc:LineExtensionAmount"),
    }
    for rate, (base, tax) in _kdv_by_rate(root).items():
        payload[f"kdvmatrah({rate})"] = _money(base)
        payload[f"hesaplanankdv({rate})"] = _money(tax)
    payload["vergidahil"] = _amount(root, "cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")
    payload["odenecek"] = _amount(root, "cac:LegalMonetaryTotal/cbc:PayableAmount")
    return payload


def karekod_json(payload: dict[str, str]) -> str:
    """The text the QR code carries: compact JSON, non-ASCII kept as is.

    >>> karekod_json({"no": "GIB2023000000001", "odenecek": "1080.00"})
    '{"no":"GIB2023000000001","odenecek":"1080.00"}'
    """
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def karekod_svg(payload: dict[str, str]) -> str:
    """The QR code of ``payload`` as an inline ``<svg>`` element (sized by the page's CSS)."""
    code = segno.make_qr(karekod_json(payload), error="m")
    return str(
        code.svg_inline(
            scale=1, border=2, omitsize=True, svgclass="karekod", title="Karekod", dark="#000"
        )
    )
