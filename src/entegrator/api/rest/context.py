"""What every REST router shares: the Integrator, settings, the authenticator, and helpers to
run core in a worker thread and to resolve a document reference (id, ETTN or number)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Final, TypeVar

import anyio.to_thread
from fastapi import Path
from pydantic import Field

from entegrator.api.protection import Protection
from entegrator.api.rest.auth import Authenticator
from entegrator.api.settings import ApiSettings
from entegrator.core import documents
from entegrator.core.context import Caller
from entegrator.core.wiring import Integrator
from entegrator.errors import NotFound

__all__ = ["MAX_ID", "DocumentRef", "PathId", "RestContext", "RowId", "call", "document_id"]

#: Largest row id (BIGINT); larger numbers name nothing.
MAX_ID: Final = 2**63 - 1
#: A row id inside a body.
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A row id in the path.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
#: A document in the path: its id, ETTN or 16-character number.
DocumentRef = Annotated[str, Path(
    min_length=1, max_length=64, description="Belge kimliği (id), ETTN ya da fatura numarası",
    examples=["42", "f47ac10b-58cc-4372-a567-0e02b2c3d479", "ABC2026000000001"])]

_UUID: Final = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_NUMBER: Final = re.compile(r"^[A-Za-z0-9]{3}20[0-9]{2}[0-9]{9}$")
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class RestContext:
    """The objects the routers close over (no module-level state)."""

    integrator: Integrator
    settings: ApiSettings
    protection: Protection
    authenticator: Authenticator


async def call(fn: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
    """Run the (blocking) core function ``fn`` in a worker thread."""
    return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs))


async def document_id(integrator: Integrator, caller: Caller, ref: str) -> int:
    """The id of the caller's document ``ref`` (id, ETTN or number); NotFound otherwise.

    An id is taken as given (the service called next checks it belongs to the caller); an
    ETTN or number is looked up in a worker thread.
    """
    value = ref.strip()
    if value.isascii() and value.isdigit():
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise NotFound(f"Belge bulunamadı: {value}")
        return number
    return await call(_find, integrator, caller, value)


def _find(integrator: Integrator, caller: Caller, value: str) -> int:
    if _UUID.match(value):
        return documents.find_document(integrator, caller, ettn=value).id
    if _NUMBER.match(value):
        return documents.find_document(integrator, caller, number=value.upper()).id
    raise NotFound(f"Belge bulunamadı: {value[:64]}")
