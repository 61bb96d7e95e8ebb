"""Settings of the SOAP faces (one frozen object, built by whoever assembles the app)."""

from __future__ import annotations

from dataclasses import dataclass, field

from entegrator.core.sessions import SessionSettings

__all__ = ["SoapSettings"]

_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class SoapSettings:
    """Limits and addresses of the SOAP endpoints.

    ``max_body_bytes``: HTTP body cap (refused with 413 before parsing; 5 MB of zipped
    invoices is about 6.7 MB in base64). ``max_documents`` / ``max_content_bytes``: İzibiz's
    100 documents or 5 MB per request (10010). ``public_url``: base URL written into served
    WSDLs (None: the URL the WSDL was asked for). ``audit_flush_seconds``: see
    :class:`entegrator.api.protection.CallAudit`. ``max_page``: the largest ``LIMIT`` for a
    list with content (İzibiz: 100; 25 000 header-only). ``worker_threads``: threads per
    endpoint answering calls (few threads contend less for the GIL than anyio's 40: better
    throughput and tail latency under many concurrent clients).
    """

    max_body_bytes: int = 16 * _MIB
    max_documents: int = 100
    max_content_bytes: int = 5 * _MIB
    max_page: int = 100
    max_page_headers: int = 25_000
    public_url: str | None = None
    audit_flush_seconds: float = 0.5
    worker_threads: int = 16
    sessions: SessionSettings = field(default_factory=SessionSettings)
