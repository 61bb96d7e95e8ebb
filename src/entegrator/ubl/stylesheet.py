"""The project's own visualization XSLT, shipped as a package resource.

GİB requires every invoice to carry the stylesheet that displays it (Entegrasyon Kılavuzu
§4.3); the builder embeds :func:`default_invoice_xslt` as a base64
``cac:AdditionalDocumentReference``. The stylesheet itself is written and rendered by
:mod:`entegrator.render`; it lives here so that the builder (lower layer) can embed it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["default_application_response_xslt", "default_invoice_xslt"]


@cache
def default_invoice_xslt() -> bytes:
    """Return the bytes of the project's invoice stylesheet (read once per process)."""
    return resources.files("entegrator.ubl").joinpath("xslt/invoice.xslt").read_bytes()


@cache
def default_application_response_xslt() -> bytes:
    """Return the bytes of the project's application-response (KABUL/RED) stylesheet."""
    return resources.files("entegrator.ubl").joinpath("xslt/application_response.xslt").read_bytes()
