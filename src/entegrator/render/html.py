"""UBL-TR document → HTML, with the project's stylesheet or the document's own.

``stylesheet`` picks the view:

* ``"own"`` — the project's stylesheet (invoices and application responses), with the payable
  amount in words (num2words) passed as the ``yaziyla`` parameter and the karekod (GİB Karekod
  Standardı Kılavuzu §3: top right) drawn into the page's ``id="karekod"`` element;
* ``"embedded"`` — the document's own XSLT, in the sandbox of :mod:`.embedded`; failing that,
  :class:`EmbeddedStylesheetError` says why;
* ``"auto"`` — the document's own XSLT when it has one that works (GİB's e-Fatura
  Görüntüleyici does the same), else ours; the reason for falling back is logged.

The input is parsed only through :func:`entegrator.ubl.xml.parse`.
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation
from typing import Literal, get_args

from lxml import etree

from entegrator.render.config import SandboxLimits
from entegrator.render.embedded import find_embedded_stylesheet, run_sandboxed
from entegrator.render.errors import EmbeddedStylesheetError, RenderError
from entegrator.render.karekod import karekod_payload, karekod_svg
from entegrator.render.stylesheets import OwnKind, own_transform
from entegrator.render.words import amount_in_words
from entegrator.ubl import ns, xml

__all__ = ["StylesheetChoice", "render_html"]

StylesheetChoice = Literal["own", "embedded", "auto"]

_log = logging.getLogger(__name__)
_OWN_KINDS: dict[str, OwnKind] = {
    ns.qname(ns.INV, "Invoice"): "invoice",
    ns.qname(ns.APR, "ApplicationResponse"): "application_response",
}


def _words_parameter(root: etree._Element) -> str:
    """The payable amount in words, or "" to let the stylesheet spell it itself."""
    payable = root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", ns.NS)
    currency = (root.findtext("cbc:DocumentCurrencyCode", "", ns.NS) or "").strip()
    if payable is None:
        return ""
    try:
        return amount_in_words(Decimal((payable.text or "").strip()), currency)
    except (InvalidOperation, RenderError):
        return ""


def _render_own(root: etree._Element) -> bytes:
    kind = _OWN_KINDS.get(root.tag)
    if kind is None:
        raise RenderError(
            f"Bu belge türü görüntülenemiyor: {etree.QName(root).localname} "
            "(yalnızca Invoice ve ApplicationResponse)"
        )
    transform = own_transform(kind)
    params = {}
    if kind == "invoice":
        params["yaziyla"] = etree.XSLT.strparam(_words_parameter(root))
    try:
        result = transform(root, **params)
    except etree.XSLTApplyError as exc:
        raise RenderError(f"Belge görüntülenemedi: {exc}") from exc
    page = result.getroot()
    if page is None:
        raise RenderError("Görüntüleme şablonu boş çıktı üretti")
    if kind == "invoice":
        for slot in page.iter("div"):
            if slot.get("id") == "karekod":
                slot.append(etree.fromstring(karekod_svg(karekod_payload(root))))
                break
    return bytes(result)


def render_html(
    document: bytes,
    *,
    stylesheet: StylesheetChoice = "auto",
    limits: SandboxLimits | None = None,
) -> bytes:
    """Render a UBL-TR invoice or application response to HTML bytes (see module doc)."""
    if stylesheet not in get_args(StylesheetChoice):
        raise RenderError(f"Bilinmeyen şablon seçimi: {stylesheet!r} (own, embedded, auto)")
    limits = limits or SandboxLimits()
    root = xml.parse(document)
    if root.tag == ns.qname(ns.SH, "StandardBusinessDocument"):
        raise RenderError("Bu bir zarf (StandardBusinessDocument); önce içindeki belgeyi çıkarın")
    if stylesheet == "own":
        return _render_own(root)
    try:
        return run_sandboxed(document, find_embedded_stylesheet(root, limits), limits)
    except EmbeddedStylesheetError as exc:
        if stylesheet == "embedded":
            raise
        if exc.problem != "missing":
            _log.warning("gömülü XSLT kullanılmadı, kendi şablonumuz kullanılıyor: %s", exc)
        return _render_own(root)
