"""Reading invoice specs (JSON or mappings) from ERPs, the portal, the API and the CLI.

:func:`load_invoice` validates the fields (types, formats, check digits, GİB code lists) and
then GİB's cross-field rules; any problem raises :class:`~entegrator.ubl.errors.InvoiceInvalid`
listing every field path with a Turkish message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pydantic import ValidationError

from entegrator.ubl.errors import InvoiceInvalid
from entegrator.ubl.messages import problems_from_validation_error
from entegrator.ubl.model import Invoice
from entegrator.ubl.rules import check_invoice

__all__ = ["DEFAULT_MAX_SPEC_BYTES", "load_invoice"]

#: Largest JSON spec accepted (attachments are base64 inside it).
DEFAULT_MAX_SPEC_BYTES: Final = 20 * 1024 * 1024


def load_invoice(
    data: bytes | str | Mapping[str, Any],
    *,
    check: bool = True,
    max_bytes: int = DEFAULT_MAX_SPEC_BYTES,
) -> Invoice:
    """Validate a JSON spec (text or bytes) or an already decoded mapping into an :class:`Invoice`.

    With ``check`` (default) GİB's cross-field rules and the stated amounts are checked too.
    """
    try:
        if isinstance(data, Mapping):
            invoice = Invoice.model_validate(data)
        else:
            if len(data) > max_bytes:
                raise InvoiceInvalid(
                    [], title=f"Fatura tanımı çok büyük: {len(data)} bayt (sınır {max_bytes})"
                )
            invoice = Invoice.model_validate_json(data)
    except ValidationError as exc:
        raise InvoiceInvalid(problems_from_validation_error(exc)) from exc
    if check:
        problems = check_invoice(invoice)
        if problems:
            raise InvoiceInvalid(problems)
    return invoice
