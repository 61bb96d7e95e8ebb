"""HTML → PDF with WeasyPrint (A4; Turkish text; fonts embedded as subsets).

The HTML may come from a stranger's stylesheet (:mod:`.embedded`), so WeasyPrint gets a URL
fetcher that serves ``data:`` URIs only: no file, no network, whatever ``<img>``, ``<link>``,
``@import`` or ``<base>`` the page contains. Page size and margins come from the page's
``@page`` rule; our stylesheets set A4, and a default A4 sheet applies to pages without one.
"""

from __future__ import annotations

import io

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from entegrator.render.config import SandboxLimits
from entegrator.render.errors import RenderError
from entegrator.render.html import StylesheetChoice, render_html

__all__ = ["html_to_pdf", "local_only_fetcher", "render_pdf"]

_DEFAULT_PAGE = "@page { size: A4; margin: 10mm }"


def local_only_fetcher() -> URLFetcher:
    """A WeasyPrint URL fetcher that refuses everything except ``data:`` URIs.

    A new one per document: WeasyPrint's fetcher keeps per-request state.
    """
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False)


def html_to_pdf(html: bytes) -> bytes:
    """Lay out ``html`` (any encoding its ``<meta charset>`` names) on A4 pages as PDF bytes."""
    try:
        document = HTML(file_obj=io.BytesIO(html), url_fetcher=local_only_fetcher())
        pdf = document.write_pdf(stylesheets=[CSS(string=_DEFAULT_PAGE)])
    except (ValueError, TypeError, OSError) as exc:
        raise RenderError(f"PDF oluşturulamadı: {exc}") from exc
    if not isinstance(pdf, bytes):
        raise RenderError("PDF oluşturulamadı: boş çıktı")
    return pdf


def render_pdf(
    document: bytes,
    *,
    stylesheet: StylesheetChoice = "auto",
    limits: SandboxLimits | None = None,
) -> bytes:
    """Render a UBL-TR invoice or application response to PDF (HTML of :func:`render_html`)."""
    return html_to_pdf(render_html(document, stylesheet=stylesheet, limits=limits))
