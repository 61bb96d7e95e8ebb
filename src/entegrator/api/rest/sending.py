"""Reading invoices out of REST requests: a JSON body (:class:`SendItem` / :class:`BatchRequest`)
or a bare UBL-TR XML body (``Content-Type: application/xml``) with options in the query.

``Idempotency-Key`` (header, ≤ 150 characters) is passed to core: the same key with the same
content returns the first result (``replayed``), with other content it is refused (409). In a
batch, invoice *i* gets the key ``<key>#<i>``.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Final, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from entegrator.api.rest.models import BatchRequest, SendItem, SendOptions
from entegrator.core.outbound import Request as SubmitRequest
from entegrator.errors import DocumentError
from entegrator.ubl import Invoice, load_invoice

__all__ = ["XML_TYPES", "batch_requests", "idempotency_key", "openapi_body", "single_request"]

XML_TYPES: Final = ("application/xml", "text/xml")
IDEMPOTENCY_HEADER: Final = "Idempotency-Key"
MAX_KEY: Final = 150
_M = TypeVar("_M", bound=BaseModel)


def idempotency_key(request: Request) -> str | None:
    """The request's ``Idempotency-Key`` (trimmed), or None."""
    value = request.headers.get(IDEMPOTENCY_HEADER)
    if value is None or not value.strip():
        return None
    value = value.strip()
    if len(value) > MAX_KEY or not value.isprintable():
        raise DocumentError(f"Idempotency-Key en fazla {MAX_KEY} yazdırılabilir karakter olmalı")
    return value


async def single_request(request: Request, *, key: str | None) -> tuple[SubmitRequest, bool]:
    """One invoice from the body and its options; also whether ``draft`` was asked for."""
    if _is_xml(request):
        body = await request.body()
        params = request.query_params
        options = _validate(SendOptions, {
            name: params[name] for name in ("series", "receiver_alias", "client_reference")
            if name in params})
        draft = params.get("draft", "false").lower() in ("1", "true", "yes")
        return _submit(options, body, key), draft
    item = _validate(SendItem, await _json(request))
    return _submit(item, None, key), False


async def batch_requests(request: Request, *, key: str | None
                         ) -> tuple[list[SubmitRequest], bool]:
    """The invoices of a batch body, in order, and its ``draft`` flag."""
    batch = _validate(BatchRequest, await _json(request))
    items = [_submit(item, None, None if key is None else f"{key}#{i}")
             for i, item in enumerate(batch.invoices)]
    return items, batch.draft


def source_of(item: SendOptions, raw_xml: bytes | None = None) -> Invoice | bytes:
    """The model or the XML bytes an item carries."""
    if raw_xml is not None or not isinstance(item, SendItem):
        return raw_xml or b""
    if item.invoice is not None:
        return load_invoice(item.invoice)
    try:
        return base64.b64decode(item.xml or "", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise DocumentError("'xml' alanı geçerli base64 değil") from exc


def openapi_body(schema: str, *, xml: bool) -> dict[str, Any]:
    """The ``requestBody`` of a route whose body this module reads."""
    content: dict[str, Any] = {
        "application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
    if xml:
        content["application/xml"] = {
            "schema": {"type": "string", "format": "binary",
                       "description": "UBL-TR 1.2 fatura XML'i (seçenekler sorgu dizgisinde)"}}
    return {"requestBody": {"required": True, "content": content}}


def _submit(item: SendOptions, raw_xml: bytes | None, key: str | None) -> SubmitRequest:
    return SubmitRequest(source_of(item, raw_xml), series=item.series,
                         receiver_alias=item.receiver_alias, idempotency_key=key,
                         client_reference=item.client_reference)


def _is_xml(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    return kind in XML_TYPES


async def _json(request: Request) -> Any:
    body = await request.body()
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RequestValidationError([{"loc": ("body",), "msg": f"JSON okunamadı: {exc}",
                                       "type": "json_invalid"}]) from exc


def _validate(model: type[_M], data: Any) -> _M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors(
            include_url=False, include_context=False, include_input=False)]
        raise RequestValidationError(errors) from exc
