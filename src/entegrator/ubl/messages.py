"""Turkish messages for pydantic's validation errors, one :class:`Problem` per error.

pydantic reports in English with machine-readable types; users of the CLI, the portal and
the REST API read Turkish. Messages raised by our own validators (identifiers, code lists,
rules) are Turkish already and are passed through.

>>> from pydantic import BaseModel
>>> class M(BaseModel):
...     count: int
>>> try:
...     M.model_validate({})
... except ValidationError as exc:
...     print(problems_from_validation_error(exc)[0])
count: zorunlu alan eksik
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from entegrator.ubl.errors import Problem, format_path

__all__ = ["problems_from_validation_error", "turkish_message"]


def _ctx(error: ErrorDetails, key: str) -> Any:
    return (error.get("ctx") or {}).get(key)


def _own(error: ErrorDetails) -> str:
    cause = _ctx(error, "error")
    return str(cause) if cause is not None else error["msg"]


_MESSAGES: Final[Mapping[str, Callable[[ErrorDetails], str]]] = {
    "missing": lambda e: "zorunlu alan eksik",
    "extra_forbidden": lambda e: "tanınmayan alan",
    "value_error": _own,
    "assertion_error": _own,
    "string_type": lambda e: "metin olmalı",
    "bytes_type": lambda e: "base64 metni olmalı",
    "bool_type": lambda e: "true ya da false olmalı",
    "bool_parsing": lambda e: "true ya da false olmalı",
    "int_type": lambda e: "tam sayı olmalı",
    "int_parsing": lambda e: "tam sayı olmalı",
    "decimal_type": lambda e: "sayı olmalı",
    "decimal_parsing": lambda e: "geçerli bir sayı olmalı",
    "finite_number": lambda e: "sonlu bir sayı olmalı",
    "float_type": lambda e: "sayı olmalı",
    "date_type": lambda e: "YYYY-AA-GG biçiminde tarih olmalı",
    "date_parsing": lambda e: "YYYY-AA-GG biçiminde tarih olmalı",
    "date_from_datetime_parsing": lambda e: "YYYY-AA-GG biçiminde tarih olmalı",
    "date_from_datetime_inexact": lambda e: "saat içermeyen bir tarih olmalı",
    "time_type": lambda e: "SS:DD:ss biçiminde saat olmalı",
    "time_parsing": lambda e: "SS:DD:ss biçiminde saat olmalı",
    "enum": lambda e: f"şunlardan biri olmalı: {_ctx(e, 'expected')}",
    "literal_error": lambda e: f"şunlardan biri olmalı: {_ctx(e, 'expected')}",
    "list_type": lambda e: "liste olmalı",
    "tuple_type": lambda e: "liste olmalı",
    "model_type": lambda e: "nesne olmalı",
    "model_attributes_type": lambda e: "nesne olmalı",
    "dict_type": lambda e: "nesne olmalı",
    "too_short": lambda e: f"en az {_ctx(e, 'min_length')} öğe olmalı",
    "too_long": lambda e: f"en çok {_ctx(e, 'max_length')} öğe olabilir",
    "string_too_short": lambda e: "boş olamaz",
    "string_too_long": lambda e: f"en çok {_ctx(e, 'max_length')} karakter olabilir",
    "json_invalid": lambda e: f"JSON geçersiz: {_ctx(e, 'error')}",
    "json_type": lambda e: "JSON metni olmalı",
    "frozen_instance": lambda e: "değiştirilemez",
}


def turkish_message(error: ErrorDetails) -> str:
    """The Turkish message for one pydantic error."""
    render = _MESSAGES.get(error["type"])
    return render(error) if render is not None else f"geçersiz değer ({error['type']})"


def problems_from_validation_error(exc: ValidationError) -> list[Problem]:
    """One :class:`Problem` per pydantic error, with the field path and a Turkish message."""
    return [
        Problem(format_path(error["loc"]), turkish_message(error))
        for error in exc.errors(include_url=False)
    ]
