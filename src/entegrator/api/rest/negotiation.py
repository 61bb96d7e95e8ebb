"""Which representation of a document to answer with: JSON facts, or the UBL-TR XML, its
HTML rendering or a PDF — chosen by ``?format=`` or else by the ``Accept`` header (q-values
honoured; JSON when nothing acceptable is named, as most clients send ``*/*``)."""

from __future__ import annotations

from typing import Any, Final, Literal

from starlette.requests import Request

__all__ = ["FORMATS", "Format", "choose", "document_responses"]

Format = Literal["json", "xml", "html", "pdf"]
FORMATS: Final[dict[str, Format]] = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/html": "html",
    "application/pdf": "pdf",
}
MEDIA_TYPES: Final[dict[Format, str]] = {
    "json": "application/json",
    "xml": "application/xml",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def choose(request: Request, explicit: Format | None) -> Format:
    """The representation to send for ``request``."""
    if explicit is not None:
        return explicit
    best: tuple[float, int, Format] | None = None
    for position, item in enumerate(request.headers.get("accept", "").split(",")):
        media, _, params = item.strip().partition(";")
        kind = FORMATS.get(media.strip().lower())
        if kind is None:
            continue
        quality = _quality(params)
        if quality > 0 and (best is None or (quality, -position) > (best[0], best[1])):
            best = (quality, -position, kind)
    return best[2] if best is not None else "json"


def document_responses(model: type[Any], description: str) -> dict[int | str, Any]:
    """The OpenAPI ``responses`` entry of a route answering in any of the four formats."""
    return {200: {
        "description": description,
        "model": model,
        "content": {
            "application/xml": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
    }}


def _quality(params: str) -> float:
    for param in params.split(";"):
        name, _, value = param.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0
