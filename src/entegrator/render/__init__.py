"""render — turns UBL-TR documents into human-readable HTML and PDF.

The project's own visualization XSLT (embedded into built invoices), the karekod, HTML via
lxml and PDF via WeasyPrint, and sandboxed use of a document's own XSLT. Depends only on ubl.

Rule: no network and no file access while rendering; a document's own stylesheet runs only
in the sandbox of :mod:`entegrator.render.embedded`.

The names below load on first use, so that the sandbox's child process (which imports this
package) starts without WeasyPrint, segno and num2words.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from entegrator.render.config import SandboxLimits
    from entegrator.render.errors import EmbeddedStylesheetError, RenderError
    from entegrator.render.html import StylesheetChoice, render_html
    from entegrator.render.karekod import karekod_json, karekod_payload, karekod_svg
    from entegrator.render.pdf import html_to_pdf, render_pdf
    from entegrator.render.words import amount_in_words

__all__ = [
    "EmbeddedStylesheetError",
    "RenderError",
    "SandboxLimits",
    "StylesheetChoice",
    "amount_in_words",
    "html_to_pdf",
    "karekod_json",
    "karekod_payload",
    "karekod_svg",
    "render_html",
    "render_pdf",
]

_HOME = {
    "SandboxLimits": "config",
    "EmbeddedStylesheetError": "errors",
    "RenderError": "errors",
    "StylesheetChoice": "html",
    "render_html": "html",
    "karekod_json": "karekod",
    "karekod_payload": "karekod",
    "karekod_svg": "karekod",
    "html_to_pdf": "pdf",
    "render_pdf": "pdf",
    "amount_in_words": "words",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
